import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { missingEvidence } from '#domain/agency';
import type { AuditEntry } from '#domain/audit';
import { ConflictError, NotFoundError } from '#domain/errors';
import { AgencySummary, OitEvidence, type OitStatus } from '#domain/model';
import { withoutKeys } from './items.ts';
import { keys, skKind } from './keys.ts';
import { auditPut, cancellationReasons, transactWrite } from './transact.ts';

type Deps = { client: DynamoDBDocumentClient; tableName: string };

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

/** Why a conditional write on an evidence item failed, read from the item DynamoDB returned. */
/** The recorded evidence; its new version is not known without a read, and the hot path does not read. */
export type SubmittedEvidence = Omit<OitEvidence, 'version'>;

export type EvidenceRefusal =
  | { kind: 'not-assigned' }
  | { kind: 'status'; status: OitStatus; version: number };

/** DynamoDB caps a transaction at 100 items; one slot stays free for the summary, one for the audit entry. */
const ASSIGN_CHUNK = 98;

export const createAgencyRepository = ({ client, tableName }: Deps) => {
  const summaryCounterUpdate = (
    assessmentId: string,
    agencyId: string,
    now: string,
    deltas: Partial<Record<'assigned' | 'submitted' | 'approved' | 'rejected', number>>,
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
    return {
      Update: {
        TableName: tableName,
        Key: keys.agencySummary(assessmentId, agencyId),
        UpdateExpression: `ADD version :one${adds.length ? `, ${adds.join(', ')}` : ''} SET updatedAt = :now`,
        ConditionExpression: 'attribute_exists(PK)',
        ...(adds.length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      },
    };
  };

  return {
    /** Creates the agency's summary item; refuses an id already used in the assessment. */
    async create(summary: AgencySummary, audit: AuditEntry): Promise<void> {
      const key = keys.agencySummary(summary.assessmentId, summary.agency.id);
      try {
        await transactWrite(client, {
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: { ...key, ...keys.overview(summary.assessmentId, key.SK), type: 'agency', ...summary },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            auditPut(tableName, audit),
          ],
        });
      } catch (error) {
        if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') {
          throw new ConflictError(`agency ${summary.agency.id} already exists in ${summary.assessmentId}`);
        }
        throw error;
      }
    },

    /** Access pattern 3: the agency's summary and every OIT item, in one strongly consistent Query. */
    async getDetail(assessmentId: string, agencyId: string): Promise<AgencyDetail | null> {
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
            ExpressionAttributeValues: {
              ':pk': keys.assessmentPartition(assessmentId),
              ':prefix': keys.agencyPrefix(agencyId),
            },
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
        );
        items.push(...((page.Items ?? []) as Record<string, unknown>[]));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      const summary = items.find((i) => skKind(String(i.SK)) === 'agency');
      if (!summary) return null;
      return {
        summary: AgencySummary.parse(withoutKeys(summary)),
        evidence: items
          .filter((i) => skKind(String(i.SK)) === 'evidence')
          .map((i) => OitEvidence.parse(withoutKeys(i)))
          .sort((a, b) => Number(a.itemId.slice(1)) - Number(b.itemId.slice(1))),
      };
    },

    /**
     * Assigns OIT items to an agency: one `missing` evidence item per newly assigned item, and the
     * summary's assigned count moved by exactly the number created. Items already assigned are skipped.
     */
    async assignOitItems(
      assessmentId: string,
      agencyId: string,
      itemIds: string[],
      now: string,
      audit: AuditEntry,
    ): Promise<string[]> {
      const detail = await this.getDetail(assessmentId, agencyId);
      if (!detail) throw new NotFoundError(`agency ${agencyId} not found in ${assessmentId}`);
      const already = new Set(detail.evidence.map((e) => e.itemId));
      const fresh = [...new Set(itemIds)].filter((id) => !already.has(id));
      for (let i = 0; i < fresh.length; i += ASSIGN_CHUNK) {
        const chunk = fresh.slice(i, i + ASSIGN_CHUNK);
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
            summaryCounterUpdate(assessmentId, agencyId, now, { assigned: chunk.length }),
            ...(i === 0 ? [auditPut(tableName, audit)] : []),
          ],
        });
      }
      return fresh;
    },

    /**
     * Records evidence for an item in `fromStatus`, moving the summary's counters in the same
     * transaction: one round trip. When the item is not in that status the transaction is
     * cancelled and the refusal says what DynamoDB found, so the caller can take another path
     * without having read first.
     */
    async submitEvidence(
      submission: EvidenceSubmission,
      fromStatus: 'missing' | 'rejected' | 'submitted',
      audit: AuditEntry,
    ): Promise<SubmittedEvidence | EvidenceRefusal> {
      const { assessmentId, agencyId, itemId, urls, note, submittedBy, now } = submission;
      const deltas =
        fromStatus === 'missing'
          ? { submitted: 1 }
          : fromStatus === 'rejected'
            ? { submitted: 1, rejected: -1 }
            : {};
      try {
        await transactWrite(client, {
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: keys.evidence(assessmentId, agencyId, itemId),
                UpdateExpression:
                  'SET #status = :submitted, urls = :urls, note = :note, submittedAt = :now, submittedBy = :by, updatedAt = :now ADD version :one REMOVE rejectionReason, reviewedAt, reviewedBy',
                ConditionExpression: 'attribute_exists(PK) AND #status = :from',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':submitted': 'submitted',
                  ':from': fromStatus,
                  ':urls': urls,
                  ':note': note,
                  ':now': now,
                  ':by': submittedBy,
                  ':one': 1,
                },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            summaryCounterUpdate(assessmentId, agencyId, now, deltas),
            auditPut(tableName, audit),
          ],
        });
      } catch (error) {
        const reasons = cancellationReasons(error);
        const first = reasons?.[0];
        if (first?.Code === 'ConditionalCheckFailed') {
          if (!first.Item) return { kind: 'not-assigned' };
          const old = withoutKeys(first.Item);
          return { kind: 'status', status: old.status as OitStatus, version: Number(old.version) };
        }
        if (reasons?.[1]?.Code === 'ConditionalCheckFailed') return { kind: 'not-assigned' };
        throw error;
      }
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
      };
    },
  };
};

export type AgencyRepository = ReturnType<typeof createAgencyRepository>;
