import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '#domain/audit';
import type { StoredToken } from '#domain/auth';
import { LastSignIn } from '#domain/people';
import {
  codeRecordExpiry,
  SIGNIN_LIMITS,
  type SignInChoice,
  type SignInDirectory,
  StoredSignInCode,
  sourceWindow,
} from '#domain/signin';
import { getOverviewWithNotificationState } from './assessment-repository.ts';
import { bindTable, type TableDeps } from './bind.ts';
import { keys } from './keys.ts';
import { getParsed, queryPartition } from './query.ts';
import { tokenPuts } from './token-repository.ts';
import { auditPut, conditionRefused, transactWriteUnlessRefused } from './transact.ts';

/**
 * Counts one request of a source address in the current fixed window: one conditional UpdateItem
 * (`ADD n 1` while n is under the limit), so parallel requests cannot pass it together.
 */
export const countSourceRequest = async (
  { client, tableName }: TableDeps,
  scope: 'code' | 'session',
  source: string,
  limit: number,
  now: Date,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> => {
  const window = sourceWindow(now);
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.signInRate(scope, source, window.start),
        UpdateExpression: 'ADD n :one SET expiresAt = :ttl',
        ConditionExpression: 'attribute_not_exists(n) OR n < :limit',
        ExpressionAttributeValues: {
          ':one': 1,
          ':limit': limit,
          ':ttl': Math.ceil((window.start + SIGNIN_LIMITS.sourceWindowMs) / 1000) + 3600,
        },
      }),
    );
    return { allowed: true, retryAfterSeconds: 0 };
  } catch (error) {
    if (conditionRefused(error)) return { allowed: false, retryAfterSeconds: window.retryAfterSeconds };
    throw error;
  }
};

/**
 * Who the assessment knows, from the overview Query (pattern 2, which also returns the
 * notification settings): agencies' contacts and the settings' lists, without the deployment's
 * fallbacks (the use case adds them). Null for an assessment that does not exist.
 */
export const getDirectory = async (
  deps: TableDeps,
  assessmentId: string,
): Promise<SignInDirectory | null> => {
  const found = await getOverviewWithNotificationState(deps, assessmentId);
  if (!found) return null;
  const { assessment, agencies } = found.overview;
  const { settings } = found.notificationState;
  return {
    assessmentId,
    assessmentName: `${assessment.unitName} ปีงบประมาณ พ.ศ. ${assessment.fiscalYear}`,
    agencies: agencies.map(({ agency }) => ({
      id: agency.id,
      nameTh: agency.nameTh,
      coordinatorEmail: agency.coordinator.email,
      headEmail: agency.head.email,
    })),
    secretariatEmails: settings.secretariatEmails,
    viewerEmails: settings.viewerEmails,
    approverEmails: settings.approverEmails,
  };
};

export const getCode = (deps: TableDeps, ...ids: Parameters<typeof keys.signInCode>) =>
  getParsed(deps, keys.signInCode(...ids), StoredSignInCode);

/**
 * Stores a new code in place of the address's current one, with its audit entry, on condition
 * that the current one is still the one read (`previousIssuedAt`, null: none): two requests
 * racing cannot both count as one send. False when the race was lost.
 */
export const replaceCode = async (
  { client, tableName }: TableDeps,
  code: StoredSignInCode,
  previousIssuedAt: string | null,
  audit: AuditEntry,
): Promise<boolean> => {
  return transactWriteUnlessRefused(client, {
    TransactItems: [
      {
        Put: {
          TableName: tableName,
          Item: {
            ...keys.signInCode(code.assessmentId, code.email),
            type: 'signin-code',
            ...code,
            expiresAt: codeRecordExpiry(code),
          },
          ConditionExpression: previousIssuedAt ? 'issuedAt = :previous' : 'attribute_not_exists(PK)',
          ...(previousIssuedAt ? { ExpressionAttributeValues: { ':previous': previousIssuedAt } } : {}),
        },
      },
      auditPut(tableName, audit),
    ],
  });
};

