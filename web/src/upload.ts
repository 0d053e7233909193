// The upload step of a material: from the file the resident picked to the `{ type, uploadId }` a case
// carries. Each file gets a slot (POST /uploads) and is PUT straight to storage with exactly the headers the
// slot names (a presigned S3 URL in AWS, the local server's file store under `npm start`), through
// XMLHttpRequest because fetch reports no upload progress. A file uploaded once keeps its uploadId for the
// visit, so a retried submit sends the same body, and so the same Idempotency-Key (idempotency.ts).

import { call } from './api/client.ts';
import { NetworkFailure } from './api/problem.ts';
import { FILE_TYPES, MAX_FILE_BYTES, type FileType } from '../../shared/domain/uploads.ts';

export type MaterialFile = { type: string; file: File };
export type UploadedMaterial = { type: string; uploadId: string };
/** Bytes sent of each material's file, by material type, while it uploads. */
export type Progress = (type: string, sent: number, total: number) => void;

/** Why the API would refuse this file, said before anything is sent; undefined when it can be uploaded. */
export function fileRefusal(file: File): 'fileType' | 'fileSize' | undefined {
  if (!(FILE_TYPES as readonly string[]).includes(file.type)) return 'fileType';
  if (file.size === 0 || file.size > MAX_FILE_BYTES) return 'fileSize';
  return undefined;
}

const uploaded = new WeakMap<File, Promise<string>>();

function put(slot: { url: string; method: string; headers: Record<string, string> }, file: File, onProgress: (sent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(slot.method, slot.url);
    for (const [name, value] of Object.entries(slot.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new NetworkFailure(`PUT upload: ${xhr.status}`)));
    xhr.onerror = () => reject(new NetworkFailure('PUT upload: no answer'));
    xhr.onabort = xhr.onerror;
    xhr.send(file);
  });
}

async function uploadOnce(file: File, onProgress: (sent: number) => void, forResident?: string): Promise<string> {
  const body = { fileName: file.name.slice(0, 200) || 'file', contentType: file.type as FileType, size: file.size, ...(forResident ? { forResident } : {}) };
  const slot = await call('POST /uploads', { body });
  await put(slot, file, onProgress);
  onProgress(file.size);
  return slot.uploadId;
}

/** Uploads every file not uploaded yet (one after the other: phone uplinks are slow) and answers the case's materials. */
export async function materialsFrom(files: MaterialFile[], onProgress: Progress = () => undefined): Promise<UploadedMaterial[]> {
  const materials: UploadedMaterial[] = [];
  for (const { type, file } of files) {
    let upload = uploaded.get(file);
    if (!upload) {
      upload = uploadOnce(file, (sent) => onProgress(type, sent, file.size));
      uploaded.set(file, upload);
      // A failed upload is tried afresh with a new slot next time.
      upload.catch(() => uploaded.delete(file));
    } else onProgress(type, file.size, file.size);
    materials.push({ type, uploadId: await upload });
  }
  return materials;
}

/**
 * One file uploaded for real outside a resident's declaration form: a job application's CV, or a material a
 * clerk scanned at the counter for the resident served (`forResident`). Its uploadId.
 */
export const uploadFile = (file: File, forResident?: string): Promise<string> => uploadOnce(file, () => undefined, forResident);
