// Deleting uploads for good: the file first, then its record, so a failure in between leaves the record
// for the next attempt and never a file nobody knows of. Used by the sweep of never-attached uploads, the
// purge of decided cases' files after retention, and — the hook for withdrawing a case before review —
// `deleteCaseFiles` (its function needs `files: ['delete']` in infra/function-needs.ts).

import { deleteUpload } from '../../../shared/data/uploads.ts';
import { isUploaded, type Case } from '../../../shared/domain/cases.ts';
import { storageKey } from '../../../shared/domain/uploads.ts';
import { deleteFile } from '../../../shared/ports/file-deletes.ts';

export async function deleteUploadAndFile(uploadId: string): Promise<void> {
  await deleteFile(storageKey(uploadId));
  await deleteUpload(uploadId);
}

/** Deletes every uploaded file of a case now (a case withdrawn before its review needs none of them). */
export async function deleteCaseFiles(c: Pick<Case, 'materials'>): Promise<void> {
  for (const m of c.materials.filter(isUploaded)) await deleteUploadAndFile(m.uploadId);
}
