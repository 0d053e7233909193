// FileStore operation `keep`: tags a case's file `attached`, so the bucket's lifecycle rule for unattached
// uploads no longer applies to it (S3 PutObjectTagging; the local server stores the tag the same way).

import { createHash } from 'node:crypto';
import { fileStore } from './file-store-from-env.ts';
import { ATTACHED, OWN_URL_SECONDS, STORAGE_TIMEOUT_MS, storageError, UPLOAD_TAG } from './file-store.ts';

const TAGGING = `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>${UPLOAD_TAG}</Key><Value>${ATTACHED}</Value></Tag></TagSet></Tagging>`;
// S3 wants the body's MD5 on PutObjectTagging.
const HEADERS = { 'content-type': 'application/xml', 'content-md5': createHash('md5').update(TAGGING).digest('base64') };

/** False when there is no such file (an upload never sent): nothing to keep. */
export async function keepFile(key: string): Promise<boolean> {
  const { url } = await fileStore.sign({ method: 'PUT', key, query: { tagging: '' }, headers: HEADERS, expiresInSeconds: OWN_URL_SECONDS });
  const response = await fetch(url, { method: 'PUT', headers: HEADERS, body: TAGGING, signal: AbortSignal.timeout(STORAGE_TIMEOUT_MS) });
  if (response.status === 404) {
    await response.body?.cancel();
    return false;
  }
  if (!response.ok) throw await storageError(response);
  await response.body?.cancel();
  return true;
}
