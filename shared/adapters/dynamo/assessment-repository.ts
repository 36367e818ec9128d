import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { QuestionResults } from '#domain/analysis';
import { AuditEntry } from '#domain/audit';
import { ConflictError, NotFoundError, ValidationError, VersionConflictError } from '#domain/errors';
import type { DomainEvent } from '#domain/events';
import { ImprovementTask, YearResult } from '#domain/improvement';
import { AgencySummary, Assessment, Milestone } from '#domain/model';
import { TASK_ENTRY_CHUNK, writeWithTaskEntries } from './agency-repository.ts';
import { bindTable, type TableDeps } from './bind.ts';
import { withoutKeys } from './items.ts';
import { keys, skKind } from './keys.ts';
import { type NotificationState, notificationStateFrom } from './notification-repository.ts';
import { outboxPut } from './outbox.ts';
import { getItem, getParsed, parseItems, queryPartition } from './query.ts';
import { TABLE_KEYS } from './table.ts';
import {
  assessmentExists,
  auditPut,
  cancellationReasons,
  conditionFailedAt,
  transactWrite,
  versionCondition,
  versionedUpdate,
  versionedUpdateWithAudit,
  versionStep,
} from './transact.ts';

export type AssessmentWithPlan = { assessment: Assessment; milestones: Milestone[] };

/** Everything the province-wide views and the pace check need, read in one GSI Query. */
export type Overview = AssessmentWithPlan & {
  tasks: ImprovementTask[];
  results: YearResult[];
  agencies: AgencySummary[];
};

export type NewAssessment = {
  assessment: Assessment;
  milestones: Milestone[];
  tasks: ImprovementTask[];
  results: YearResult[];
};

/**
 * One page of the audit trail; `nextToken` is the previous page's, unchanged. `since` and `until`
 * are UTC instants (inclusive); `action` is one action, or a prefix ending in a dot.
 */
export type AuditPageRequest = {
  agencyId?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  action?: string | undefined;
  limit: number;
  nextToken?: string | undefined;
};

/** A key attribute of the cursor: DynamoDB refuses an empty one, and ours are short. */
const KeyPart = z.string().check(z.minLength(1), z.maxLength(512));
const AuditTableKey = z.strictObject({ PK: KeyPart, SK: KeyPart });
const AuditIndexKey = z.extend(AuditTableKey, { GSI1PK: KeyPart, GSI1SK: KeyPart });

const foreignToken = () =>
  new ValidationError('nextToken does not belong to this query', [
    {
      path: 'nextToken',
      message: 'pass the nextToken of the previous page unchanged, with the same agencyId, since and until',
    },
  ]);

const encodeAuditToken = (lastKey: Record<string, unknown>) =>
  Buffer.from(JSON.stringify(lastKey)).toString('base64url');

/**
 * The page cursor is DynamoDB's last key, base64url JSON, checked strictly before use: a key DynamoDB
 * would refuse (an empty attribute), one from another partition or index, or one before `since`
 * (outside the query's range) would otherwise fail the Query as a 500 or read another trail.
 */
const decodeAuditToken = (
  token: string,
  assessmentId: string,
  agencyId: string | undefined,
  range: { since?: string | undefined; untilKey?: string | undefined },
): Record<string, string> => {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw foreignToken();
  }
  const auditPk = keys.audit(assessmentId, '', '').PK;
  const afterSince = (sortKey: string) =>
    (range.since === undefined || sortKey > range.since) &&
    (range.untilKey === undefined || sortKey <= range.untilKey);
  if (agencyId === undefined) {
    const parsed = AuditTableKey.safeParse(value);
    if (!parsed.success || parsed.data.PK !== auditPk || !afterSince(parsed.data.SK)) throw foreignToken();
    return parsed.data;
  }
  const parsed = AuditIndexKey.safeParse(value);
  if (
    !parsed.success ||
    parsed.data.PK !== auditPk ||
    parsed.data.GSI1PK !== keys.auditByAgency(assessmentId, agencyId, '', '').GSI1PK ||
    // An entry carries the same sort key in the table and in the index (see `auditPut`).
    parsed.data.GSI1SK !== parsed.data.SK ||
    !afterSince(parsed.data.GSI1SK)
  )
    throw foreignToken();
  return parsed.data;
};

