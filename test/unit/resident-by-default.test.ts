import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/auth/resident-by-default.ts';

const tokenEvent = (groups: string[]) =>
  ({
    request: { userAttributes: { sub: 'u-1' }, groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: [] } },
    response: { claimsOverrideDetails: null },
  }) as unknown as PreTokenGenerationTriggerEvent;

describe('Cognito pre-token-generation trigger', () => {
  it('makes a self-signed-up user without a group a resident', async () => {
    const event = await handler(tokenEvent([]));
    expect(event.response.claimsOverrideDetails?.groupOverrideDetails?.groupsToOverride).toEqual(['resident']);
  });

  it('leaves the groups of staff and supervisors as the administrator set them', async () => {
    const event = await handler(tokenEvent(['staff']));
    expect(event.response.claimsOverrideDetails).toBeNull();
  });
});
