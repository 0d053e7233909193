// A clerk's upload of a material scanned or photographed at the counter, for the resident served: a slot
// from POST /uploads naming the resident (forResident), then the bytes PUT straight to storage with exactly
// the headers the slot names, as the resident app's upload does for the resident's own files.

import { call } from '../api/client.ts';
import { NetworkFailure } from '../api/problem.ts';
import type { FileType } from '../../../shared/domain/uploads.ts';

export async function uploadForResident(residentId: string, file: File): Promise<string> {
  const slot = await call('POST /uploads', {
    body: { fileName: file.name.slice(0, 200) || 'scan', contentType: file.type as FileType, size: file.size, forResident: residentId },
  });
  let res: Response;
  try {
    res = await fetch(slot.url, { method: slot.method, headers: slot.headers, body: file });
  } catch {
    throw new NetworkFailure('PUT upload: no answer');
  }
  if (!res.ok) throw new NetworkFailure(`PUT upload: ${res.status}`);
  return slot.uploadId;
}
