import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { initialTaskState, missingEvidence } from '#domain/agency';
import type { AuditEntry } from '#domain/audit';
import { ConflictError, NotFoundError, VersionConflictError } from '#domain/errors';
import type { DomainEvent } from '#domain/events';
import { OitEvidence } from '#domain/evidence';
import { AgencySummary, type AgencyTaskState, type OitStatus } from '#domain/model';
import { bindTable, type TableDeps } from './bind.ts';
import { withoutKeys } from './items.ts';
import { keys, skKind } from './keys.ts';
import { type EvidenceLink, linkKey } from './link-repository.ts';
import { outboxPut } from './outbox.ts';
import { getParsed, parseItems, queryPartition } from './query.ts';
import {
  auditPut,
  cancellationReasons,
  transactWrite,
  versionedUpdate,
  versionedUpdateWithAudit,
  versionStep,
  writeWithAudit,
} from './transact.ts';

export type AgencyDetail = { summary: AgencySummary; evidence: OitEvidence[] };

export type EvidenceSubmission = {
  assessmentId: string;
  agencyId: string;
  itemId: string;
  urls: string[];
  note: string;
  submittedBy: string;
  now: string;
};

/**
 * The recorded evidence with its new version: 1 for a first submission (whatever a `missing`
 * item held), the refused write's version + 1 for a replacement, so the hot path still does not read.
 */
export type SubmittedEvidence = OitEvidence;

/** Why a conditional write on an evidence item failed, read from the item DynamoDB returned. */

export type EvidenceRefusal =
  | { kind: 'not-assigned' }
  | { kind: 'status'; status: OitStatus; version: number };

/** DynamoDB caps a transaction at 100 items; one slot stays free for the summary, one for the audit entry. */
const ASSIGN_CHUNK = 98;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** At most this many summaries get a task's state in one transaction (with the audit entry, under 100). */
export const TASK_ENTRY_CHUNK = 98;

/**
 * Adds a `planned` state for `taskId` to one agency's summary and counts it open, only if the
 * summary exists and has no state for the task yet: adding twice changes nothing.
 */
export const taskEntryAdd = (
  tableName: string,
  assessmentId: string,
  agencyId: string,
  taskId: string,
  now: string,
): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: keys.agencySummary(assessmentId, agencyId),
    UpdateExpression: 'SET #tasks.#task = :state, updatedAt = :now ADD openTasks :one, version :one',
    ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#tasks.#task)',
    ExpressionAttributeNames: { '#tasks': 'tasks', '#task': taskId },
    ExpressionAttributeValues: { ':state': initialTaskState(now), ':now': now, ':one': 1 },
  },
});

/**
 * Writes `fixed` (the task itself, the audit entry) with a state added for each agency in
 * `agencyIds`, in one transaction. An add whose condition fails (the state is already there, or
 * the agency is gone) is dropped and the rest written again, so the adds are idempotent; a
 * failure of a `fixed` item is thrown with its reasons for the caller to read (fixed items come
 * first, so their indexes are the caller's). With `onlyWithEntries` nothing is written once no
 * add is left (an audit entry alone would record a change that did not happen). Returns the
 * agencies that got a state.
 */
export const writeWithTaskEntries = async (
  { client, tableName }: TableDeps,
  fixed: TransactItem[],
  entry: { assessmentId: string; taskId: string; agencyIds: readonly string[]; now: string },
  onlyWithEntries = false,
): Promise<string[]> => {
  let pending = [...new Set(entry.agencyIds)];
  for (;;) {
    if (pending.length === 0 && (onlyWithEntries || fixed.length === 0)) return [];
    try {
      await transactWrite(client, {
        TransactItems: [
          ...fixed,
          ...pending.map((agencyId) =>
            taskEntryAdd(tableName, entry.assessmentId, agencyId, entry.taskId, entry.now),
          ),
        ],
      });
      return pending;
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons || reasons.slice(0, fixed.length).some((r) => r.Code && r.Code !== 'None')) throw error;
      const refused = new Set(
        pending.filter((_, i) => reasons[fixed.length + i]?.Code === 'ConditionalCheckFailed'),
      );
      if (refused.size === 0) throw error;
      pending = pending.filter((agencyId) => !refused.has(agencyId));
    }
  }
};

