// FileStore operation `delete`: removes a file. A file that is already gone is deleted too (S3 answers 204
// either way). In the versioned bucket this leaves a delete marker; the lifecycle rule removes the old
// version a day later (README, "Materials as real files").

import { fileStore } from './file-store-from-env.ts';
import { OWN_URL_SECONDS, STORAGE_TIMEOUT_MS, storageError } from './file-store.ts';

export async function deleteFile(key: string): Promise<void> {
  const { url } = await fileStore.sign({ method: 'DELETE', key, expiresInSeconds: OWN_URL_SECONDS });
  const response = await fetch(url, { method: 'DELETE', signal: AbortSignal.timeout(STORAGE_TIMEOUT_MS) });
  if (!response.ok && response.status !== 404) throw await storageError(response);
  await response.body?.cancel();
}
