// Staff's view of an approval task (API.md "Shapes") with a summary of its case. The task token and the
// resident's personal data are not part of it.

import type { Task } from '../../shared/domain/tasks.ts';
import type { Case } from '../../shared/domain/cases.ts';
import { isOverdue } from '../../shared/domain/cases.ts';

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
    ? { case: { status: c.status, submittedAt: c.submittedAt, dueDate: c.dueDate, materials: c.materials, ...(c.note ? { note: c.note } : {}), ...(c.rating ? { rating: c.rating } : {}) } }
    : {}),
});
