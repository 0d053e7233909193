// Scheduled job: deletes, file and record, the files whose retention has ended: those of decided cases
// (FILE_RETENTION_DAYS after the decision), files replaced in a resubmission, and CVs (CV_RETENTION_DAYS after
// their posting's closing day). The case keeps its history and the material's type, the application its
// status; viewing the material or the CV then answers 404.

import { listUploadsDueForPurge } from '../../shared/data/uploads.ts';
import { deleteUploadAndFile } from './lib/delete-uploads.ts';

const BATCH = 100;

export const handler = async () => {
  const now = new Date();
  let deleted = 0;
  for (;;) {
    const due = await listUploadsDueForPurge(now, BATCH);
    for (const upload of due) await deleteUploadAndFile(upload.id);
    deleted += due.length;
    if (due.length < BATCH) return { deleted };
  }
};
