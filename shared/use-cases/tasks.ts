import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository, Overview } from '#adapters/dynamo/assessment-repository';
import { isOpenTaskStatus, namesAgency, responsibleAgencyIds } from '#domain/agency';
import { type AuditEntry, auditEntry } from '#domain/audit';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  VersionConflictError,
} from '#domain/errors';
import type { ImprovementTask } from '#domain/improvement';
import type { AgencySummary, AgencyTaskState } from '#domain/model';
import type { Principal } from '#domain/principal';
import { type CreateTaskRequest, DRAFT_EDIT_FIELDS, type UpdateTaskRequest } from '#domain/requests/tasks';
import { assertTaskTransition } from '#domain/task-transitions';
import { formatThaiWindow } from '#domain/thai-date';
import { agencyTaskStateView, taskView } from '#domain/views';

export type TaskDeps = {
  assessments: Pick<
    AssessmentRepository,
    'createTask' | 'getOverview' | 'getTask' | 'getWithPlan' | 'listTasks' | 'updateTask'
  >;
  agencies: Pick<AgencyRepository, 'addTaskEntries' | 'getSummary' | 'updateTaskState'>;
  now: () => Date;
};

export type TaskView = Omit<ReturnType<typeof taskView>, 'responsibleAgencies'> & {
  responsibleAgencies?: ImprovementTask['responsibleAgencies'];
};

/**
 * A task as an agency token sees it: without `responsibleAgencies`, which would tell it which
 * other agencies the province holds to the same task.
 */
const agencyTaskView = (task: ImprovementTask, own: readonly AgencySummary[]): TaskView => {
  const { responsibleAgencies: _hidden, ...view } = taskView(task, own);
  return view;
};

/**
 * The one 404 an agency token gets for a task it may not see: another agency's, a draft, or one
 * that does not exist answer alike, so it learns nothing about the others.
 */
const taskNotFound = (assessmentId: string, taskId: string) =>
  new NotFoundError(`task ${taskId} not found in ${assessmentId}`);

/**
 * GET /assessments/{id}/tasks. With `agencyId` (an agency token): the published tasks naming it,
 * each with its own state only. Otherwise every task with every responsible agency's state.
 */
export const listTasks = async (
  deps: TaskDeps,
  input: { assessmentId: string; agencyId?: string | undefined },
): Promise<{ tasks: TaskView[] }> => {
  const { assessmentId, agencyId } = input;
  if (agencyId !== undefined) {
    const [plan, tasks, summary] = await Promise.all([
      deps.assessments.getWithPlan(assessmentId),
      deps.assessments.listTasks(assessmentId),
      deps.agencies.getSummary(assessmentId, agencyId),
    ]);
    if (!plan) throw new NotFoundError(`assessment ${assessmentId} not found`);
    const own = summary ? [summary] : [];
    return {
      tasks: tasks
        .filter((t) => t.status !== 'draft' && namesAgency(t, agencyId))
        .map((t) => agencyTaskView(t, own)),
    };
  }
  const [overview, tasks] = await Promise.all([
    deps.assessments.getOverview(assessmentId),
    deps.assessments.listTasks(assessmentId),
  ]);
  if (!overview) throw new NotFoundError(`assessment ${assessmentId} not found`);
  return { tasks: tasks.map((t) => taskView(t, overview.agencies)) };
};

const unknownAgencies = (responsible: ImprovementTask['responsibleAgencies'], overview: Overview) => {
  if (responsible === 'all') return [];
  const known = new Set(overview.agencies.map((a) => a.agency.id));
  return responsible.flatMap((id, i) =>
    known.has(id)
      ? []
      : [{ path: `responsibleAgencies.${i}`, message: `no agency ${id} in this assessment` }],
  );
};

/** The agencies a published task names that have no state for it yet (none for a draft). */
const lackingState = (
  task: Pick<ImprovementTask, 'id' | 'status' | 'responsibleAgencies'>,
  agencies: readonly AgencySummary[],
): string[] => {
  if (task.status === 'draft') return [];
  const named = responsibleAgencyIds(
    task,
    agencies.map((a) => a.agency.id),
  );
  const has = new Set(agencies.filter((a) => a.tasks[task.id]).map((a) => a.agency.id));
  return named.filter((id) => !has.has(id));
};

