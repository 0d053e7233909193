// Cognito pre-token-generation trigger: whoever signs up on their own is a resident. Self sign-up cannot
// put a user into a group, and every resident route requires `resident` in `cognito:groups`; staff and
// supervisors are put into their groups by an administrator and keep exactly those.

import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';

export async function handler(event: PreTokenGenerationTriggerEvent): Promise<PreTokenGenerationTriggerEvent> {
  if ((event.request.groupConfiguration.groupsToOverride ?? []).length === 0) {
    event.response.claimsOverrideDetails = { groupOverrideDetails: { groupsToOverride: ['resident'] } };
  }
  return event;
}
