// The upload step of a material: from the file the resident picked to the reference a case carries. The
// v1 API takes a material as { type, ref } and keeps files elsewhere, so the reference is the file's name;
// when uploads arrive (POST /uploads, a presigned PUT, then { type, uploadId }) only this module changes.

export type MaterialFile = { type: string; file: File };

export async function materialsFrom(files: MaterialFile[]): Promise<{ type: string; ref: string }[]> {
  return files.map(({ type, file }) => ({ type, ref: file.name }));
}
