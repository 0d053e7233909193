// The FileStore port: storage for residents' files that never passes a file through a Lambda. A FileStore
// only signs requests on stored objects; whoever holds a signed URL (a resident's phone, a caseworker's
// browser, a function reading 8 bytes) talks to storage directly. Adapters: s3-file-store.ts (AWS,
// SigV4 query signing) and local-file-store.ts (the local server's own HMAC-signed URLs), chosen in
// file-store-from-env.ts. The operations on top are S3's REST object API over fetch, which the local
// server speaks too, one module per right a function may hold (infra/function-needs.ts `files`):
// file-uploads.ts (put), file-reads.ts (get), file-keeping.ts (keep), file-deletes.ts (delete).

export type FileMethod = 'GET' | 'PUT' | 'DELETE';

export type FileRequest = {
  method: FileMethod;
  /** The object's key, e.g. `uploads/U…` (letters, digits, `/`, `-`, `_`, `.`). */
  key: string;
  /** Sub-resources and parameters that are part of the signature (`tagging`). */
  query?: Record<string, string>;
  /** Headers whose exact values are part of the signature: the sender must send these, nothing else will do. */
  headers?: Record<string, string>;
  expiresInSeconds: number;
};

export type SignedUrl = { url: string; expiresAt: string };

export type FileStore = {
  sign(request: FileRequest, now?: Date): Promise<SignedUrl>;
};

/**
 * The object tag that says whether an upload belongs to a case. Uploads are written `unattached`; the
 * bucket's lifecycle rule expires objects still tagged so, and the review re-tags a case's files `attached`.
 */
export const UPLOAD_TAG = 'upload';
export const UNATTACHED = 'unattached';
export const ATTACHED = 'attached';

/** A storage answer the operation did not expect (S3's error code from its XML body, when it gave one). */
export class FileStoreError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`storage answered ${status} ${code}`);
    this.name = 'FileStoreError';
  }
}

export async function storageError(response: Response): Promise<FileStoreError> {
  const text = await response.text().catch(() => '');
  return new FileStoreError(response.status, /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? 'Unknown');
}

/** A URL a function signs for its own request lives this long: it is used at once. */
export const OWN_URL_SECONDS = 60;
/** A storage call that has not answered by then has failed (a Lambda must not hang on it). */
export const STORAGE_TIMEOUT_MS = 10_000;

export const expiresAt = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