const summaryCounterUpdate = (
  tableName: string,
  assessmentId: string,
  agencyId: string,
  now: string,
  deltas: CounterDeltas,
  /** Dead links leaving the agency's count with their item (an unassigned item's). */
  deadLinks = 0,
) => {
  const entries = Object.entries(deltas).filter(([, d]) => d !== 0);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':one': 1, ':now': now };
  const adds = entries.map(([field, delta], i) => {
    names['#oit'] = 'oit';
    names[`#c${i}`] = field;
    values[`:d${i}`] = delta;
    return `#oit.#c${i} :d${i}`;
  });
  if (deadLinks !== 0) {
    values[':dead'] = deadLinks;
    adds.push('deadLinks :dead');
  }
  return {
    Update: {
      TableName: tableName,
      Key: keys.agencySummary(assessmentId, agencyId),
      UpdateExpression: `ADD version :one${adds.length ? `, ${adds.join(', ')}` : ''} SET updatedAt = :now`,
      ConditionExpression: 'attribute_exists(PK)',
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    },
  };
};

/**
 * Access pattern 8: every agency's summary and OIT items in one Query on the assessment
 * partition over the `AGENCY#` range (the forecast needs each item's status in every agency).
 */
export const listAgencyItems = async (
  deps: TableDeps,
  assessmentId: string,
): Promise<{ summaries: AgencySummary[]; evidence: OitEvidence[] }> => {
  const items = await queryPartition(deps, keys.assessmentPartition(assessmentId), {
    range: { beginsWith: keys.everyAgencyPrefix },
  });
  const of = (kind: ReturnType<typeof skKind>) => items.filter((i) => skKind(String(i.SK)) === kind);
  return {
    summaries: parseItems(of('agency'), AgencySummary),
    evidence: parseItems(of('evidence'), OitEvidence),
  };
};