const overviewItem = (assessmentId: string, key: { PK: string; SK: string }, type: string, body: object) => ({
  ...key,
  ...keys.overview(assessmentId, key.SK),
  type,
  ...body,
});

/**
 * Every item of a new assessment, `extra` ones, the audit entry and the events announcing it (the
 * outbox), in one transaction that refuses an id in use.
 */
const putNewAssessment = async (
  { client, tableName }: TableDeps,
  { assessment, milestones, tasks, results }: NewAssessment,
  extra: Record<string, unknown>[],
  audit: AuditEntry,
  events: readonly DomainEvent[],
): Promise<void> => {
  const id = assessment.id;
  const puts = [
    overviewItem(id, keys.assessment(id), 'assessment', assessment),
    ...extra,
    ...milestones.map((m) => overviewItem(id, keys.milestone(id, m.number), 'milestone', m)),
    ...tasks.map((t) => overviewItem(id, keys.task(id, t.id), 'task', { ...t, version: t.version ?? 1 })),
    ...results.map((r) => overviewItem(id, keys.result(id, r.fiscalYear), 'result', r)),
  ].map((Item) => ({
    Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' },
  }));
  try {
    await transactWrite(client, {
      TransactItems: [
        ...puts,
        auditPut(tableName, audit),
        ...events.map((event) => outboxPut(tableName, event)),
      ],
    });
  } catch (error) {
    if (conditionFailedAt(error)) throw new ConflictError(`assessment ${id} already exists`);
    throw error;
  }
};

/** One year's imported question results, or null (access pattern 7). */
export const getQuestionResults = (deps: TableDeps, ...ids: Parameters<typeof keys.questionResults>) =>
  getParsed(deps, keys.questionResults(...ids), QuestionResults);

/**
 * Stores a year's question results: a first import only if none exists, a re-import only if
 * the stored one is still at `expectedVersion` (the caller read it), with the audit entry.
 */
export const putQuestionResults = async (
  { client, tableName }: TableDeps,
  results: QuestionResults,
  expectedVersion: number | null,
  audit: AuditEntry,
): Promise<void> => {
  const key = keys.questionResults(results.assessmentId, results.fiscalYear);
  try {
    await transactWrite(client, {
      TransactItems: [
        assessmentExists(tableName, results.assessmentId),
        {
          Put: {
            TableName: tableName,
            Item: { ...key, type: 'question-results', ...results },
            ...versionCondition(expectedVersion),
          },
        },
        auditPut(tableName, audit),
      ],
    });
  } catch (error) {
    if (conditionFailedAt(error, 0)) throw new NotFoundError(`assessment ${results.assessmentId} not found`);
    if (conditionFailedAt(error, 1)) throw new VersionConflictError();
    throw error;
  }
};

/**
 * Creates an assessment with its plan, tasks and results, and writes `events` (its PlanChanged) to
 * the outbox in the same transaction; refuses an id that exists. Seeds and fixtures announce none.
 */
export const create = async (
  deps: TableDeps,
  created: NewAssessment,
  audit: AuditEntry,
  events: readonly DomainEvent[] = [],
): Promise<void> => {
  await putNewAssessment(deps, created, [], audit, events);
};

/** Access pattern 1: the assessment and its plan in one strongly consistent Query. */
export const getWithPlan = async (
  deps: TableDeps,
  assessmentId: string,
): Promise<AssessmentWithPlan | null> => {
  const items = await queryPartition(deps, keys.assessmentPartition(assessmentId), {
    range: { between: [keys.planRange.from, keys.planRange.to] },
    consistent: true,
  });
  const meta = items.find((i) => skKind(String(i.SK)) === 'meta');
  if (!meta) return null;
  return {
    assessment: Assessment.parse(withoutKeys(meta)),
    milestones: parseItems(
      items.filter((i) => skKind(String(i.SK)) === 'milestone'),
      Milestone,
    ),
  };
};

/** The province overview's one Query on GSI1 (pages followed if it grows past 1 MB), items as stored. */
const queryOverview = (deps: TableDeps, assessmentId: string) =>
  queryPartition(deps, keys.assessmentPartition(assessmentId), { onIndex: true });

