import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { AssessmentPath, TaskPath } from '#domain/paths';
import { authorize } from '#domain/policy';
import { CreateTaskRequest, UpdateTaskRequest } from '#domain/requests/tasks';
import { etag, ifMatchVersion } from '#http/conditional';
import { dispatch } from '#http/dispatch';
import { type HttpFunction, httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { parseBody, parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import { tableDeps } from '#runtime/table';
import { createTask, listTasks, updateTask } from '#use-cases/tasks';

const deps = tableDeps({
  assessments: {
    createTask: assessmentTable.createTask,
    getOverview: assessmentTable.getOverview,
    getTask: assessmentTable.getTask,
    getWithPlan: assessmentTable.getWithPlan,
    listTasks: assessmentTable.listTasks,
    updateTask: assessmentTable.updateTask,
  },
  agencies: {
    addTaskEntries: agencyTable.addTaskEntries,
    getSummary: agencyTable.getSummary,
    updateTaskState: agencyTable.updateTaskState,
  },
});

/** GET /assessments/{id}/tasks. */
const list: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'task.read', {
    assessmentId: id,
    ...(principal.agencyId
      ? { agencyId: principal.agencyId, responsibleAgencies: [principal.agencyId] }
      : {}),
  });
  // An agency token gets the tasks naming it, with its own state only.
  const { tasks } = await listTasks(deps(), { assessmentId: id, agencyId: principal.agencyId });
  return json(200, { tasks });
};

/** POST /assessments/{id}/tasks (admin). */
const create: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'task.create', { assessmentId: id });
  const task = parseBody(event, CreateTaskRequest);
  const created = await createTask(deps(), principal, { assessmentId: id, task });
  return json(201, { task: created }, { etag: etag(created.version ?? 1) });
};

/**
 * PATCH /assessments/{id}/tasks/{taskId}, with If-Match: the task's version for the admin's
 * overall state; the agency summary's version for one agency's own state.
 */
const patch: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id, taskId } = parsePath(event, TaskPath);
  // The role check first (a viewer is a 403 whatever it sends); the task's own agencies once it is read.
  authorize(principal, 'task.update', {
    assessmentId: id,
    ...(principal.agencyId
      ? { agencyId: principal.agencyId, responsibleAgencies: [principal.agencyId] }
      : {}),
  });
  const expectedVersion = ifMatchVersion(event);
  const change = parseBody(event, UpdateTaskRequest);
  const result = await updateTask(
    deps(),
    principal,
    { assessmentId: id, taskId, change, expectedVersion },
    (found) =>
      authorize(principal, 'task.update', {
        assessmentId: id,
        ...(principal.agencyId ? { agencyId: principal.agencyId } : {}),
        responsibleAgencies: found.responsibleAgencies,
        taskId: found.id,
      }),
  );
  return json(
    200,
    result.kind === 'agency' ? { task: result.task, agency: result.agency } : { task: result.task },
    { etag: etag(result.etag) },
  );
};

export const tasks = dispatch({
  'GET /assessments/{id}/tasks': list,
  'POST /assessments/{id}/tasks': create,
  'PATCH /assessments/{id}/tasks/{taskId}': patch,
});

export const handler = httpHandler(withIdempotency('tasks', tasks));
