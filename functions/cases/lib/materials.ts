// The materials of a case as a request gives them, for every path that writes a case's materials
// (POST /cases, the counter's POST /residents/{userId}/cases, POST /cases/{id}/materials): each upload must
// be one of the resident's own (a clerk's counter uploads are the resident's too) and not attached to
// another case; the write that stores the materials attaches the uploads in the same transaction, so an
// upload ends up in exactly one case even when two requests race for it.

import type * as z from 'zod/mini';
import { asMaterial, materialsSchema } from '../../../shared/api/cases.ts';
import { cancellationCodes, type TransactItem } from '../../../shared/data/conditional-writes.ts';
import { attachUpload, getUploads } from '../../../shared/data/uploads.ts';
import { isUploaded, type Material } from '../../../shared/domain/cases.ts';
import { validationFailed, type FieldError } from '../../../shared/domain/errors.ts';

type Attachment = { uploadId: string; type: string; path: string };
export type AttachableMaterials = { list: Material[]; attachments: Attachment[] };

/**
 * The request's materials for the resident `residentId`, checked against the uploads they name; `caseId`
 * is the case they are added to, when it exists (an upload already attached to it may be named again).
 * 400 at `materials.<i>.uploadId` for an upload that is not the resident's (or no longer exists), is
 * attached to another case, or is named twice.
 */
export async function attachableMaterials(given: z.output<typeof materialsSchema>, residentId: string, caseId?: string): Promise<AttachableMaterials> {
  const list = given.map(asMaterial);
  const attachments = list.flatMap((m, i) => (isUploaded(m) ? [{ uploadId: m.uploadId, type: m.type, path: `materials.${i}.uploadId` }] : []));
  if (attachments.length === 0) return { list, attachments };

  const uploads = await getUploads(attachments.map((a) => a.uploadId));
  const errors: FieldError[] = attachments.flatMap(({ uploadId, path }, i): FieldError[] => {
    const upload = uploads.get(uploadId);
    // Someone else's upload reads exactly like one that does not exist: nothing is learnt about it.
    if (!upload || upload.residentId !== residentId || upload.status === 'expired') {
      return [{ path, message: 'no upload of yours with this id (an upload not attached within 24 hours is deleted)' }];
    }
    if (attachments.findIndex((a) => a.uploadId === uploadId) < i) return [{ path, message: 'this upload is named twice: one file is one material' }];
    if (upload.status === 'attached' && upload.caseId !== caseId) return [{ path, message: 'this upload belongs to another case: upload the file again' }];
    return [];
  });
  if (errors.length > 0) throw validationFailed(errors);
  return { list, attachments };
}

/**
 * Runs the write that stores the materials of case `c` with the transaction items attaching its uploads.
 * An upload another case took in the meantime is 400 at its path, and nothing is written.
 */
export async function withAttachments<T>(
  materials: AttachableMaterials,
  c: { id: string; residentId: string },
  write: (attach: TransactItem[]) => Promise<T>,
): Promise<T> {
  const at = new Date().toISOString();
  const attach = materials.attachments.map((a) => attachUpload(a.uploadId, { caseId: c.id, residentId: c.residentId, materialType: a.type, at }));
  try {
    return await write(attach);
  } catch (error) {
    const codes = cancellationCodes(error);
    const taken = materials.attachments.filter((_, i) => codes[i + 1] === 'ConditionalCheckFailed');
    if (taken.length > 0) throw validationFailed(taken.map(({ path }) => ({ path, message: 'this upload was attached to another case meanwhile: upload the file again' })));
    throw error;
  }
}
