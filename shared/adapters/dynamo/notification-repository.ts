import type { AuditEntry } from '#domain/audit';
import { ConflictError, NotFoundError, VersionConflictError } from '#domain/errors';
import type { DomainEvent } from '#domain/events';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  NotificationSettings,
  PaceRecord,
} from '#domain/notification-settings';
import {
  NotificationRecord,
  type NotificationRequest,
  type NotificationStatus,
  notificationId,
} from '#domain/notifications';
import { bindTable, type TableDeps } from './bind.ts';
import { withoutKeys } from './items.ts';
import { keys } from './keys.ts';
import { outboxPut } from './outbox.ts';
import { getItem, getParsed, parseItems, queryPartition } from './query.ts';
import {
  assessmentExists,
  auditPut,
  cancellationReasons,
  conditionFailedAt,
  transactWrite,
  transactWriteUnlessRefused,
  versionCondition,
  writeWithAudit,
} from './transact.ts';

/** Notification records are kept 400 days (TTL), long enough to answer "was it sent?" a year on. */
const TTL_SECONDS = 400 * 24 * 60 * 60;

/** A claim older than this is taken to belong to a sender that died mid-send. */
export const STALE_CLAIM_MS = 15 * 60 * 1000;

export type ClaimOutcome =
  | { claimed: true; record: NotificationRecord }
  | { claimed: false; record: NotificationRecord | null };

/** The assessment and settings versions the schedules were last synced for. */
export type ScheduleSyncState = { assessmentVersion: number; settingsVersion: number; syncedAt: string };

/** What the assessment's notification items say, read with the overview (the pace check's one Query). */
export type NotificationState = {
  settings: NotificationSettings;
  /** 0 while the assessment has no settings item. */
  settingsVersion: number;
  paceRecords: PaceRecord[];
  scheduleSync: ScheduleSyncState | null;
};

const settingsOf = (item: Record<string, unknown>) => {
  const { version: _v, updatedAt: _u, ...settings } = withoutKeys(item);
  return NotificationSettings.parse(settings);
};

/** The notification state among the items of the assessment's overview partition (keys as stored). */
export const notificationStateFrom = (
  assessmentId: string,
  items: Record<string, unknown>[],
): NotificationState => {
  const settingsItem = items.find((i) => i.SK === keys.notificationSettings(assessmentId).SK);
  const syncItem = items.find((i) => i.SK === keys.scheduleSync(assessmentId).SK);
  return {
    settings: settingsItem ? settingsOf(settingsItem) : DEFAULT_NOTIFICATION_SETTINGS,
    settingsVersion: settingsItem ? Number(settingsItem.version ?? 0) : 0,
    paceRecords: parseItems(
      items.filter((i) => String(i.SK).startsWith(keys.pacePrefix)),
      PaceRecord,
    ),
    scheduleSync: syncItem
      ? {
          assessmentVersion: Number(syncItem.assessmentVersion),
          settingsVersion: Number(syncItem.settingsVersion),
          syncedAt: String(syncItem.syncedAt),
        }
      : null,
  };
};

/**
 * Claims a notification before sending: the one write that makes a double fire or a redelivered
 * event send one email. It succeeds when the record is new, was asked to be resent, failed in a
 * way worth retrying, or was claimed by a sender that died (`STALE_CLAIM_MS`); otherwise it
 * returns the record as it is.
 */
