// Scheduled job: deletes the files of decided cases once their retention has ended (FILE_RETENTION_DAYS after
// the decision), and files replaced in a resubmission, file and record. The case keeps its history and the
// material's type; viewing the material then answers 404.

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
