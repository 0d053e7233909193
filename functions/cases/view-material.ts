// GET /cases/{id}/materials/{type} — opens a material's file: 302 to a download URL that lives a minute.
// For the case's owner, and for staff and supervisors of the case's centre; anyone else gets 404, as for a
// case that does not exist. Every staff view is written to the case's history before the URL is handed
// out (who looked, when): these are ID cards and income proofs.

import * as api from '../../shared/api/cases.ts';
import { appendHistory, getCase } from '../../shared/data/cases.ts';
import { getUpload } from '../../shared/data/uploads.ts';
import { isUploaded, type Case } from '../../shared/domain/cases.ts';
import { findMatter } from '../../shared/domain/catalog.ts';
import { notFound } from '../../shared/domain/errors.ts';
import { storageKey, VIEW_URL_SECONDS } from '../../shared/domain/uploads.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { actorNameOf, homeCentre, type Caller } from '../../shared/http/auth.ts';
import { downloadUrl } from '../../shared/ports/file-reads.ts';

/** Whether the caller may look at the case's files, and as whom; undefined reads as "no such case". */
function viewerOf(c: Case, caller: Caller): 'owner' | 'staff' | undefined {
  if (caller.roles.includes('resident') && c.residentId === caller.userId) return 'owner';
  if (caller.roles.some((role) => role === 'staff' || role === 'supervisor') && c.centre === homeCentre(caller)) return 'staff';
  return undefined;
}

export const handler = apiHandler(api.viewMaterial, async ({ params, caller }) => {
  const c = await getCase(params.id);
  const viewer = c && viewerOf(c, caller);
  if (!c || !viewer) throw notFound(`No case ${params.id}.`);
  const material = c.materials.find((m) => m.type === params.type);
  if (!material || !isUploaded(material)) throw notFound(`Case ${c.id} has no uploaded file for ${params.type}.`);
  if (c.materialProblems?.some((p) => p.type === params.type && p.problem === 'upload_missing')) {
    throw notFound(`The file for ${params.type} never arrived.`);
  }
  const upload = await getUpload(material.uploadId);
  if (!upload || upload.caseId !== c.id) throw notFound(`The file for ${params.type} is no longer kept.`);
  if (viewer === 'staff') {
    const name = findMatter(c.matter)?.materials.find((m) => m.code === params.type)?.name.zh ?? params.type;
    await appendHistory(c.id, { at: new Date().toISOString(), status: c.status, actor: caller.userId, actorName: actorNameOf(caller, c.category), note: `查看材料：${name}`, material: params.type });
  }
  const { url } = await downloadUrl(storageKey(upload.id), VIEW_URL_SECONDS);
  return { status: 302, headers: { location: url, 'cache-control': 'no-store' } };
});
