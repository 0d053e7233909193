// FileStore operation `get`: a short-lived URL to look at a file, and the first bytes of a file with its
// size, read with a ranged GET so that checking a 10 MB scan costs 8 bytes, not 10 MB.

import { fileStore } from './file-store-from-env.ts';
import { OWN_URL_SECONDS, STORAGE_TIMEOUT_MS, storageError, type SignedUrl } from './file-store.ts';

export const downloadUrl = (key: string, expiresInSeconds: number, now = new Date()): Promise<SignedUrl> =>
  fileStore.sign({ method: 'GET', key, expiresInSeconds }, now);

export type FileHead = { head: Uint8Array; size: number };

/** The first `bytes` bytes of the file and its whole size; undefined when there is no such file. */
export async function readHead(key: string, bytes: number): Promise<FileHead | undefined> {
  const { url } = await fileStore.sign({ method: 'GET', key, expiresInSeconds: OWN_URL_SECONDS });
  const response = await fetch(url, { headers: { range: `bytes=0-${bytes - 1}` }, signal: AbortSignal.timeout(STORAGE_TIMEOUT_MS) });
  const totalFromRange = () => Number(/\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1] ?? Number.NaN);
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  // An empty object has no byte 0: the range is unsatisfiable.
  if (response.status === 416) {
    await response.body?.cancel();
    return { head: new Uint8Array(), size: totalFromRange() || 0 };
  }
  if (response.status !== 206 && response.status !== 200) throw await storageError(response);
  const size = response.status === 206 ? totalFromRange() : Number(response.headers.get('content-length'));
  return { head: await firstBytes(response, bytes), size };
}

/** Reads no more of the body than needed, even from a server that ignored the range. */
async function firstBytes(response: Response, bytes: number): Promise<Uint8Array> {
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < bytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
  }
  await reader.cancel();
  return new Uint8Array(Buffer.concat(chunks).subarray(0, bytes));
}
