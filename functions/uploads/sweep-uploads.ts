// Scheduled job: deletes every upload not attached to a case within 24 hours, file and record. Each is first
// claimed as `expired` (from then on it cannot be attached), so a resident attaching it at the same moment
// either wins (and it stays) or gets a 400. In AWS the bucket's lifecycle rule and the record's TTL delete the
// same uploads too, a day or two later; this job keeps the 24 hours, and is what does it under `npm start`.

import { expireUpload, listUnattachedBefore } from '../../shared/data/uploads.ts';
import { unattachedCutoff } from '../../shared/domain/uploads.ts';
import { deleteUploadAndFile } from './lib/delete-uploads.ts';

const BATCH = 100;

export const handler = async () => {
  const cutoff = unattachedCutoff(new Date());
  let deleted = 0;
  for (;;) {
    const due = await listUnattachedBefore(cutoff, BATCH);
    let claimed = 0;
    for (const upload of due) {
      if (!(await expireUpload(upload.id))) continue;
      await deleteUploadAndFile(upload.id);
      claimed++;
    }
    deleted += claimed;
    if (due.length < BATCH || claimed === 0) return { deleted };
  }
};
