// Approval tasks: one waiting step of a case's approval chain, or the supervisors' follow-up of a low rating.
// The Step Functions task token of a step is not part of the entity: it stays on the stored item only.

import type { ApprovalRole } from './catalog.ts';
import { taskId, type Decision } from './cases.ts';

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
  /** The decider as the resident sees them (a window or a staff display name): shared/domain/cases.ts. */
  decidedByName?: string;
  decidedAt?: string;
  withdrawnAt?: string;
};

export type FollowUpTask = Omit<
  Task,
  'status' | 'overdue' | 'decision' | 'comment' | 'missingMaterials' | 'decidedBy' | 'decidedByName' | 'decidedAt' | 'withdrawnAt'
> & { kind: 'follow-up' };

/**
 * The approval steps of a case that are not step `stepIndex`, in every review round so far: the steps whose
 * deciders may not decide this one (separation of duties). Task ids are built, not searched for: no Scan.
 */
export function otherStepTaskIds(caseId: string, rounds: number, chainLength: number, stepIndex: number): string[] {
  const ids: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (let step = 0; step < chainLength; step++) if (step !== stepIndex) ids.push(taskId(caseId, round, step));
  }
  return ids;
}

/**
 * 四眼原则: why `userId` may not decide `task`, or undefined. The applicant never decides their own case (an
 * account in the staff or supervisor groups may also be a resident); and one person decides at most one
 * step of a case, in any round, so a two-step chain always has two deciders. A follow-up of a rating belongs
 * to no chain: only the first rule applies to it (the resident who rated does not close the complaint).
 */
export function separationOfDutiesConflict(applicantId: string, userId: string, task: Pick<Task, 'kind'>, otherSteps: Task[]): string | undefined {
  if (applicantId === userId) return 'You submitted this case: its decisions are for other staff.';
  if (task.kind === 'follow-up') return undefined;
  const decided = otherSteps.find((step) => step.status === 'decided' && step.decidedBy === userId);
  return decided ? `You decided step ${decided.stepIndex + 1} of this case; another person decides this step.` : undefined;
}
