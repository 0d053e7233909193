// How a failed request reads to a resident: a named problem in their language, the network case with the
// reassurance that nothing typed is lost, and the API's own detail for anything else.

import { ApiProblem, NetworkFailure } from '../api/problem.ts';
import { t, tryT } from '../i18n.ts';

/** A string is the page's own message (a choice not made yet); anything else came from a request. */
export function problemText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof NetworkFailure) return t('problem.network');
  if (error instanceof ApiProblem) return tryT(`problem.${error.code}`) ?? (error.detail || t('problem.unknown'));
  return t('problem.unknown');
}

export function ProblemMessage({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div class="problem" role="alert">
      <p>{problemText(error)}</p>
    </div>
  );
}
