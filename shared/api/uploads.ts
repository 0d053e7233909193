// Uploads: a slot for one file, which the client then PUTs straight to storage (never through the API).

import * as z from 'zod/mini';
import { FILE_TYPES, MAX_FILE_BYTES, type Upload } from '../domain/uploads.ts';
import type { UploadSlot } from '../ports/file-uploads.ts';
import { endpoint } from './endpoint.ts';
import { text, userIdSchema } from './fields.ts';

export const createUpload = endpoint({
  route: 'POST /uploads',
  summary: 'An upload slot for one JPEG, PNG or PDF of up to 10 MB: PUT the file to its URL with its headers',
  body: z.strictObject({
    fileName: text(200),
    contentType: z.enum(FILE_TYPES),
    size: z.number().check(z.int('whole bytes'), z.minimum(1), z.maximum(MAX_FILE_BYTES)),
    /** Staff at the counter upload for the resident they serve. */
    forResident: z.optional(userIdSchema),
  }),
});

/** The answer of POST /uploads (API.md "Materials as real files"). */
export const uploadSlotView = (upload: Upload, slot: UploadSlot) => ({
  uploadId: upload.id,
  url: slot.url,
  method: slot.method,
  headers: slot.headers,
  expiresAt: slot.expiresAt,
  fileName: upload.fileName,
  contentType: upload.contentType,
  size: upload.size,
  residentId: upload.residentId,
});
