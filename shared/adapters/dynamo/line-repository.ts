import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '#domain/audit';
import { NotFoundError } from '#domain/errors';
import {
  DEFAULT_LINE_SETTINGS,
  LineGroupLink,
  type LineSettings,
  type LineState,
  LineSettings as Settings,
} from '#domain/line';
import { bindTable, type TableDeps } from './bind.ts';
import { keys } from './keys.ts';
import { getItem, queryPartition } from './query.ts';
import {
  auditPut,
  cancellationReasons,
  conditionRefused,
  transactWrite,
  transactWriteUnlessRefused,
  writeWithAudit,
} from './transact.ts';

/** A code's item stays a day past its expiry, so a late try hears "expired", not "unknown". */
const CODE_KEEP_SECONDS = 24 * 60 * 60;
/** LINE redelivers a webhook within minutes to hours; two days of memory is ample. */
const EVENT_KEEP_SECONDS = 2 * 24 * 60 * 60;

const epoch = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/** A stored link code (by hash) and what became of it. */
export type StoredLinkCode = {
  assessmentId: string;
  owner: string;
  expiresAtIso: string;
  usedAt?: string;
  usedByGroup?: string;
};

/** An assessment's LINE settings and linked groups: one Query on its `LINE#` items. */
export const getState = async (deps: TableDeps, assessmentId: string): Promise<LineState> => {
  const items = await queryPartition(deps, keys.lineSettings(assessmentId).PK, {
    range: { beginsWith: keys.linePrefix },
  });
  const settingsItem = items.find((i) => i.SK === keys.lineSettings(assessmentId).SK);
  return {
    settings: settingsItem ? Settings.parse(settingsItem.settings ?? {}) : DEFAULT_LINE_SETTINGS,
    links: items
      .filter((i) => String(i.SK).startsWith(keys.lineGroupPrefix))
      .map((i) => LineGroupLink.parse({ owner: i.owner, groupId: i.groupId, linkedAt: i.linkedAt })),
  };
};

export const putSettings = async (
  { client, tableName }: TableDeps,
  assessmentId: string,
  settings: LineSettings,
  now: Date,
  audit: AuditEntry,
) => {
  await writeWithAudit(
    { client, tableName },
    {
      Put: {
        TableName: tableName,
        Item: {
          ...keys.lineSettings(assessmentId),
          type: 'line-settings',
          settings,
          updatedAt: now.toISOString(),
        },
      },
    },
    audit,
  );
};

/** Stores a new link code by its hash, with the audit entry; the code itself is never stored. */
export const createCode = async (
  { client, tableName }: TableDeps,
  codeHash: string,
  code: { assessmentId: string; owner: string; expiresAtIso: string },
  audit: AuditEntry,
) => {
  const refusal = await writeWithAudit(
    { client, tableName },
    {
      Put: {
        TableName: tableName,
        Item: {
          ...keys.lineCode(codeHash),
          type: 'line-code',
          assessmentId: code.assessmentId,
          owner: code.owner,
          expiresAtIso: code.expiresAtIso,
          expiresAt: epoch(code.expiresAtIso) + CODE_KEEP_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    audit,
  );
  // 31^8 codes: a collision is a one-in-a-trillion event; the caller draws another.
  return refusal === null;
};

export const findCode = async (deps: TableDeps, codeHash: string): Promise<StoredLinkCode | null> => {
  const item = await getItem(deps, keys.lineCode(codeHash));
  if (!item) return null;
  return {
    assessmentId: String(item.assessmentId),
    owner: String(item.owner),
    expiresAtIso: String(item.expiresAtIso),
    ...(item.usedAt ? { usedAt: String(item.usedAt) } : {}),
    ...(item.usedByGroup ? { usedByGroup: String(item.usedByGroup) } : {}),
  };
};

/** The link of a group, by group id: which assessment and owner it belongs to. */
export const findGroup = async (
  deps: TableDeps,
  groupId: string,
): Promise<{ assessmentId: string; owner: string; linkedAt: string } | null> => {
  const item = await getItem(deps, keys.lineGroupLink(groupId));
  return item
    ? { assessmentId: String(item.assessmentId), owner: String(item.owner), linkedAt: String(item.linkedAt) }
    : null;
};

export type RedeemOutcome = 'linked' | 'used' | 'expired';

/**
 * Redeems a code: in ONE transaction, the code is marked used (only if unused and not expired),
 * the group is linked to the code's owner both ways, the owner's previous group (a relink) and the
 * group's previous owner (a group moving) lose their links, with audit entries. A race between two
 * groups posting the same code lets one win; the other hears "used".
 */
export const redeemCode = async (
  { client, tableName }: TableDeps,
  codeHash: string,
  link: {
    assessmentId: string;
    owner: string;
    groupId: string;
    now: Date;
    /** The owner's group before (a relink), and the group's owner before (a move), as read. */
    previousGroupId: string | null;
    previousOwner: { assessmentId: string; owner: string } | null;
  },
  audits: AuditEntry[],
): Promise<RedeemOutcome> => {
  const at = link.now.toISOString();
  const { assessmentId, owner, groupId } = link;
  const items: NonNullable<Parameters<typeof transactWrite>[1]['TransactItems']> = [
    {
      Update: {
        TableName: tableName,
        Key: keys.lineCode(codeHash),
        UpdateExpression: 'SET usedAt = :now, usedByGroup = :group',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(usedAt) AND expiresAtIso > :now',
        ExpressionAttributeValues: { ':now': at, ':group': groupId },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.lineGroupLink(groupId), type: 'line-group-link', assessmentId, owner, linkedAt: at },
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.lineGroup(assessmentId, owner), type: 'line-group', owner, groupId, linkedAt: at },
      },
    },
  ];
  if (link.previousGroupId && link.previousGroupId !== groupId)
    items.push({
      Delete: {
        TableName: tableName,
        Key: keys.lineGroupLink(link.previousGroupId),
        ConditionExpression: 'attribute_not_exists(PK) OR (assessmentId = :aid AND #owner = :owner)',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':aid': assessmentId, ':owner': owner },
      },
    });
  const moved = link.previousOwner;
  if (moved && (moved.assessmentId !== assessmentId || moved.owner !== owner))
    items.push({
      Delete: {
        TableName: tableName,
        Key: keys.lineGroup(moved.assessmentId, moved.owner),
        ConditionExpression: 'attribute_not_exists(PK) OR groupId = :group',
        ExpressionAttributeValues: { ':group': groupId },
      },
    });
  for (const audit of audits) items.push(auditPut(tableName, audit));
  try {
    await transactWrite(client, { TransactItems: items });
    return 'linked';
  } catch (error) {
    const first = cancellationReasons(error)?.[0];
    if (first?.Code !== 'ConditionalCheckFailed') throw error;
    return first.Item?.usedAt ? 'used' : 'expired';
  }
};

