// Approval tasks: staff's queue and their decisions.

import * as z from 'zod/mini';
import type { Case } from '../domain/cases.ts';
import { DECISIONS, isOverdue } from '../domain/cases.ts';
import type { Task } from '../domain/tasks.ts';
import { caseView, materialsView } from './cases.ts';
import { endpoint } from './endpoint.ts';
import { centreSchema, codeSchema, pageQuery, text } from './fields.ts';

export const listTasks = endpoint({
  route: 'GET /tasks',
  summary: "The caller's approval queue, earliest due first",
  query: z.object({ ...pageQuery, status: z._default(z.literal('pending'), 'pending'), centre: z.optional(centreSchema) }),
});

export const decideTask = endpoint({
  route: 'POST /tasks/{id}/decision',
  summary: 'Approve, reject or return a pending step (or close a rating follow-up)',
  params: z.object({
    id: z.string().check(z.regex(/^C\d{8}-\d{4,6}-(R\d{1,3}S\d{1,2}|F1)$/, 'a task id such as C20261128-0007-R1S1 (or -F1, a follow-up)')),
  }),
  body: z
    .strictObject({
      decision: z.enum(DECISIONS),
      comment: z.optional(text(500, { multiline: true })),
      missingMaterials: z.optional(z.array(codeSchema).check(z.maxLength(20))),
    })
    .check(
      z.refine((b) => b.decision !== 'return' || (b.missingMaterials?.length ?? 0) > 0 || b.comment !== undefined, {
        path: ['missingMaterials'],
        message: 'a return names the missing materials or says why in a comment',
      }),
    ),
});

/**
 * Staff's view of a task (API.md "Shapes") with a summary of its case: materials, what the review found
 * missing, and the case's timeline, which the deciding clerk reads before deciding. No token, no personal data.
 */
export const taskView = (task: Task, c: Case | undefined, now: Date) => ({
  id: task.id,
  caseId: task.caseId,
  matter: task.matter,
  category: task.category,
  role: task.role,
  kind: task.kind ?? 'approval',
  dueDate: task.dueDate,
  status: task.status,
  overdue: task.status === 'pending' ? task.overdue || isOverdue(task.dueDate, now) : task.overdue,
  ...(task.decision ? { decision: task.decision, decidedBy: task.decidedBy, decidedAt: task.decidedAt } : {}),
  ...(task.comment ? { comment: task.comment } : {}),
  ...(c
    ? {
        case: {
          status: c.status,
          submittedAt: c.submittedAt,
          dueDate: c.dueDate,
          materials: materialsView(c.materials),
          missingMaterials: c.missingMaterials,
          ...(c.note ? { note: c.note } : {}),
          ...(c.rating ? { rating: c.rating } : {}),
          history: caseView(c).history,
        },
      }
    : {}),
});