export const claim = async (
  { client, tableName }: TableDeps,
  request: NotificationRequest,
  now: Date,
  audit: AuditEntry,
  /** A delivery on another channel than email (LINE): its own id, so each channel is claimed once. */
  delivery?: { id: string; channel: 'line'; groupId: string },
): Promise<ClaimOutcome> => {
  const id = delivery?.id ?? notificationId(request);
  const at = now.toISOString();
  try {
    await transactWrite(client, {
      TransactItems: [
        {
          Update: {
            TableName: tableName,
            Key: keys.notification(request.assessmentId, id),
            UpdateExpression: `SET #status = :sending, #id = :id, assessmentId = :aid, #request = :req, claimedAt = :now, expiresAt = :ttl, #type = :type${delivery ? ', channel = :channel, groupId = :group' : ''} ADD attempts :one REMOVE GSI1PK, GSI1SK, #error, failedAt, retryable`,
            ConditionExpression:
              'attribute_not_exists(PK) OR #status = :resend OR (#status = :failed AND retryable = :true) OR (#status = :sending AND claimedAt < :stale)',
            ExpressionAttributeNames: {
              '#status': 'status',
              '#id': 'id',
              '#type': 'type',
              '#error': 'error',
              '#request': 'request',
            },
            ExpressionAttributeValues: {
              ':sending': 'sending',
              ':resend': 'resend',
              ':failed': 'failed',
              ':true': true,
              ':id': id,
              ':aid': request.assessmentId,
              ':req': request,
              ':now': at,
              ':stale': new Date(now.getTime() - STALE_CLAIM_MS).toISOString(),
              ':ttl': Math.floor(now.getTime() / 1000) + TTL_SECONDS,
              ':type': 'notification',
              ':one': 1,
              ...(delivery ? { ':channel': delivery.channel, ':group': delivery.groupId } : {}),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        auditPut(tableName, audit),
      ],
    });
  } catch (error) {
    if (!conditionFailedAt(error)) throw error;
    const old = cancellationReasons(error)?.[0]?.Item;
    return { claimed: false, record: old ? NotificationRecord.parse(withoutKeys(old)) : null };
  }
  const record = await get({ client, tableName }, request.assessmentId, id);
  if (!record) throw new Error(`notification ${id} vanished after its claim`);
  return { claimed: true, record };
};

export const get = (deps: TableDeps, ...ids: Parameters<typeof keys.notification>) =>
  getParsed(deps, keys.notification(...ids), NotificationRecord);

/**
 * Moves a notification record from one status to another in one transaction with its audit entry
 * and the events it announces (the outbox): refused, with the old record in the cancellation
 * reason, unless the record is still in `from`. `set` and `remove` are the move's other parts; their
 * values' names must not be `:fromStatus` or `:toStatus`.
 */
const moveStatus = async (
  { client, tableName }: TableDeps,
  key: ReturnType<typeof keys.notification>,
  audit: AuditEntry,
  move: {
    from: NotificationStatus;
    to: NotificationStatus;
    set?: string;
    remove?: string;
    names?: Record<string, string>;
    values?: Record<string, unknown>;
  },
  events: readonly DomainEvent[] = [],
): Promise<void> => {
  await transactWrite(client, {
    TransactItems: [
      {
        Update: {
          TableName: tableName,
          Key: key,
          UpdateExpression: `SET ${['#status = :toStatus', move.set].filter(Boolean).join(', ')}${move.remove ? ` REMOVE ${move.remove}` : ''}`,
          ConditionExpression: '#status = :fromStatus',
          ExpressionAttributeNames: { '#status': 'status', ...move.names },
          ExpressionAttributeValues: { ':fromStatus': move.from, ':toStatus': move.to, ...move.values },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      auditPut(tableName, audit),
      ...events.map((event) => outboxPut(tableName, event)),
    ],
  });
};

/** Records the SES message id; leaves the failed list if it was on it. */
export const markSent = (
  deps: TableDeps,
  assessmentId: string,
  id: string,
  messageId: string,
  now: Date,
  audit: AuditEntry,
) =>
  moveStatus(deps, keys.notification(assessmentId, id), audit, {
    from: 'sending',
    to: 'sent',
    set: 'sentAt = :now, messageId = :mid',
    remove: 'GSI1PK, GSI1SK',
    values: { ':now': now.toISOString(), ':mid': messageId },
  });

/** Records the failure and puts the record on the failed list (sparse GSI1 keys). */
export const markFailed = (
  deps: TableDeps,
  assessmentId: string,
  id: string,
  failure: { error: string; retryable: boolean },
  now: Date,
  audit: AuditEntry,
) => {
  const failedList = keys.failedNotification(assessmentId, id);
  return moveStatus(deps, keys.notification(assessmentId, id), audit, {
    from: 'sending',
    to: 'failed',
    set: 'failedAt = :now, #error = :error, retryable = :retryable, GSI1PK = :gpk, GSI1SK = :gsk',
    names: { '#error': 'error' },
    values: {
      ':now': now.toISOString(),
      ':error': failure.error.slice(0, 1000),
      ':retryable': failure.retryable,
      ':gpk': failedList.GSI1PK,
      ':gsk': failedList.GSI1SK,
    },
  });
};

/** Failed notifications of an assessment, oldest first: one Query on the sparse index. */
export const listFailed = async (deps: TableDeps, assessmentId: string): Promise<NotificationRecord[]> =>
  parseItems(
    await queryPartition(deps, keys.failedNotification(assessmentId, '').GSI1PK, { onIndex: true }),
    NotificationRecord,
  );

/** Every notification of an assessment, by id (date first): one Query on its partition, paged. */
export const listAll = async (deps: TableDeps, assessmentId: string): Promise<NotificationRecord[]> =>
  parseItems(await queryPartition(deps, keys.notification(assessmentId, '').PK), NotificationRecord);

/** An assessment's notification and delivery records from a local date on (ids start with the date): one Query. */
export const listSince = async (
  deps: TableDeps,
  assessmentId: string,
  fromDate: string,
): Promise<NotificationRecord[]> =>
  parseItems(
    await queryPartition(deps, keys.notification(assessmentId, '').PK, { range: { from: fromDate } }),
    NotificationRecord,
  );

/**
 * Marks a failed notification for resending (the notifier's claim accepts `resend`), takes it
 * off the failed list and queues `events` (its request) in the same transaction. Refuses anything
 * not failed: a sent email is not sent twice by mistake.
 */
export const requestResend = async (
  deps: TableDeps,
  assessmentId: string,
  id: string,
  audit: AuditEntry,
  /** Addresses for a role-addressed notification that had none when it was first recorded. */
  fillTo?: string[],
  /** Its NotificationRequested, in the same transaction (the outbox): no mark without its event. */
  events: readonly DomainEvent[] = [],
): Promise<NotificationRecord> => {
  try {
    await moveStatus(
      deps,
      keys.notification(assessmentId, id),
      audit,
      {
        from: 'failed',
        to: 'resend',
        remove: 'GSI1PK, GSI1SK',
        ...(fillTo
          ? {
              set: '#request.#to = :to',
              names: { '#request': 'request', '#to': 'to' },
              values: { ':to': fillTo },
            }
          : {}),
      },
      events,
    );
  } catch (error) {
    if (!conditionFailedAt(error)) throw error;
    const old = cancellationReasons(error)?.[0]?.Item;
    if (!old) throw new NotFoundError(`notification ${id} not found in ${assessmentId}`);
    throw new ConflictError(
      `notification ${id} is ${String(old.status)}, not failed; only failed ones are resent`,
    );
  }
  const record = await get(deps, assessmentId, id);
  if (!record) throw new NotFoundError(`notification ${id} not found in ${assessmentId}`);
  return record;
};

/**
 * What one pace check changes in one agency's pace record, each part conditional on what the
 * check read: starting "behind since" only where none is set, ending only the record that was read
 * (so a newer one survives), and the day a stale survey count was asked for never moving back.
 */
export type PaceMove = {
  agencyId: string;
  startBehind?: string;
  clearBehind?: string;
  staleRequestedOn?: string;
};

/**
 * One agency's pace move as ONE transaction: the pace item (created on first use), an audit entry
 * per part, and the events it announces (that agency's request) in the outbox, so the record never
 * moves without its email being queued, nor the reverse. Five items at most. False when a
 * condition refused it (another run made the move first): nothing of it was written.
 */
export const movePace = async (
  { client, tableName }: TableDeps,
  assessmentId: string,
  move: PaceMove,
  audits: readonly AuditEntry[],
  events: readonly DomainEvent[],
): Promise<boolean> => {
  const key = keys.paceRecord(assessmentId, move.agencyId);
  const overview = keys.overview(assessmentId, key.SK);
  const set = ['agencyId = :agency, #type = :type, GSI1PK = :gpk, GSI1SK = :gsk'];
  const conditions: string[] = [];
  const values: Record<string, unknown> = {
    ':agency': move.agencyId,
    ':type': 'pace',
    ':gpk': overview.GSI1PK,
    ':gsk': overview.GSI1SK,
  };
  if (move.startBehind !== undefined) {
    set.push('behindSince = :since');
    conditions.push('attribute_not_exists(behindSince)');
    values[':since'] = move.startBehind;
  }
  if (move.clearBehind !== undefined) {
    conditions.push('behindSince = :cleared');
    values[':cleared'] = move.clearBehind;
  }
  if (move.staleRequestedOn !== undefined) {
    set.push('staleRequestedOn = :stale');
    conditions.push('(attribute_not_exists(staleRequestedOn) OR staleRequestedOn < :stale)');
    values[':stale'] = move.staleRequestedOn;
  }
  const remove = move.clearBehind !== undefined ? ' REMOVE behindSince' : '';
  return transactWriteUnlessRefused(
    client,
    {
      TransactItems: [
        {
          Update: {
            TableName: tableName,
            Key: key,
            UpdateExpression: `SET ${set.join(', ')}${remove}`,
            ...(conditions.length ? { ConditionExpression: conditions.join(' AND ') } : {}),
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: values,
          },
        },
        ...audits.map((audit) => auditPut(tableName, audit)),
        ...events.map((event) => outboxPut(tableName, event)),
      ],
    },
    conditionFailedAt,
  );
};

/**
 * Records a notification nobody could be found to send to (no address configured for its role)
 * as failed, on the failed list, without sending: a person sees it and configures the recipients.
 * False if the record already exists (a double fire).
 */
export const recordUndeliverable = async (
  { client, tableName }: TableDeps,
  request: NotificationRequest,
  error: string,
  now: Date,
  audit: AuditEntry,
): Promise<boolean> => {
  const id = notificationId(request);
  const at = now.toISOString();
  const record: NotificationRecord = {
    id,
    assessmentId: request.assessmentId,
    status: 'failed',
    request,
    attempts: 1,
    claimedAt: at,
    failedAt: at,
    error,
    retryable: false,
  };
  const refusal = await writeWithAudit(
    { client, tableName },
    {
      Put: {
        TableName: tableName,
        Item: {
          ...keys.notification(request.assessmentId, id),
          ...keys.failedNotification(request.assessmentId, id),
          type: 'notification',
          expiresAt: Math.floor(now.getTime() / 1000) + TTL_SECONDS,
          ...record,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    audit,
  );
  return refusal === null;
};

/** An assessment's stored settings and their version, or null when it has none. */
export const getSettings = async (
  deps: TableDeps,
  assessmentId: string,
): Promise<{ settings: NotificationSettings; version: number; updatedAt: string } | null> => {
  const found = await getItem(deps, keys.notificationSettings(assessmentId));
  if (!found) return null;
  const item = withoutKeys(found);
  return { settings: settingsOf(item), version: Number(item.version), updatedAt: String(item.updatedAt) };
};

/**
 * Records the versions the schedules were synced for. Never moves back: a slower sync of an
 * older version loses (false).
 */
export const recordScheduleSync = async (
  { client, tableName }: TableDeps,
  assessmentId: string,
  state: ScheduleSyncState,
  audit: AuditEntry,
) => {
  const key = keys.scheduleSync(assessmentId);
  const refusal = await writeWithAudit(
    { client, tableName },
    {
      Put: {
        TableName: tableName,
        Item: { ...key, ...keys.overview(assessmentId, key.SK), type: 'schedule-sync', ...state },
        ConditionExpression:
          'attribute_not_exists(PK) OR assessmentVersion < :av OR (assessmentVersion = :av AND settingsVersion <= :sv)',
        ExpressionAttributeValues: {
          ':av': state.assessmentVersion,
          ':sv': state.settingsVersion,
        },
      },
    },
    audit,
  );
  return refusal === null;
};

/**
 * Stores an assessment's notification settings, only if the assessment exists and, with
 * `expectedVersion`, only if the stored settings are still at that version (0: none stored yet).
 * Returns the new version.
 */
export const putSettings = async (
  { client, tableName }: TableDeps,
  assessmentId: string,
  settings: NotificationSettings,
  expectedVersion: number | undefined,
  now: Date,
  audit: AuditEntry,
  /** What the change announces (PlanChanged: the schedule time shapes the schedules), in its transaction. */
  events: readonly DomainEvent[] = [],
): Promise<number> => {
  const key = keys.notificationSettings(assessmentId);
  const current = expectedVersion ?? (await getSettings({ client, tableName }, assessmentId))?.version ?? 0;
  const version = current + 1;
  try {
    await transactWrite(client, {
      TransactItems: [
        assessmentExists(tableName, assessmentId),
        {
          Put: {
            TableName: tableName,
            Item: {
              ...key,
              ...keys.overview(assessmentId, key.SK),
              type: 'notify-settings',
              version,
              updatedAt: now.toISOString(),
              ...settings,
            },
            ...versionCondition(current === 0 ? null : current),
          },
        },
        auditPut(tableName, audit),
        ...events.map((event) => outboxPut(tableName, event)),
      ],
    });
  } catch (error) {
    if (conditionFailedAt(error, 0)) throw new NotFoundError(`assessment ${assessmentId} not found`);
    if (conditionFailedAt(error, 1)) throw new VersionConflictError();
    throw error;
  }
  return version;
};

export const notificationOperations = {
  claim,
  get,
  markSent,
  markFailed,
  listFailed,
  listAll,
  listSince,
  requestResend,
  movePace,
  recordUndeliverable,
  getSettings,
  recordScheduleSync,
  putSettings,
};

/** Every notification operation bound to one table (see `notificationOperations` to bind only some). */
export const createNotificationRepository = (deps: TableDeps) => bindTable(deps, notificationOperations);

export type NotificationRepository = ReturnType<typeof createNotificationRepository>;
