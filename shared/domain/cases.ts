// Case lifecycle rules, pure: the automatic review, the approval plan (one step per role of the matter's
// chain, each with a due date from the working-day calendar), how long a step may wait, and what a staff
// decision leads to. The workflow Lambdas apply these; nothing here does I/O.

import { endOfShanghaiDay, workingDaysAfter } from './calendar.ts';
import type { ApprovalRole, Category, Matter } from './catalog.ts';
import { ageOn, parseIdNumber } from './id-number.ts';
import { fileProblems, type MaterialProblem, type UploadFinding } from './uploads.ts';

export const CASE_STATUSES = ['submitted', 'returned', 'in_review', 'approved', 'rejected', 'withdrawn', 'failed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const DECISIONS = ['approve', 'reject', 'return'] as const;
export type Decision = (typeof DECISIONS)[number];

/**
 * A material of a case: an uploaded file (`uploadId`, see uploads.ts), or v1's reference to a file kept
 * elsewhere (`ref`), which counts as present but was never checked. `verified` is the last review's verdict
 * on an uploaded file.
 */
export type Material = { type: string; ref: string } | { type: string; uploadId: string; verified?: boolean };
export const isUploaded = (m: Material): m is Extract<Material, { uploadId: string }> => 'uploadId' in m;

/**
 * One transition of a case. `actor` is the account (or `system`) that made it, kept for staff and audits;
 * `actorName` is who the resident is shown: a window or a staff display name, never an account id.
 * `material`: the type of the material a staff member looked at (a view is history too: these are ID cards).
 */
export type HistoryEntry = { at: string; status: CaseStatus; actor: string; actorName?: string; note?: string; material?: string };
export type CurrentStep = { index: number; role: ApprovalRole; dueDate: string; taskId: string };

export type Case = {
  id: string;
  residentId: string;
  /** The service centre that handles it: the centre of the resident's community at submission. */
  centre: string;
  matter: string;
  category: string;
  status: CaseStatus;
  /** Review round: 1 on submission, +1 each time returned materials are added. */
  round: number;
  submittedAt: string;
  dueDate: string | null;
  currentStep: CurrentStep | null;
  plan: PlannedStep[] | null;
  materials: Material[];
  note?: string;
  missingMaterials: string[];
  /** What the last review found wrong with uploaded materials (their types are in missingMaterials too). */
  materialProblems?: MaterialProblem[];
  reason?: string | null;
  decidedAt?: string;
  /** When the resident withdrew it (status `withdrawn`). */
  withdrawnAt?: string;
  /** A matter that needs a visit: its approved result waits at the centre's window until collected. */
  collection?: Collection;
  rating?: { score: number; comment?: string; at: string };
  history: HistoryEntry[];
};

export type Rating = NonNullable<Case['rating']>;

export type Collection = { status: 'awaiting' | 'collected'; at?: string; by?: string };

export type ReviewOutcome =
  | { outcome: 'accepted' }
  | {
      outcome: 'returned';
      missingMaterials: string[];
      materialProblems: MaterialProblem[];
      reason: 'missing_materials' | 'under_retirement_age' | 'no_profile';
    };

/** What the review read of the case's uploads: each upload's record and file, by upload id. */
export type FileFindings = { residentId: string; byUpload: ReadonlyMap<string, UploadFinding> };

/** Retirement age in the rule of API.md: 60 for men, 50 for women. */
const RETIREMENT_AGE = { male: 60, female: 50 } as const;

/** Every problem of every uploaded material; a v1 reference has none (it is taken as given). */
export function materialProblems(materials: Material[], files: FileFindings | undefined): MaterialProblem[] {
  return materials.filter(isUploaded).flatMap((m) => {
    const found = files?.byUpload.get(m.uploadId);
    return fileProblems(found?.upload, files?.residentId ?? '', found?.stored).map((problem) => ({ type: m.type, problem }));
  });
}

/**
 * The automatic review: every required material present (all missing codes reported at once), and for
 * retirement the applicant's age from the ID number. An uploaded material is present only when its file
 * arrived, is the resident's, is of its declared type by magic number and within size (`files`: what the
 * review read of them); every problem of every file is reported at once too. `idNumber` is undefined when
 * the resident has no profile.
 */
export function autoReview(matter: Matter, materials: Material[], idNumber: string | undefined, today: string, files?: FileFindings): ReviewOutcome {
  const problems = materialProblems(materials, files);
  const present = new Set(materials.filter((m) => !problems.some((p) => p.type === m.type)).map((m) => m.type));
  const missingMaterials = matter.materials.map((m) => m.code).filter((code) => !present.has(code));
  if (missingMaterials.length > 0) return { outcome: 'returned', missingMaterials, materialProblems: problems, reason: 'missing_materials' };
  if (matter.autoReview === 'retirement-age') {
    const parsed = idNumber ? parseIdNumber(idNumber, today) : undefined;
    if (!parsed?.ok) return { outcome: 'returned', missingMaterials: [], materialProblems: [], reason: 'no_profile' };
    if (ageOn(parsed.value.birthDate, today) < RETIREMENT_AGE[parsed.value.sex]) {
      return { outcome: 'returned', missingMaterials: [], materialProblems: [], reason: 'under_retirement_age' };
    }
  }
  return { outcome: 'accepted' };
}

/** The materials with the review's verdict on each uploaded file. */
export const withVerdicts = (materials: Material[], problems: MaterialProblem[]): Material[] =>
  materials.map((m) => (isUploaded(m) ? { ...m, verified: !problems.some((p) => p.type === m.type) } : m));

export type PlannedStep = { index: number; role: ApprovalRole; dueDate: string };

/**
 * Spreads the matter's SLA over its approval chain: step i of n is due after ceil(sla·(i+1)/n) working days
 * from the review day, so the last step is due on the case's due date.
 */
export function approvalPlan(matter: Matter, reviewDate: string): { dueDate: string; steps: PlannedStep[] } {
  const n = matter.approvalChain.length;
  const steps = matter.approvalChain.map((role, index) => ({
    index,
    role,
    dueDate: workingDaysAfter(reviewDate, Math.ceil((matter.slaWorkingDays * (index + 1)) / n)),
  }));
  return { dueDate: workingDaysAfter(reviewDate, matter.slaWorkingDays), steps };
}

/**
 * Waits longer than this are cut and simply resumed: Step Functions allows a year, but the local engine's
 * timers overflow at 24.8 days.
 */
export const MAX_WAIT_SECONDS = 20 * 24 * 3600;
/** Once a step is overdue, supervisors are reminded again after each further day. */
export const OVERDUE_REMINDER_SECONDS = 24 * 3600;

/** How long a step waits before the workflow looks at it again, and whether that moment is its deadline. */
export function stepWait(dueDate: string, now: Date): { timeoutSeconds: number; reachesDue: boolean } {
  const untilDue = Math.ceil((endOfShanghaiDay(dueDate).getTime() - now.getTime()) / 1000);
  if (untilDue <= 0) return { timeoutSeconds: OVERDUE_REMINDER_SECONDS, reachesDue: true };
  if (untilDue > MAX_WAIT_SECONDS) return { timeoutSeconds: MAX_WAIT_SECONDS, reachesDue: false };
  return { timeoutSeconds: untilDue, reachesDue: true };
}

export const isOverdue = (dueDate: string, now: Date) => now.getTime() > endOfShanghaiDay(dueDate).getTime();

export type NextAfterDecision =
  | { action: 'open-step'; stepIndex: number }
  | { action: 'finalize'; outcome: 'approved' | 'rejected' }
  | { action: 'returned' };

/** Approve moves to the next role of the chain or finishes; reject finishes; return sends the case back. */
export function nextAfterDecision(decision: Decision, stepIndex: number, chainLength: number): NextAfterDecision {
  if (decision === 'reject') return { action: 'finalize', outcome: 'rejected' };
  if (decision === 'return') return { action: 'returned' };
  return stepIndex + 1 < chainLength ? { action: 'open-step', stepIndex: stepIndex + 1 } : { action: 'finalize', outcome: 'approved' };
}

/** `C20261128-0007`: short enough to read out on the phone; the date is the Shanghai submission day. */
export function caseId(submissionDate: string, sequence: number): string {
  return `C${submissionDate.replaceAll('-', '')}-${String(sequence).padStart(4, '0')}`;
}

/** A task is one approval step of one review round of a case: `C20261128-0007-R1S2`. */
export function taskId(caseIdValue: string, round: number, stepIndex: number): string {
  return `${caseIdValue}-R${round}S${stepIndex + 1}`;
}

/** A resident may withdraw a case until it is decided: while it waits for review, for materials or for staff. */
export const WITHDRAWABLE_STATUSES: readonly CaseStatus[] = ['submitted', 'returned', 'in_review'];

export const ROLE_NAMES: Record<ApprovalRole, string> = { caseworker: '窗口经办', supervisor: '科室负责人' };

/**
 * How a staff decision is signed for the resident: the window (社会保险窗口) or the role (科室负责人), with the
 * staff member's display name (the token's `name`) when the account has one.
 */
export function staffActorName(role: ApprovalRole, category: Category, name?: string): string {
  const signer = role === 'caseworker' ? `${category.name.zh}窗口` : ROLE_NAMES[role];
  return name ? `${signer} ${name}` : signer;
}

/** The actor a resident sees on a history entry: its display name, else 系统 / 本人 / 工作人员, never an id. */
export function historyActorName(entry: HistoryEntry, residentId: string): string {
  if (entry.actorName) return entry.actorName;
  if (entry.actor === 'system') return '系统';
  return entry.actor === residentId ? '本人' : '工作人员';
}

export const RETURN_REASON_TEXT: Record<string, string> = {
  missing_materials: '材料不全',
  under_retirement_age: '未到法定退休年龄',
  no_profile: '请先完善个人信息',
};