/**
 * Gives the agencies beyond the first transaction their state (idempotent), each chunk with its
 * own audit entry derived from the change's.
 */
const addPending = async (
  deps: TaskDeps,
  assessmentId: string,
  taskId: string,
  pending: readonly string[],
  now: string,
  audit: AuditEntry,
) => {
  if (pending.length === 0) return;
  await deps.agencies.addTaskEntries(assessmentId, taskId, pending, now, {
    ...audit,
    id: crypto.randomUUID(),
    action: 'task.assign',
    changes: { agencies: pending.length },
  });
};

/**
 * POST /assessments/{id}/tasks: responsible agencies must exist in the assessment (422). Each
 * agency the task names gets its own `planned` state at 0 % in its summary (open count +1), in the
 * task's transaction (a task for more than ~97 agencies: the rest in further idempotent
 * transactions). A draft gives nobody a state yet. A POST for an id in use is a 409; when that
 * task is published it first completes any state an interrupted creation left out.
 */
export const createTask = async (
  deps: TaskDeps,
  principal: Principal,
  input: { assessmentId: string; task: CreateTaskRequest },
): Promise<ImprovementTask> => {
  const now = deps.now().toISOString();
  const overview = await deps.assessments.getOverview(input.assessmentId);
  if (!overview) throw new NotFoundError(`assessment ${input.assessmentId} not found`);
  const unknown = unknownAgencies(input.task.responsibleAgencies, overview);
  if (unknown.length > 0) throw new UnprocessableError('unknown responsible agencies', unknown);
  const task: ImprovementTask = { ...input.task, version: 1 };
  const audit = auditEntry(
    principal,
    {
      assessmentId: input.assessmentId,
      action: 'task.create',
      target: `task/${task.id}`,
      changes: { task: input.task },
    },
    now,
  );
  const agencyIds = lackingState(task, overview.agencies);
  try {
    const { pending } = await deps.assessments.createTask(input.assessmentId, task, audit, agencyIds, now);
    await addPending(deps, input.assessmentId, task.id, pending, now, audit);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const existing = await deps.assessments.getTask(input.assessmentId, task.id);
    if (existing)
      await addPending(
        deps,
        input.assessmentId,
        existing.id,
        lackingState(existing, overview.agencies),
        now,
        audit,
      );
    throw error;
  }
  return task;
};

/**
 * The status and progress after a change. Progress 100 without a status means done; `done` means
 * 100 %, so `done` with less is refused (422); starting work moves a planned task in progress.
 */