const overviewFrom = (items: Record<string, unknown>[]): Overview | null => {
  const meta = items.find((i) => skKind(String(i.SK)) === 'meta');
  if (!meta) return null;
  const of = (kind: ReturnType<typeof skKind>) => items.filter((i) => skKind(String(i.SK)) === kind);
  return {
    assessment: Assessment.parse(withoutKeys(meta)),
    milestones: parseItems(of('milestone'), Milestone),
    tasks: parseItems(of('task'), ImprovementTask),
    results: parseItems(of('result'), YearResult),
    agencies: parseItems(of('agency'), AgencySummary),
  };
};

/** Access pattern 2: the province overview in one Query on GSI1. */
export const getOverview = async (deps: TableDeps, assessmentId: string): Promise<Overview | null> =>
  overviewFrom(await queryOverview(deps, assessmentId));

/**
 * The overview and, from the same one Query, the assessment's notification state (settings, pace
 * records, the versions the schedules were synced for), which `getOverview` leaves out.
 */
export const getOverviewWithNotificationState = async (
  deps: TableDeps,
  assessmentId: string,
): Promise<{ overview: Overview; notificationState: NotificationState } | null> => {
  const items = await queryOverview(deps, assessmentId);
  const overview = overviewFrom(items);
  if (!overview) return null;
  return { overview, notificationState: notificationStateFrom(assessmentId, items) };
};

/**
 * Replaces the plan: puts every milestone given, deletes the ones no longer in it, and bumps
 * the assessment's version under a condition so two concurrent edits cannot both win. `events`
 * (its PlanChanged) go to the outbox in the same transaction: a refused edit announces nothing.
 */
export const replacePlan = async (
  { client, tableName }: TableDeps,
  assessmentId: string,
  milestones: Milestone[],
  expectedVersion: number,
  now: string,
  audit: AuditEntry,
  events: readonly DomainEvent[],
): Promise<void> => {
  const current = await getWithPlan({ client, tableName }, assessmentId);
  if (!current) throw new NotFoundError(`assessment ${assessmentId} not found`);
  if (current.assessment.version !== expectedVersion) throw new VersionConflictError();
  const keep = new Set(milestones.map((m) => m.number));
  const stale = current.milestones.filter((m) => !keep.has(m.number));
  try {
    await transactWrite(client, {
      TransactItems: [
        versionedUpdate(tableName, keys.assessment(assessmentId), expectedVersion, now),
        ...milestones.map((m) => ({
          Put: {
            TableName: tableName,
            Item: overviewItem(assessmentId, keys.milestone(assessmentId, m.number), 'milestone', m),
          },
        })),
        ...stale.map((m) => ({
          Delete: { TableName: tableName, Key: keys.milestone(assessmentId, m.number) },
        })),
        auditPut(tableName, audit),
        ...events.map((event) => outboxPut(tableName, event)),
      ],
    });
  } catch (error) {
    if (conditionFailedAt(error)) throw new VersionConflictError();
    throw error;
  }
};

/**
 * Creates next year's assessment in one transaction with a marker naming its source, so a
 * retried rollover can tell its own half-finished work from an id taken by someone else, and
 * with `events` (its PlanChanged) in the outbox.
 */
export const createRollover = async (
  deps: TableDeps,
  created: NewAssessment,
  sourceId: string,
  audit: AuditEntry,
  events: readonly DomainEvent[],
): Promise<void> => {
  const marker = { ...keys.rolloverMarker(created.assessment.id), type: 'rollover', sourceId };
  await putNewAssessment(deps, created, [marker], audit, events);
};

/** The assessment a rolled-over assessment was built from, or null. */
export const rolloverSource = async (deps: TableDeps, assessmentId: string): Promise<string | null> => {
  const found = await getItem(deps, keys.rolloverMarker(assessmentId));
  return typeof found?.sourceId === 'string' ? found.sourceId : null;
};

/**
 * Replaces the framework (the OIT catalog with it) if the assessment is still at
 * `expectedVersion`; the version moves, so the assessment's ETag changes.
 */
export const replaceFramework = async (
  deps: TableDeps,
  assessmentId: string,
  framework: Assessment['framework'],
  expectedVersion: number,
  now: string,
  audit: AuditEntry,
): Promise<void> => {
  const refusal = await versionedUpdateWithAudit(
    deps,
    keys.assessment(assessmentId),
    expectedVersion,
    now,
    audit,
    {
      set: 'framework = :framework',
      values: { ':framework': framework },
    },
  );
  if (refusal) throw new VersionConflictError();
};