/** Creates the agency's summary item; refuses an id already used in the assessment. */
export const create = async (
  { client, tableName }: TableDeps,
  summary: AgencySummary,
  audit: AuditEntry,
): Promise<void> => {
  const key = keys.agencySummary(summary.assessmentId, summary.agency.id);
  const refusal = await writeWithAudit(
    { client, tableName },
    {
      Put: {
        TableName: tableName,
        Item: { ...key, ...keys.overview(summary.assessmentId, key.SK), type: 'agency', ...summary },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    audit,
  );
  if (refusal)
    throw new ConflictError(`agency ${summary.agency.id} already exists in ${summary.assessmentId}`);
};

/** Access pattern 3: the agency's summary and every OIT item, in one strongly consistent Query. */
export const getDetail = async (
  deps: TableDeps,
  assessmentId: string,
  agencyId: string,
): Promise<AgencyDetail | null> => {
  const items = await queryPartition(deps, keys.assessmentPartition(assessmentId), {
    range: { beginsWith: keys.agencyPrefix(agencyId) },
    consistent: true,
  });
  const summary = items.find((i) => skKind(String(i.SK)) === 'agency');
  if (!summary) return null;
  return {
    summary: AgencySummary.parse(withoutKeys(summary)),
    evidence: parseItems(
      items.filter((i) => skKind(String(i.SK)) === 'evidence'),
      OitEvidence,
    ).sort((a, b) => Number(a.itemId.slice(1)) - Number(b.itemId.slice(1))),
  };
};

/**
 * Assigns OIT items to an agency: one `missing` evidence item per newly assigned item, and the
 * summary's assigned count moved by exactly the number created. Items already assigned are skipped;
 * an item another writer created in the meantime (two rollovers finishing the same agency) makes
 * the transaction fail as a whole, so it is read again and only what is still missing is written.
 */
export const assignOitItems = async (
  { client, tableName }: TableDeps,
  assessmentId: string,
  agencyId: string,
  itemIds: string[],
  now: string,
  audit: AuditEntry,
  /**
   * When given (the API's assignments), the first write is conditional on the assessment being at
   * this version and moves it, as a catalog replacement does: of an assignment and a catalog
   * replacement that race, one is refused (409), so no item is ever assigned outside the catalog.
   */
  catalogVersion?: number,
): Promise<string[]> => {
  for (let attempt = 1; ; attempt++) {
    const detail = await getDetail({ client, tableName }, assessmentId, agencyId);
    if (!detail) throw new NotFoundError(`agency ${agencyId} not found in ${assessmentId}`);
    const already = new Set(detail.evidence.map((e) => e.itemId));
    const fresh = [...new Set(itemIds)].filter((id) => !already.has(id));
    try {
      await writeAssignments(
        { client, tableName },
        assessmentId,
        agencyId,
        fresh,
        now,
        audit,
        catalogVersion,
      );
      return fresh;
    } catch (error) {
      if (!(error instanceof ItemsAlreadyAssigned) || attempt >= ASSIGN_ATTEMPTS) throw error;
    }
  }
};

/** How often an assignment reads again after another writer created some of its items. */
const ASSIGN_ATTEMPTS = 3;

class ItemsAlreadyAssigned extends ConflictError {
  constructor(agencyId: string) {
    super(`OIT items of ${agencyId} were assigned by another request at the same time; send it again`);
  }
}

const writeAssignments = async (
  { client, tableName }: TableDeps,
  assessmentId: string,
  agencyId: string,
  fresh: string[],
  now: string,
  audit: AuditEntry,
  catalogVersion: number | undefined,
): Promise<void> => {
  const chunkSize = catalogVersion === undefined ? ASSIGN_CHUNK : ASSIGN_CHUNK - 1;
  for (let i = 0; i < fresh.length; i += chunkSize) {
    const chunk = fresh.slice(i, i + chunkSize);
    const catalogGuard =
      catalogVersion !== undefined && i === 0
        ? [
            {
              Update: {
                TableName: tableName,
                Key: keys.assessment(assessmentId),
                UpdateExpression: 'SET version = :next, updatedAt = :now',
                ConditionExpression: 'version = :catalogVersion',
                ExpressionAttributeValues: {
                  ':catalogVersion': catalogVersion,
                  ':next': catalogVersion + 1,
                  ':now': now,
                },
              },
            },
          ]
        : [];
    await transactWrite(client, {
      TransactItems: [
        ...chunk.map((itemId) => ({
          Put: {
            TableName: tableName,
            Item: {
              ...keys.evidence(assessmentId, agencyId, itemId),
              type: 'evidence',
              ...missingEvidence(assessmentId, agencyId, itemId, now),
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        })),
        summaryCounterUpdate(tableName, assessmentId, agencyId, now, { assigned: chunk.length }),
        ...(i === 0 ? [auditPut(tableName, audit)] : []),
        ...catalogGuard,
      ],
    }).catch((error: unknown) => {
      const reasons = cancellationReasons(error);
      if (catalogGuard.length > 0 && reasons?.[reasons.length - 1]?.Code === 'ConditionalCheckFailed')
        throw new VersionConflictError('the OIT catalog changed while assigning; read it again and retry');
      if (reasons?.slice(0, chunk.length).some((r) => r.Code === 'ConditionalCheckFailed'))
        throw new ItemsAlreadyAssigned(agencyId);
      throw error;
    });
  }
};

/**
 * Removes one assigned OIT item (the secretariat's unassign) in one transaction, conditional on
 * what was read: the evidence item at `seen`'s status and version, and each watched link of the
 * item at the version read (a check storing a new state meanwhile refuses it). With it: the
 * summary's counters (`deltas`: assigned, the status the item was in, the dead links) and version,
 * the assessment's version moved as an assignment moves it (a catalog replacement read before it
 * is then refused), and the audit entry. Answers `changed` when a condition failed: the caller
 * reads again and decides again.
 */
export const unassignOitItem = async (
  { client, tableName }: TableDeps,
  seen: OitEvidence,
  links: readonly EvidenceLink[],
  deltas: {
    oit: Partial<Record<'assigned' | 'submitted' | 'approved' | 'rejected', number>>;
    deadLinks: number;
  },
  now: string,
  audit: AuditEntry,
): Promise<'removed' | 'changed'> => {
  const { assessmentId, agencyId, itemId } = seen;
  try {
    await transactWrite(client, {
      TransactItems: [
        {
          Delete: {
            TableName: tableName,
            Key: keys.evidence(assessmentId, agencyId, itemId),
            ConditionExpression: 'attribute_exists(PK) AND #status = :status AND version = :version',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': seen.status, ':version': seen.version },
          },
        },
        summaryCounterUpdate(tableName, assessmentId, agencyId, now, deltas.oit, deltas.deadLinks),
        {
          Update: {
            TableName: tableName,
            Key: keys.assessment(assessmentId),
            UpdateExpression: 'SET updatedAt = :now ADD version :one',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':now': now, ':one': 1 },
          },
        },
        ...links.map((link) => ({
          Delete: {
            TableName: tableName,
            Key: linkKey(assessmentId, agencyId, itemId, link.url),
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': link.version },
          },
        })),
        auditPut(tableName, audit),
      ],
    });
    return 'removed';
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict'))
      return 'changed';
    throw error;
  }
};

type CounterDeltas = Partial<Record<'assigned' | 'submitted' | 'approved' | 'rejected', number>>;

/**
 * Moves one evidence item's status (`change`: its update and condition over `#status`), the
 * summary's counters, the audit entry and `events` in one transaction. Null when written;
 * otherwise what DynamoDB found: no item or no summary (`not-assigned`), or the item as it was.
 */
const moveEvidence = async (
  { client, tableName }: TableDeps,
  { assessmentId, agencyId, itemId }: Pick<OitEvidence, 'assessmentId' | 'agencyId' | 'itemId'>,
  change: {
    UpdateExpression: string;
    ConditionExpression: string;
    ExpressionAttributeValues: Record<string, unknown>;
  },
  counters: { now: string; deltas: CounterDeltas },
  audit: AuditEntry,
  events: readonly DomainEvent[] = [],
): Promise<null | { kind: 'not-assigned' } | { kind: 'found'; item: Record<string, unknown> }> => {
  try {
    await transactWrite(client, {
      TransactItems: [
        {
          Update: {
            TableName: tableName,
            Key: keys.evidence(assessmentId, agencyId, itemId),
            ...change,
            ExpressionAttributeNames: { '#status': 'status' },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        summaryCounterUpdate(tableName, assessmentId, agencyId, counters.now, counters.deltas),
        auditPut(tableName, audit),
        ...events.map((event) => outboxPut(tableName, event)),
      ],
    });
    return null;
  } catch (error) {
    const reasons = cancellationReasons(error);
    const first = reasons?.[0];
    if (first?.Code === 'ConditionalCheckFailed')
      return first.Item ? { kind: 'found', item: withoutKeys(first.Item) } : { kind: 'not-assigned' };
    if (reasons?.[1]?.Code === 'ConditionalCheckFailed') return { kind: 'not-assigned' };
    throw error;
  }
};

/**
 * Records evidence for an item in `fromStatus`, moving the summary's counters in the same
 * transaction: one round trip. When the item is not in that status the transaction is
 * cancelled and the refusal says what DynamoDB found, so the caller can take another path
 * without having read first.
 */
export const submitEvidence = async (
  deps: TableDeps,
  submission: EvidenceSubmission,
  from:
    | { status: 'missing' }
    | { status: 'rejected' | 'submitted' /** the version the refused first write found */; version: number },
  audit: AuditEntry,
  /** Events the submission announces (its links' check): outbox items of the same transaction. */
  events: readonly DomainEvent[] = [],
): Promise<SubmittedEvidence | EvidenceRefusal> => {
  const { assessmentId, agencyId, itemId, urls, note, submittedBy, now } = submission;
  const fromStatus = from.status;
  // A first submission is version 1; a replacement moves the version the approver's If-Match names.
  const version = from.status === 'missing' ? 1 : from.version + 1;
  const deltas =
    fromStatus === 'missing'
      ? { submitted: 1 }
      : fromStatus === 'rejected'
        ? { submitted: 1, rejected: -1 }
        : {};
  const refusal = await moveEvidence(
    deps,
    submission,
    {
      UpdateExpression:
        'SET #status = :submitted, urls = :urls, note = :note, submittedAt = :now, submittedBy = :by, updatedAt = :now, version = :version REMOVE rejectionReason, reviewedAt, reviewedBy',
      ConditionExpression:
        from.status === 'missing'
          ? 'attribute_exists(PK) AND #status = :from'
          : 'attribute_exists(PK) AND #status = :from AND version = :expected',
      ExpressionAttributeValues: {
        ':submitted': 'submitted',
        ':from': fromStatus,
        ':urls': urls,
        ':note': note,
        ':now': now,
        ':by': submittedBy,
        ':version': version,
        ...(from.status === 'missing' ? {} : { ':expected': from.version }),
      },
    },
    { now, deltas },
    audit,
    events,
  );
  if (refusal?.kind === 'found')
    return {
      kind: 'status',
      status: refusal.item.status as OitStatus,
      version: Number(refusal.item.version),
    };
  if (refusal) return refusal;
  return {
    assessmentId,
    agencyId,
    itemId,
    status: 'submitted',
    urls,
    note,
    submittedAt: now,
    submittedBy,
    updatedAt: now,
    version,
  };
};

/** One evidence item: a strongly consistent GetItem (the review reads what it is about to decide on). */
export const getEvidence = (deps: TableDeps, ...ids: Parameters<typeof keys.evidence>) =>
  getParsed(deps, keys.evidence(...ids), OitEvidence);

/**
 * Gives each agency in `agencyIds` a `planned` state for the task, in transactions of at most
 * 98 summaries, each with its own audit entry. A task for more than ~98 agencies is therefore
 * written in several transactions; each is idempotent (an agency that has the state is
 * skipped), so running it again after an interruption completes it. Returns who got a state.
 */
export const addTaskEntries = async (
  { client, tableName }: TableDeps,
  assessmentId: string,
  taskId: string,
  agencyIds: readonly string[],
  now: string,
  audit: AuditEntry,
): Promise<string[]> => {
  const added: string[] = [];
  const unique = [...new Set(agencyIds)];
  for (let i = 0; i < unique.length; i += TASK_ENTRY_CHUNK) {
    const chunkAudit = i === 0 ? audit : { ...audit, id: `${audit.id}-${i / TASK_ENTRY_CHUNK}` };
    const chunk = unique.slice(i, i + TASK_ENTRY_CHUNK);
    const got = await writeWithTaskEntries(
      { client, tableName },
      [auditPut(tableName, chunkAudit)],
      { assessmentId, taskId, agencyIds: chunk, now },
      true,
    );
    added.push(...got);
  }
  return added;
};

/**
 * Moves one agency's own state of a task, if its summary is still at `expectedVersion` and
 * has a state for the task; `openDelta` (-1, 0, +1) moves `openTasks` in the same update.
 */
export const updateTaskState = async (
  deps: TableDeps,
  assessmentId: string,
  agencyId: string,
  taskId: string,
  state: AgencyTaskState,
  openDelta: number,
  expectedVersion: number,
  audit: AuditEntry,
): Promise<void> => {
  const refusal = await versionedUpdateWithAudit(
    deps,
    keys.agencySummary(assessmentId, agencyId),
    expectedVersion,
    state.updatedAt,
    audit,
    {
      set: '#tasks.#task = :state',
      add: 'openTasks :delta',
      condition: 'attribute_exists(#tasks.#task)',
      names: { '#tasks': 'tasks', '#task': taskId },
      values: { ':state': state, ':delta': openDelta },
    },
  );
  if (!refusal) return;
  if (!refusal.old) throw new NotFoundError(`agency ${agencyId} not found in ${assessmentId}`);
  if (!AgencySummary.parse(withoutKeys(refusal.old)).tasks[taskId])
    throw new NotFoundError(`agency ${agencyId} has no state for task ${taskId}`);
  throw new VersionConflictError();
};

/** The agency's summary alone: one strongly consistent GetItem. */
export const getSummary = (deps: TableDeps, ...ids: Parameters<typeof keys.agencySummary>) =>
  getParsed(deps, keys.agencySummary(...ids), AgencySummary);

/**
 * Every agency's OIT items of one status: one Query on the assessment partition over the
 * `AGENCY#` range, filtered on the status. It reads every agency item of the assessment (the
 * summaries and all evidence, about a page per 3,000 items) and returns only the matches; no
 * extra index, and the cost grows with the assessment, never with the table.
 */
export const listEvidenceByStatus = async (
  deps: TableDeps,
  assessmentId: string,
  status: OitStatus,
): Promise<OitEvidence[]> => {
  const items = await queryPartition(deps, keys.assessmentPartition(assessmentId), {
    range: { beginsWith: keys.everyAgencyPrefix },
    filter: {
      expression: '#type = :evidence AND #status = :status',
      names: { '#type': 'type', '#status': 'status' },
      values: { ':evidence': 'evidence', ':status': status },
    },
  });
  return parseItems(items, OitEvidence);
};

/** The OIT item ids assigned to any agency of the assessment (same Query as above, keys only). */
export const assignedItemIds = async (deps: TableDeps, assessmentId: string): Promise<Set<string>> => {
  const items = await queryPartition(deps, keys.assessmentPartition(assessmentId), {
    range: { beginsWith: keys.everyAgencyPrefix },
    projection: 'SK, itemId',
    consistent: true,
  });
  return new Set(items.flatMap((item) => (typeof item.itemId === 'string' ? [item.itemId] : [])));
};

/**
 * Replaces the agency's profile and the survey minimums that follow from it, if the summary
 * is still at `expectedVersion`.
 */
export const updateProfile = async (
  deps: TableDeps,
  assessmentId: string,
  agency: AgencySummary['agency'],
  required: Record<'iit' | 'eit', number>,
  expectedVersion: number,
  now: string,
  audit: AuditEntry,
): Promise<void> => {
  const refusal = await versionedUpdateWithAudit(
    deps,
    keys.agencySummary(assessmentId, agency.id),
    expectedVersion,
    now,
    audit,
    {
      set: 'agency = :agency, surveys.iit.#required = :iit, surveys.eit.#required = :eit',
      condition: 'attribute_exists(PK)',
      names: { '#required': 'required' },
      values: { ':agency': agency, ':iit': required.iit, ':eit': required.eit },
    },
  );
  if (!refusal) return;
  if (!refusal.old) throw new NotFoundError(`agency ${agency.id} not found in ${assessmentId}`);
  throw new VersionConflictError();
};

/**
 * Approves or rejects submitted evidence: the item moves out of `submitted` only if it is
 * still there, and the counters move in the same transaction. A refusal says what DynamoDB
 * found (nothing, or the status it is in).
 */
export const reviewEvidence = async (
  deps: TableDeps,
  review: {
    assessmentId: string;
    agencyId: string;
    itemId: string;
    decision: 'approve' | 'reject';
    reason: string | undefined;
    reviewedBy: string;
    now: string;
    /** The version the approver saw (If-Match): the decision applies to that evidence only. */
    expectedVersion: number;
  },
  audit: AuditEntry,
): Promise<
  | { kind: 'reviewed'; version: number }
  | { kind: 'not-assigned' }
  | { kind: 'status'; status: OitStatus }
  | { kind: 'version'; version: number }
> => {
  const { decision, reason, reviewedBy, now, expectedVersion } = review;
  const to = decision === 'approve' ? 'approved' : 'rejected';
  const values: Record<string, unknown> = {
    ':to': to,
    ':from': 'submitted',
    ':now': now,
    ':by': reviewedBy,
    ...versionStep(expectedVersion),
  };
  if (decision === 'reject') values[':reason'] = reason ?? '';
  const refusal = await moveEvidence(
    deps,
    review,
    {
      UpdateExpression:
        decision === 'reject'
          ? 'SET #status = :to, reviewedAt = :now, reviewedBy = :by, updatedAt = :now, rejectionReason = :reason, version = :next'
          : 'SET #status = :to, reviewedAt = :now, reviewedBy = :by, updatedAt = :now, version = :next REMOVE rejectionReason',
      ConditionExpression: 'attribute_exists(PK) AND #status = :from AND version = :expected',
      ExpressionAttributeValues: values,
    },
    { now, deltas: { submitted: -1, [to]: 1 } },
    audit,
  );
  if (refusal?.kind === 'found') {
    const found = refusal.item;
    if (found.status !== 'submitted') return { kind: 'status', status: found.status as OitStatus };
    return { kind: 'version', version: Number(found.version) };
  }
  if (refusal) return refusal;
  return { kind: 'reviewed', version: expectedVersion + 1 };
};

/**
 * Stores one tool's survey progress if the summary is still at `expectedVersion`. When
 * another write came first it returns `stale` with the summary DynamoDB holds now (when it
 * says), so the caller can apply its report again without another read. A transaction
 * conflict is returned the same way rather than retried here: the caller's loop retries
 * with fresh data, which is what a conflict on this one item needs.
 */
export const saveSurvey = async (
  { client, tableName }: TableDeps,
  assessmentId: string,
  agencyId: string,
  progress: AgencySummary['surveys']['iit'],
  expectedVersion: number,
  now: string,
  audit: AuditEntry,
): Promise<{ saved: true } | { saved: false; current: AgencySummary | null }> => {
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          versionedUpdate(tableName, keys.agencySummary(assessmentId, agencyId), expectedVersion, now, {
            set: 'surveys.#tool = :progress',
            names: { '#tool': progress.tool },
            values: { ':progress': progress },
          }),
          auditPut(tableName, audit),
        ],
      }),
    );
    return { saved: true };
  } catch (error) {
    const first = cancellationReasons(error)?.[0];
    if (first?.Code === 'ConditionalCheckFailed')
      return { saved: false, current: first.Item ? AgencySummary.parse(withoutKeys(first.Item)) : null };
    if (first?.Code === 'TransactionConflict') return { saved: false, current: null };
    throw error;
  }
};

export const agencyOperations = {
  listAgencyItems,
  create,
  getDetail,
  getEvidence,
  assignOitItems,
  unassignOitItem,
  submitEvidence,
  addTaskEntries,
  updateTaskState,
  getSummary,
  listEvidenceByStatus,
  assignedItemIds,
  updateProfile,
  reviewEvidence,
  saveSurvey,
};

/** Every agency operation bound to one table (see `agencyOperations` to bind only some). */
export const createAgencyRepository = (deps: TableDeps) => bindTable(deps, agencyOperations);

export type AgencyRepository = ReturnType<typeof createAgencyRepository>;
