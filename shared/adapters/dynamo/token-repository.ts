import type { AuditEntry } from '#domain/audit';
import { StoredToken } from '#domain/auth';
import { ConflictError } from '#domain/errors';
import { bindTable, type TableDeps } from './bind.ts';
import { keys } from './keys.ts';
import { getItem, queryPartition } from './query.ts';
import { auditPut, conditionRefused, transactWrite } from './transact.ts';

/**
 * Not `withoutKeys`: that also drops `expiresAt`, the table's TTL attribute name, which a token
 * carries as an ISO string (TTL ignores non-numbers, so tokens are never deleted behind our back).
 */
const fromItem = (item: Record<string, unknown>): StoredToken => {
  const { PK: _pk, SK: _sk, type: _type, ...token } = item;
  return StoredToken.parse(token);
};

export type RevokeOutcome = { token: StoredToken; changed: boolean } | null;

/**
 * Stores a token twice in one transaction: the lookup item keyed by its hash (what the
 * authorizer reads) and the listing item in its assessment's partition, with the audit entry.
 */
/** A new token's two items (lookup and listing), for a transaction; sign-in writes them with its code. */
export const tokenPuts = (tableName: string, token: StoredToken) => {
  const body = { type: 'token', ...token };
  return [
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.tokenLookup(token.hash), ...body },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.tokenListing(token.assessmentId, token.id), ...body },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
  ];
};

export const create = async (
  { client, tableName }: TableDeps,
  token: StoredToken,
  audit: AuditEntry,
): Promise<void> => {
  try {
    await transactWrite(client, {
      TransactItems: [...tokenPuts(tableName, token), auditPut(tableName, audit)],
    });
  } catch (error) {
    if (conditionRefused(error)) throw new ConflictError(`token ${token.id} already exists`);
    throw error;
  }
};

/** The authorizer's one read: strongly consistent, so a revocation takes effect on the next request. */
export const findByHash = async (deps: TableDeps, hash: string): Promise<StoredToken | null> => {
  const found = await getItem(deps, keys.tokenLookup(hash));
  return found ? fromItem(found) : null;
};

export const get = async (
  deps: TableDeps,
  assessmentId: string,
  tokenId: string,
): Promise<StoredToken | null> => {
  const found = await getItem(deps, keys.tokenListing(assessmentId, tokenId));
  return found ? fromItem(found) : null;
};

/** Every token of an assessment, newest first: one Query (pages followed). */
export const list = async (deps: TableDeps, assessmentId: string): Promise<StoredToken[]> => {
  const items = await queryPartition(deps, keys.assessmentPartition(assessmentId), {
    range: { beginsWith: keys.tokenPrefix },
    consistent: true,
  });
  const tokens = items.map(fromItem);
  return tokens.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
};

/**
 * Marks both items revoked in one conditional transaction with the audit entry. Revoking a
 * revoked token changes nothing and writes no second audit entry (DELETE is idempotent).
 * Returns null when the assessment has no such token.
 */
export const revoke = async (
  { client, tableName }: TableDeps,
  assessmentId: string,
  tokenId: string,
  now: string,
  audit: AuditEntry,
): Promise<RevokeOutcome> => {
  const current = await get({ client, tableName }, assessmentId, tokenId);
  if (!current) return null;
  if (current.revokedAt) return { token: current, changed: false };
  const revoke = (key: { PK: string; SK: string }) => ({
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET revokedAt = :now',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(revokedAt)',
      ExpressionAttributeValues: { ':now': now },
    },
  });
  try {
    await transactWrite(client, {
      TransactItems: [
        revoke(keys.tokenListing(assessmentId, tokenId)),
        revoke(keys.tokenLookup(current.hash)),
        auditPut(tableName, audit),
      ],
    });
  } catch (error) {
    if (conditionRefused(error)) {
      // Someone revoked it between our read and our write: the outcome the caller wanted.
      const again = await get({ client, tableName }, assessmentId, tokenId);
      return again ? { token: again, changed: false } : null;
    }
    throw error;
  }
  return { token: { ...current, revokedAt: now }, changed: true };
};

export const tokenOperations = {
  create,
  findByHash,
  get,
  list,
  revoke,
};

/** Every token operation bound to one table (see `tokenOperations` to bind only some). */
export const createTokenRepository = (deps: TableDeps) => bindTable(deps, tokenOperations);

export type TokenRepository = ReturnType<typeof createTokenRepository>;