/** Every improvement task of the assessment, in one strongly consistent Query. */
export const listTasks = async (deps: TableDeps, assessmentId: string): Promise<ImprovementTask[]> => {
  const items = await queryPartition(deps, keys.assessmentPartition(assessmentId), {
    range: { beginsWith: keys.taskPrefix },
    consistent: true,
  });
  return parseItems(items, ImprovementTask);
};

export const getTask = (deps: TableDeps, ...ids: Parameters<typeof keys.task>) =>
  getParsed(deps, keys.task(...ids), ImprovementTask);

/**
 * Adds a task to an existing assessment; refuses an id in use (409) and an unknown assessment
 * (404). `agencyIds` (the agencies it names, none for a draft) get a `planned` state for it:
 * the first 97 in the task's own transaction, the rest in the returned `pending`, which the
 * caller writes with `AgencyRepository.addTaskEntries` (idempotent, so a retry completes it).
 */
export const createTask = async (
  { client, tableName }: TableDeps,
  assessmentId: string,
  task: ImprovementTask,
  audit: AuditEntry,
  agencyIds: readonly string[] = [],
  now: string = audit.at,
): Promise<{ pending: string[] }> => {
  const fixed = [
    assessmentExists(tableName, assessmentId),
    {
      Put: {
        TableName: tableName,
        Item: overviewItem(assessmentId, keys.task(assessmentId, task.id), 'task', task),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    auditPut(tableName, audit),
  ];
  const first = agencyIds.slice(0, TASK_ENTRY_CHUNK - 1);
  try {
    await writeWithTaskEntries({ client, tableName }, fixed, {
      assessmentId,
      taskId: task.id,
      agencyIds: first,
      now,
    });
    return { pending: agencyIds.slice(first.length) };
  } catch (error) {
    if (conditionFailedAt(error, 0)) throw new NotFoundError(`assessment ${assessmentId} not found`);
    if (conditionFailedAt(error, 1))
      throw new ConflictError(`task ${task.id} already exists in ${assessmentId}`);
    throw error;
  }
};

/**
 * Moves a task's overall status and progress (and, while it leaves draft, its responsible
 * agencies) if it is still at `expectedVersion`. `agencyIds` get a `planned` state for it as
 * in `createTask`: the first 98 in this transaction, the rest returned in `pending`.
 */
export const updateTask = async (
  { client, tableName }: TableDeps,
  assessmentId: string,
  taskId: string,
  change: {
    status: ImprovementTask['status'];
    progress: number;
    responsibleAgencies?: ImprovementTask['responsibleAgencies'];
  } & Partial<Pick<ImprovementTask, 'guideline' | 'method' | 'window' | 'periodText'>>,
  expectedVersion: number,
  now: string,
  audit: AuditEntry,
  agencyIds: readonly string[] = [],
): Promise<{ pending: string[] }> => {
  // Only the fields the change names are set; `#f<n>` keeps reserved words (`window`) usable.
  const optional = (['responsibleAgencies', 'guideline', 'method', 'window', 'periodText'] as const).filter(
    (field) => change[field] !== undefined,
  );
  const fixed = [
    {
      Update: {
        TableName: tableName,
        Key: keys.task(assessmentId, taskId),
        UpdateExpression: `SET #status = :status, progress = :progress, version = :next${optional.map((_, i) => `, #f${i} = :f${i}`).join('')}`,
        ConditionExpression: 'version = :expected',
        ExpressionAttributeNames: {
          '#status': 'status',
          ...Object.fromEntries(optional.map((field, i) => [`#f${i}`, field])),
        },
        ExpressionAttributeValues: {
          ':status': change.status,
          ':progress': change.progress,
          ...versionStep(expectedVersion),
          ...Object.fromEntries(optional.map((field, i) => [`:f${i}`, change[field]])),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    },
    auditPut(tableName, audit),
  ];
  const first = agencyIds.slice(0, TASK_ENTRY_CHUNK);
  try {
    await writeWithTaskEntries({ client, tableName }, fixed, {
      assessmentId,
      taskId,
      agencyIds: first,
      now,
    });
    return { pending: agencyIds.slice(first.length) };
  } catch (error) {
    const first = cancellationReasons(error)?.[0];
    if (first?.Code === 'ConditionalCheckFailed') {
      if (!first.Item) throw new NotFoundError(`task ${taskId} not found in ${assessmentId}`);
      throw new VersionConflictError();
    }
    throw error;
  }
};

/** With an action filter, a request reads at most this many pages of this many entries before answering. */
const FILTERED_PAGE = 500;
const FILTERED_ROUNDS = 8;

/** The key attributes of an audit item, as DynamoDB returns them in `LastEvaluatedKey` for this query. */
const auditKeyOf = (item: Record<string, unknown>, byAgency: boolean): Record<string, unknown> => ({
  PK: item.PK,
  SK: item.SK,
  ...(byAgency ? { GSI1PK: item.GSI1PK, GSI1SK: item.GSI1SK } : {}),
});

/**
 * Access pattern 4: audit entries between `since` and `until`, oldest first, one page at a time.
 * The province-wide trail is the `AUDIT#<aid>` partition; one agency's is its GSI1 partition. The
 * time range is the sort key's condition (`<at>#<id>`: `until` is widened by `~` so entries at
 * exactly that instant are in). An action is no key: it is a filter on the entries the range
 * reads, so a filtered request reads up to 8 pages of 500 and may answer fewer than `limit`
 * entries with a `nextToken` (the position reached); a page ends at its last entry otherwise.
 */
export const listAudit = async (
  { client, tableName }: TableDeps,
  assessmentId: string,
  { agencyId, since, until, action, limit, nextToken }: AuditPageRequest,
): Promise<{ entries: AuditEntry[]; nextToken?: string }> => {
  const untilKey = until === undefined ? undefined : `${until}~`;
  let startKey: Record<string, unknown> | undefined =
    nextToken === undefined
      ? undefined
      : decodeAuditToken(nextToken, assessmentId, agencyId, { since, untilKey });
  const byAgency = agencyId !== undefined;
  const partition = byAgency
    ? keys.auditByAgency(assessmentId, agencyId, '', '').GSI1PK
    : keys.audit(assessmentId, '', '').PK;
  const [pkName, skName] = byAgency ? ['GSI1PK', 'GSI1SK'] : ['PK', 'SK'];
  const range =
    since && untilKey
      ? ' AND #sk BETWEEN :since AND :until'
      : since
        ? ' AND #sk > :since'
        : untilKey
          ? ' AND #sk <= :until'
          : '';
  const prefix = action?.endsWith('.');
  const matched: Record<string, unknown>[] = [];
  for (let round = 0; round < (action ? FILTERED_ROUNDS : 1); round++) {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        ...(byAgency ? { IndexName: TABLE_KEYS.gsi1.name } : {}),
        KeyConditionExpression: `#pk = :pk${range}`,
        ...(action
          ? { FilterExpression: prefix ? 'begins_with(#action, :action)' : '#action = :action' }
          : {}),
        ExpressionAttributeNames: {
          '#pk': pkName,
          ...(range ? { '#sk': skName } : {}),
          ...(action ? { '#action': 'action' } : {}),
        },
        ExpressionAttributeValues: {
          ':pk': partition,
          ...(since ? { ':since': since } : {}),
          ...(untilKey ? { ':until': untilKey } : {}),
          ...(action ? { ':action': action } : {}),
        },
        Limit: action ? FILTERED_PAGE : limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const items = (page.Items ?? []) as Record<string, unknown>[];
    const room = limit - matched.length;
    matched.push(...items.slice(0, room));
    startKey = page.LastEvaluatedKey;
    // More matches than room: the page ends at the last entry taken, the next starts after it.
    if (items.length > room) startKey = auditKeyOf(matched[matched.length - 1]!, byAgency);
    if (!startKey || matched.length >= limit) break;
  }
  return {
    entries: matched.map((i) => AuditEntry.parse(withoutKeys(i))),
    ...(startKey ? { nextToken: encodeAuditToken(startKey) } : {}),
  };
};

export const assessmentOperations = {
  getQuestionResults,
  putQuestionResults,
  create,
  getWithPlan,
  getOverview,
  getOverviewWithNotificationState,
  replacePlan,
  createRollover,
  rolloverSource,
  replaceFramework,
  listTasks,
  getTask,
  createTask,
  updateTask,
  listAudit,
};

/** Every assessment operation bound to one table (see `assessmentOperations` to bind only some). */
export const createAssessmentRepository = (deps: TableDeps) => bindTable(deps, assessmentOperations);

export type AssessmentRepository = ReturnType<typeof createAssessmentRepository>;
