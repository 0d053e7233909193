// The output a decided task hands to its waiting workflow step (SendTaskSuccess).

import type { Task } from '../../../shared/domain/tasks.ts';
import type { DecisionOutput } from '../../../shared/ports/workflows.ts';

export const decisionOutput = (task: Task): DecisionOutput => ({
  taskId: task.id,
  decision: task.decision!,
  comment: task.comment ?? null,
  missingMaterials: task.missingMaterials ?? [],
  decidedBy: task.decidedBy!,
  ...(task.decidedByName ? { decidedByName: task.decidedByName } : {}),
});