/**
 * Unlinks a group (the bot left it, or LINE refuses to push there): both link items go, only if
 * they still name each other, with the audit entry. False when someone else already unlinked it.
 */
export const unlinkGroup = async (
  { client, tableName }: TableDeps,
  link: { assessmentId: string; owner: string; groupId: string },
  audit: AuditEntry,
): Promise<boolean> => {
  return transactWriteUnlessRefused(client, {
    TransactItems: [
      {
        Delete: {
          TableName: tableName,
          Key: keys.lineGroup(link.assessmentId, link.owner),
          ConditionExpression: 'groupId = :group',
          ExpressionAttributeValues: { ':group': link.groupId },
        },
      },
      {
        Delete: {
          TableName: tableName,
          Key: keys.lineGroupLink(link.groupId),
          ConditionExpression: 'attribute_not_exists(PK) OR (assessmentId = :aid AND #owner = :owner)',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':aid': link.assessmentId, ':owner': link.owner },
        },
      },
      auditPut(tableName, audit),
    ],
  });
};

/** Claims a webhook event before acting on it; false when it was handled already (a redelivery). */
export const claimEvent = async ({ client, tableName }: TableDeps, webhookEventId: string, now: Date) => {
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.lineEvent(webhookEventId),
          type: 'line-event',
          at: now.toISOString(),
          expiresAt: Math.floor(now.getTime() / 1000) + EVENT_KEEP_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return true;
  } catch (error) {
    if (conditionRefused(error)) return false;
    throw error;
  }
};

/** Frees a claimed event whose handling failed, so LINE's redelivery is handled. */
export const releaseEvent = async ({ client, tableName }: TableDeps, webhookEventId: string) => {
  await client.send(new DeleteCommand({ TableName: tableName, Key: keys.lineEvent(webhookEventId) }));
};

/** The group linked to one owner, or a 404. */
export const getGroup = async (deps: TableDeps, assessmentId: string, owner: string) => {
  const item = await getItem(deps, keys.lineGroup(assessmentId, owner));
  if (!item) throw new NotFoundError(`no LINE group linked to ${owner}`);
  return LineGroupLink.parse({ owner: item.owner, groupId: item.groupId, linkedAt: item.linkedAt });
};

export const lineOperations = {
  getState,
  putSettings,
  createCode,
  findCode,
  findGroup,
  redeemCode,
  unlinkGroup,
  claimEvent,
  releaseEvent,
  getGroup,
};

export const createLineRepository = (deps: TableDeps) => bindTable(deps, lineOperations);
export type LineRepository = ReturnType<typeof createLineRepository>;
