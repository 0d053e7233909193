// The upload step of a material: from the file the resident picked to the reference a case carries. The
// v1 API takes a material as { type, ref } and keeps files elsewhere, so the reference is the file's name;
// when uploads arrive (POST /uploads, a presigned PUT, then { type, uploadId }) only this module changes.

import type { FILE_TYPES } from '../../shared/domain/uploads.ts';
import { call } from './api/client.ts';
import { NetworkFailure } from './api/problem.ts';

export type MaterialFile = { type: string; file: File };

export async function materialsFrom(files: MaterialFile[]): Promise<{ type: string; ref: string }[]> {
  return files.map(({ type, file }) => ({ type, ref: file.name }));
}

/** One file uploaded for real (POST /uploads, then the presigned PUT): the uploadId a request names it by (a CV). */
export async function uploadFile(file: File): Promise<string> {
  const slot = await call('POST /uploads', { body: { fileName: file.name.slice(0, 200), contentType: file.type as (typeof FILE_TYPES)[number], size: file.size } });
  let put: Response;
  try {
    put = await fetch(slot.url, { method: slot.method, headers: slot.headers, body: file });
  } catch {
    throw new NetworkFailure('file upload: no answer');
  }
  if (!put.ok) throw new NetworkFailure(`file upload: ${put.status}`);
  return slot.uploadId;
}