/** Marks the code mailed, so a redelivered request sends nothing more. */
export const markMailed = async (
  { client, tableName }: TableDeps,
  code: Pick<StoredSignInCode, 'assessmentId' | 'email' | 'issuedAt'>,
  at: string,
): Promise<void> => {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.signInCode(code.assessmentId, code.email),
        UpdateExpression: 'SET mailedAt = :at',
        ConditionExpression: 'issuedAt = :issued',
        ExpressionAttributeValues: { ':at': at, ':issued': code.issuedAt },
      }),
    );
  } catch (error) {
    // A newer code replaced it meanwhile: that one carries its own mark.
    if (!conditionRefused(error)) throw error;
  }
};

/** An audit entry alone (a suppressed send writes nothing else). */
export const recordAudit = async ({ client, tableName }: TableDeps, audit: AuditEntry): Promise<void> => {
  await client.send(new PutCommand(auditPut(tableName, audit).Put));
};

/**
 * Counts a wrong try on the live code: `tries + 1` on condition that the code is still the one
 * read, unused and under the limit, so parallel wrong tries stop at 5. Returns the count after
 * this try (for the audit entry), or null when the condition failed (the code was killed, used or
 * replaced meanwhile).
 */
export const countWrongTry = async (
  { client, tableName }: TableDeps,
  code: Pick<StoredSignInCode, 'assessmentId' | 'email' | 'issuedAt'>,
): Promise<number | null> => {
  try {
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.signInCode(code.assessmentId, code.email),
        UpdateExpression: 'SET tries = tries + :one',
        ConditionExpression: 'issuedAt = :issued AND tries < :max AND attribute_not_exists(usedAt)',
        ExpressionAttributeValues: {
          ':one': 1,
          ':issued': code.issuedAt,
          ':max': SIGNIN_LIMITS.maxWrongTries,
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.tries);
  } catch (error) {
    if (conditionRefused(error)) return null;
    throw error;
  }
};

/**
 * Uses the code and creates the token in one transaction: the code's update is conditional on
 * its hash, its issue time, not being used, under the wrong-try limit and not expired, so of two
 * parallel sign-ins with one code exactly one gets a token. Records the address's last sign-in.
 * False when the code no longer opens anything.
 */
export const redeemCode = async (
  { client, tableName }: TableDeps,
  code: Pick<StoredSignInCode, 'assessmentId' | 'email' | 'issuedAt' | 'codeHash'>,
  now: Date,
  token: StoredToken,
  audits: AuditEntry[],
  chosen: SignInChoice,
): Promise<boolean> => {
  const at = now.toISOString();
  return transactWriteUnlessRefused(client, {
    TransactItems: [
      {
        Update: {
          TableName: tableName,
          Key: keys.signInCode(code.assessmentId, code.email),
          UpdateExpression: 'SET usedAt = :at',
          ConditionExpression:
            'issuedAt = :issued AND codeHash = :hash AND attribute_not_exists(usedAt) AND tries < :max AND codeExpiresAt > :at',
          ExpressionAttributeValues: {
            ':at': at,
            ':issued': code.issuedAt,
            ':hash': code.codeHash,
            ':max': SIGNIN_LIMITS.maxWrongTries,
          },
        },
      },
      ...tokenPuts(tableName, token),
      {
        Put: {
          TableName: tableName,
          Item: {
            ...keys.lastSignIn(code.assessmentId, code.email),
            type: 'signin-last',
            assessmentId: code.assessmentId,
            email: code.email,
            at,
            role: chosen.role,
            ...(chosen.agencyId ? { agencyId: chosen.agencyId } : {}),
            tokenId: token.id,
          },
        },
      },
      ...audits.map((audit) => auditPut(tableName, audit)),
    ],
  });
};

/**
 * Every address's last sign-in in the assessment: one Query on the sign-in partition, the
 * `LAST#` range only (the codes share the partition), for the secretariat's list of people.
 */
export const listLastSignIns = async (deps: TableDeps, assessmentId: string): Promise<LastSignIn[]> => {
  const { PK, SK: prefix } = keys.lastSignIn(assessmentId, '');
  const items = await queryPartition(deps, PK, { range: { beginsWith: prefix } });
  return items.map((item) => LastSignIn.parse(item));
};

export const signInOperations = {
  countSourceRequest,
  getDirectory,
  getCode,
  replaceCode,
  markMailed,
  recordAudit,
  countWrongTry,
  redeemCode,
  listLastSignIns,
};

export const createSignInRepository = (deps: TableDeps) => bindTable(deps, signInOperations);

export type SignInRepository = ReturnType<typeof createSignInRepository>;