export const nextTaskState = (
  task: { status: ImprovementTask['status']; progress: number },
  change: Pick<UpdateTaskRequest, 'status' | 'progress'>,
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

/** An agency's state after a change; an agency's state is never a draft. */
export const nextAgencyTaskState = (
  state: AgencyTaskState,
  change: Pick<UpdateTaskRequest, 'status' | 'progress'>,
  now: string,
): AgencyTaskState => {
  const next = nextTaskState(state, change);
  if (next.status === 'draft')
    throw new UnprocessableError('an agency state cannot be a draft', [
      { path: 'status', message: 'use planned, in_progress, done or cancelled' },
    ]);
  return { status: next.status, progress: next.progress, updatedAt: now };
};

/** -1, 0 or +1: how the agency's open-task count moves when its state goes from `before` to `after`. */
export const openTasksDelta = (before: AgencyTaskState, after: AgencyTaskState): number =>
  Number(isOpenTaskStatus(after.status)) - Number(isOpenTaskStatus(before.status));

export type TaskUpdateResult =
  | { kind: 'task'; task: TaskView; etag: number }
  | {
      kind: 'agency';
      task: TaskView;
      agency: NonNullable<ReturnType<typeof agencyTaskStateView>> & { openTasks: number };
      etag: number;
    };

/** The draft-only fields a PATCH names (`guideline`, `method`, `window`). */
const draftEdits = (change: UpdateTaskRequest) => DRAFT_EDIT_FIELDS.filter((f) => change[f] !== undefined);

/**
 * A draft's new wording and window; the period text follows the window (`1 ต.ค. 2566 – 31 มี.ค.
 * 2567`), so the plan's table and the CSV never show a period the window no longer has.
 */
const reworded = (change: UpdateTaskRequest): TaskEdits => ({
  ...(change.guideline !== undefined ? { guideline: change.guideline } : {}),
  ...(change.method !== undefined ? { method: change.method } : {}),
  ...(change.window !== undefined
    ? { window: change.window, periodText: formatThaiWindow(change.window) }
    : {}),
});

export type TaskEdits = Partial<Pick<ImprovementTask, 'guideline' | 'method' | 'window' | 'periodText'>>;

/** One agency's own state: conditional on its summary's version (`If-Match`) and on the state existing. */
const updateAgencyState = async (
  deps: TaskDeps,
  principal: Principal,
  task: ImprovementTask,
  input: { assessmentId: string; agencyId: string; change: UpdateTaskRequest; expectedVersion: number },
): Promise<TaskUpdateResult> => {
  const { assessmentId, agencyId, change } = input;
  if (change.responsibleAgencies !== undefined)
    throw new UnprocessableError('responsible agencies belong to the task, not to one agency', [
      { path: 'responsibleAgencies', message: 'send it without agencyId (admin)' },
    ]);
  const edits = draftEdits(change);
  if (edits.length > 0)
    throw new UnprocessableError("a task's wording and window belong to the task, not to one agency", [
      { path: edits[0]!, message: 'send it without agencyId (admin), while the task is a draft' },
    ]);
  const now = deps.now().toISOString();
  const summary = await deps.agencies.getSummary(assessmentId, agencyId);
  if (!summary) throw new NotFoundError(`agency ${agencyId} not found in ${assessmentId}`);
  const state = summary.tasks[task.id];
  if (!state)
    throw new UnprocessableError(`agency ${agencyId} has no state for task ${task.id}`, [
      {
        path: 'agencyId',
        message: task.status === 'draft' ? 'the task is a draft: publish it first' : 'not responsible for it',
      },
    ]);
  if (summary.version !== input.expectedVersion) throw new VersionConflictError();
  const next = nextAgencyTaskState(state, change, now);
  assertTaskTransition(principal.role, state.status, next.status);
  const delta = openTasksDelta(state, next);
  await deps.agencies.updateTaskState(
    assessmentId,
    agencyId,
    task.id,
    next,
    delta,
    input.expectedVersion,
    auditEntry(
      principal,
      {
        assessmentId,
        agencyId,
        action: 'task.update',
        target: `task/${task.id}/agency/${agencyId}`,
        changes: { status: next.status, progress: next.progress },
      },
      now,
    ),
  );
  const updated: AgencySummary = {
    ...summary,
    tasks: { ...summary.tasks, [task.id]: next },
    openTasks: summary.openTasks + delta,
    version: input.expectedVersion + 1,
    updatedAt: now,
  };
  return {
    kind: 'agency',
    task: principal.role === 'agency' ? agencyTaskView(task, [updated]) : taskView(task, [updated]),
    agency: { ...agencyTaskStateView(updated, task.id)!, openTasks: updated.openTasks },
    etag: updated.version,
  };
};

/**
 * The task's overall state (admin). Leaving `draft` publishes the task: its responsible agencies
 * (which may be set in the same PATCH, and only while it is a draft) each get their own `planned`
 * state. A published task never goes back to draft. Any PATCH of a published task also gives a
 * state to a named agency that lacks one (an agency created while the task was written, or a
 * publication interrupted past its first transaction), so it completes what was left out.
 */
const updateOverallState = async (
  deps: TaskDeps,
  principal: Principal,
  task: ImprovementTask,
  input: { assessmentId: string; change: UpdateTaskRequest; expectedVersion: number },
): Promise<TaskUpdateResult> => {
  const { assessmentId, change } = input;
  const now = deps.now().toISOString();
  if ((task.version ?? 1) !== input.expectedVersion) throw new VersionConflictError();
  if (change.responsibleAgencies !== undefined && task.status !== 'draft')
    throw new UnprocessableError('the responsible agencies of a published task do not change', [
      { path: 'responsibleAgencies', message: 'set them while the task is a draft' },
    ]);
  const edited = draftEdits(change);
  if (edited.length > 0 && task.status !== 'draft')
    throw new UnprocessableError('the wording and window of a published task do not change', [
      { path: edited[0]!, message: 'reword and move a task while it is a draft' },
    ]);
  const edits = reworded(change);
  const next = nextTaskState(task, change);
  if (next.status === 'draft' && task.status !== 'draft')
    throw new UnprocessableError('a published task cannot go back to draft', [
      { path: 'status', message: 'cancel it instead' },
    ]);
  assertTaskTransition(principal.role, task.status, next.status);
  const overview = await deps.assessments.getOverview(assessmentId);
  if (!overview) throw new NotFoundError(`assessment ${assessmentId} not found`);
  const responsibleAgencies = change.responsibleAgencies ?? task.responsibleAgencies;
  const unknown = unknownAgencies(responsibleAgencies, overview);
  if (unknown.length > 0) throw new UnprocessableError('unknown responsible agencies', unknown);
  const updated: ImprovementTask = {
    ...task,
    ...edits,
    ...next,
    responsibleAgencies,
    version: input.expectedVersion + 1,
  };
  const agencyIds = lackingState(updated, overview.agencies);
  const audit = auditEntry(
    principal,
    {
      assessmentId,
      action: task.status === 'draft' && next.status !== 'draft' ? 'task.publish' : 'task.update',
      target: `task/${task.id}`,
      changes: {
        ...next,
        ...edits,
        ...(change.responsibleAgencies !== undefined ? { responsibleAgencies } : {}),
        ...(agencyIds.length > 0 ? { agenciesGivenState: agencyIds.length } : {}),
      },
    },
    now,
  );
  const { pending } = await deps.assessments.updateTask(
    assessmentId,
    task.id,
    { ...next, ...edits, ...(change.responsibleAgencies !== undefined ? { responsibleAgencies } : {}) },
    input.expectedVersion,
    now,
    audit,
    agencyIds,
  );
  await addPending(deps, assessmentId, task.id, pending, now, audit);
  const given = new Set(agencyIds);
  const summaries = overview.agencies.map((s) =>
    given.has(s.agency.id)
      ? {
          ...s,
          tasks: { ...s.tasks, [task.id]: { status: 'planned' as const, progress: 0, updatedAt: now } },
          openTasks: s.openTasks + 1,
          version: s.version + 1,
        }
      : s,
  );
  return { kind: 'task', task: taskView(updated, summaries), etag: updated.version ?? 1 };
};

/**
 * PATCH /assessments/{id}/tasks/{taskId}. An agency token moves its OWN state of the task (never
 * the task's overall state, which is the secretariat's): `If-Match` is its summary's version.
 * The admin moves the overall state (`If-Match` = the task's version), or, naming `agencyId`,
 * that agency's state (`If-Match` = that agency's summary version). `allow` is the caller's
 * authorization for this task (an agency only on tasks naming it), applied once the task is known.
 */
export const updateTask = async (
  deps: TaskDeps,
  principal: Principal,
  input: { assessmentId: string; taskId: string; change: UpdateTaskRequest; expectedVersion: number },
  allow: (task: ImprovementTask) => void,
): Promise<TaskUpdateResult> => {
  const task = await deps.assessments.getTask(input.assessmentId, input.taskId);
  if (!task) throw taskNotFound(input.assessmentId, input.taskId);
  if (
    principal.role === 'agency' &&
    (task.status === 'draft' || !principal.agencyId || !namesAgency(task, principal.agencyId))
  )
    throw taskNotFound(input.assessmentId, input.taskId);
  allow(task);
  const { change } = input;
  if (principal.role === 'agency') {
    if (change.agencyId !== undefined && change.agencyId !== principal.agencyId)
      throw new NotFoundError(`agency ${change.agencyId} not found in ${input.assessmentId}`);
    if (change.responsibleAgencies !== undefined)
      throw new ForbiddenError('only the secretariat assigns a task to agencies');
    if (draftEdits(change).length > 0) throw new ForbiddenError('only the secretariat rewords a task');
    if (!principal.agencyId) throw new ForbiddenError('an agency token without an agency');
    return updateAgencyState(deps, principal, task, { ...input, agencyId: principal.agencyId });
  }
  if (change.agencyId !== undefined)
    return updateAgencyState(deps, principal, task, { ...input, agencyId: change.agencyId });
  return updateOverallState(deps, principal, task, input);
};
