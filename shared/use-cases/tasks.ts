import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { auditEntry } from '#domain/audit';
import type { Principal } from '#domain/auth';
import { NotFoundError, UnprocessableError, VersionConflictError } from '#domain/errors';
import type { ImprovementTask } from '#domain/model';
import type { CreateTaskRequest, UpdateTaskRequest } from '#domain/requests';

export type TaskDeps = { assessments: AssessmentRepository; now: () => Date };

/** GET /assessments/{id}/tasks. */
export const listTasks = async (deps: TaskDeps, input: { assessmentId: string }) => {
  const [plan, tasks] = await Promise.all([
    deps.assessments.getWithPlan(input.assessmentId),
    deps.assessments.listTasks(input.assessmentId),
  ]);
  if (!plan) throw new NotFoundError(`assessment ${input.assessmentId} not found`);
  return { tasks };
};

/** POST /assessments/{id}/tasks: responsible agencies must exist in the assessment (422). */
export const createTask = async (
  deps: TaskDeps,
  principal: Principal,
  input: { assessmentId: string; task: CreateTaskRequest },
): Promise<ImprovementTask> => {
  const now = deps.now().toISOString();
  const overview = await deps.assessments.getOverview(input.assessmentId);
  if (!overview) throw new NotFoundError(`assessment ${input.assessmentId} not found`);
  const responsible = input.task.responsibleAgencies;
  if (responsible !== 'all') {
    const known = new Set(overview.agencies.map((a) => a.agency.id));
    const unknown = responsible.flatMap((id, i) =>
      known.has(id)
        ? []
        : [{ path: `responsibleAgencies.${i}`, message: `no agency ${id} in this assessment` }],
    );
    if (unknown.length > 0) throw new UnprocessableError('unknown responsible agencies', unknown);
  }
  const task: ImprovementTask = { ...input.task, version: 1 };
  await deps.assessments.createTask(
    input.assessmentId,
    task,
    auditEntry(
      principal,
      {
        assessmentId: input.assessmentId,
        action: 'task.create',
        target: `task/${task.id}`,
        changes: { task: input.task },
      },
      now,
    ),
  );
  return task;
};

/**
 * The status and progress after a change. Progress 100 without a status means done; `done` means
 * 100 %, so `done` with less is refused (422); starting work moves a planned task in progress.
 */
export const nextTaskState = (
  task: Pick<ImprovementTask, 'status' | 'progress'>,
  change: UpdateTaskRequest,
): { status: ImprovementTask['status']; progress: number } => {
  const status =
    change.status ??
    (change.progress === 100
      ? 'done'
      : task.status === 'planned' && (change.progress ?? 0) > 0
        ? 'in_progress'
        : task.status);
  const progress = change.progress ?? (status === 'done' ? 100 : task.progress);
  if (status === 'done' && progress !== 100)
    throw new UnprocessableError('a done task is at 100 %', [
      { path: 'progress', message: `${progress} contradicts status done` },
    ]);
  return { status, progress };
};

/**
 * PATCH /assessments/{id}/tasks/{taskId}. `allow` is the caller's authorization for this task
 * (an agency may update only tasks it is responsible for), applied once the task is known.
 */
export const updateTask = async (
  deps: TaskDeps,
  principal: Principal,
  input: { assessmentId: string; taskId: string; change: UpdateTaskRequest; expectedVersion: number },
  allow: (task: ImprovementTask) => void,
): Promise<ImprovementTask> => {
  const now = deps.now().toISOString();
  const task = await deps.assessments.getTask(input.assessmentId, input.taskId);
  if (!task) throw new NotFoundError(`task ${input.taskId} not found in ${input.assessmentId}`);
  allow(task);
  if ((task.version ?? 1) !== input.expectedVersion) throw new VersionConflictError();
  const next = nextTaskState(task, input.change);
  await deps.assessments.updateTask(
    input.assessmentId,
    input.taskId,
    next,
    input.expectedVersion,
    now,
    auditEntry(
      principal,
      {
        assessmentId: input.assessmentId,
        ...(principal.agencyId ? { agencyId: principal.agencyId } : {}),
        action: 'task.update',
        target: `task/${input.taskId}`,
        changes: next,
      },
      now,
    ),
  );
  return { ...task, ...next, version: input.expectedVersion + 1 };
};
