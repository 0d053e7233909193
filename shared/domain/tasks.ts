// Approval tasks: one waiting step of a case's approval chain, or the supervisors' follow-up of a low rating.
// The Step Functions task token of a step is not part of the entity: it stays on the stored item only.

import type { ApprovalRole } from './catalog.ts';
import type { Decision } from './cases.ts';

/** `withdrawn`: the resident withdrew the case before the step was decided; it can no longer be decided. */
export type TaskStatus = 'pending' | 'decided' | 'withdrawn';

export type Task = {
  id: string;
  caseId: string;
  /** The case's centre: only its staff see and decide the task. */
  centre: string;
  matter: string;
  category: string;
  role: ApprovalRole;
  /** The step of the approval chain (0 for a follow-up, which belongs to no chain). */
  stepIndex: number;
  /** Absent on approval steps; `follow-up` for the supervisors' follow-up of a low rating. */
  kind?: 'follow-up';
  dueDate: string;
  status: TaskStatus;
  overdue: boolean;
  openedAt: string;
  decision?: Decision;
  comment?: string;
  missingMaterials?: string[];
  decidedBy?: string;
  decidedAt?: string;
  withdrawnAt?: string;
};

export type FollowUpTask = Omit<Task, 'status' | 'overdue' | 'decision' | 'comment' | 'missingMaterials' | 'decidedBy' | 'decidedAt' | 'withdrawnAt'> & {
  kind: 'follow-up';
};
