// POST /uploads — an upload slot for one file: the record of the upload (whose file it is, its declared
// type and size) and the URL the client PUTs the file to, straight to storage. A resident uploads their
// own files; a clerk at the counter uploads for a resident of their centre (`forResident`).

import { randomBytes } from 'node:crypto';
import * as api from '../../shared/api/uploads.ts';
import { getResident } from '../../shared/data/residents.ts';
import { createUpload } from '../../shared/data/uploads.ts';
import { centreOfCommunity } from '../../shared/domain/centres.ts';
import { notFound, validationFailed } from '../../shared/domain/errors.ts';
import { storageKey, UPLOAD_URL_SECONDS, type Upload } from '../../shared/domain/uploads.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { homeCentre, type Caller } from '../../shared/http/auth.ts';
import { uploadSlot } from '../../shared/ports/file-uploads.ts';

/** Whose file it is: the caller's own, or at the counter the resident served, who must be of the clerk's centre. */
async function residentOfUpload(caller: Caller, forResident: string | undefined): Promise<string> {
  if (forResident === undefined) {
    if (!caller.roles.includes('resident')) throw validationFailed([{ path: 'forResident', message: 'staff upload for the resident they serve: give their userId' }]);
    return caller.userId;
  }
  if (!caller.roles.includes('staff')) throw validationFailed([{ path: 'forResident', message: 'only staff at the counter upload for someone else' }]);
  const centre = homeCentre(caller);
  const profile = await getResident(forResident);
  // A resident of another centre reads like one that does not exist (tenancy: 404, never 403).
  if (!profile || centreOfCommunity(profile.community)?.code !== centre) throw notFound(`No resident ${forResident} at your centre.`);
  return forResident;
}

export const handler = apiHandler(api.createUpload, async ({ body, caller }) => {
  const residentId = await residentOfUpload(caller, body.forResident);
  const now = new Date();
  const upload: Upload = {
    id: `U${randomBytes(16).toString('hex')}`,
    residentId,
    uploadedBy: caller.userId,
    fileName: body.fileName,
    contentType: body.contentType,
    size: body.size,
    status: 'pending',
    createdAt: now.toISOString(),
  };
  await createUpload(upload);
  const slot = await uploadSlot(storageKey(upload.id), upload, UPLOAD_URL_SECONDS, now);
  return created(api.uploadSlotView(upload, slot));
});
