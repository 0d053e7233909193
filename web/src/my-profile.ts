// The signed-in resident's profile (GET /me), or null while they have none: declaring and booking need one,
// so those pages ask for it first instead of letting the API refuse the submission.

import { call } from './api/client.ts';
import { ApiProblem } from './api/problem.ts';

export async function profileOrNull() {
  try {
    return await call('GET /me');
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) return null;
    throw error;
  }
}
