// FileStore operation `put`: an upload slot, the URL a client PUTs one file to. Type and length are signed,
// so storage refuses any other file; `if-none-match: *` makes the slot write-once (a file cannot be swapped
// after it was reviewed); the tag marks the object unattached until a case's review keeps it.

import { fileStore } from './file-store-from-env.ts';
import { UNATTACHED, UPLOAD_TAG } from './file-store.ts';

export type UploadSlot = { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };

export async function uploadSlot(key: string, file: { contentType: string; size: number }, expiresInSeconds: number, now = new Date()): Promise<UploadSlot> {
  // What the client sends as given. Its HTTP library sets content-length from the body (browsers forbid
  // setting it by hand); it is signed all the same.
  const headers = { 'content-type': file.contentType, 'if-none-match': '*', 'x-amz-tagging': `${UPLOAD_TAG}=${UNATTACHED}` };
  const signed = await fileStore.sign({ method: 'PUT', key, headers: { ...headers, 'content-length': String(file.size) }, expiresInSeconds }, now);
  return { url: signed.url, method: 'PUT', headers, expiresAt: signed.expiresAt };
}
