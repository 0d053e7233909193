// The materials field of POST /cases and POST /cases/{id}/materials: each a material code of the matter
// and a reference to the uploaded file.

import * as z from 'zod/mini';
import { text } from '../../shared/http/schemas.ts';
import type { Matter } from '../../shared/domain/catalog.ts';
import { validationFailed } from '../../shared/domain/errors.ts';

export const materialsSchema = z
  .array(z.strictObject({ type: text(64), ref: text(500) }))
  .check(z.maxLength(20));

/** Every material type must be one the matter asks for: 400 at `materials.<i>.type` otherwise. */
export function checkMaterialTypes(matter: Matter, materials: { type: string }[]): void {
  const known = new Set(matter.materials.map((m) => m.code));
  const errors = materials.flatMap((m, i) =>
    known.has(m.type) ? [] : [{ path: `materials.${i}.type`, message: `not a material of ${matter.code}: one of ${[...known].join(', ')}` }],
  );
  if (errors.length > 0) throw validationFailed(errors);
}
