import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '#domain/audit';
import { ConflictError, NotFoundError, VersionConflictError } from '#domain/errors';
import { AgencySummary, Assessment, ImprovementTask, Milestone, YearResult } from '#domain/model';
import { withoutKeys } from './items.ts';
import { keys, skKind } from './keys.ts';
import { TABLE_KEYS } from './table.ts';
import { auditPut, cancellationReasons, transactWrite } from './transact.ts';

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

type Deps = { client: DynamoDBDocumentClient; tableName: string };

const overviewItem = (assessmentId: string, key: { PK: string; SK: string }, type: string, body: object) => ({
  ...key,
  ...keys.overview(assessmentId, key.SK),
  type,
  ...body,
});

export const createAssessmentRepository = ({ client, tableName }: Deps) => {
  const queryAll = async (input: ConstructorParameters<typeof QueryCommand>[0]) => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey }));
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };

  return {
    /** Creates an assessment with its plan, tasks and results; refuses an id that exists. */
    async create(
      { assessment, milestones, tasks, results }: NewAssessment,
      audit: AuditEntry,
    ): Promise<void> {
      const id = assessment.id;
      const puts = [
        overviewItem(id, keys.assessment(id), 'assessment', assessment),
        ...milestones.map((m) => overviewItem(id, keys.milestone(id, m.number), 'milestone', m)),
        ...tasks.map((t) => overviewItem(id, keys.task(id, t.id), 'task', { ...t, version: t.version ?? 1 })),
        ...results.map((r) => overviewItem(id, keys.result(id, r.fiscalYear), 'result', r)),
      ].map((Item) => ({
        Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' },
      }));
      try {
        await transactWrite(client, { TransactItems: [...puts, auditPut(tableName, audit)] });
      } catch (error) {
        if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') {
          throw new ConflictError(`assessment ${id} already exists`);
        }
        throw error;
      }
    },

    /** Access pattern 1: the assessment and its plan in one strongly consistent Query. */
    async getWithPlan(assessmentId: string): Promise<AssessmentWithPlan | null> {
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.assessmentPartition(assessmentId),
          ':from': 'META',
          ':to': 'MILESTONE#~',
        },
        ConsistentRead: true,
      });
      const meta = items.find((i) => i.SK === 'META');
      if (!meta) return null;
      return {
        assessment: Assessment.parse(withoutKeys(meta)),
        milestones: items
          .filter((i) => skKind(String(i.SK)) === 'milestone')
          .map((i) => Milestone.parse(withoutKeys(i))),
      };
    },

    /** Access pattern 2: the province overview in one Query on GSI1 (pages followed if it grows past 1 MB). */
    async getOverview(assessmentId: string): Promise<Overview | null> {
      const items = await queryAll({
        TableName: tableName,
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.assessmentPartition(assessmentId) },
      });
      const meta = items.find((i) => i.SK === 'META');
      if (!meta) return null;
      const of = (kind: ReturnType<typeof skKind>) =>
        items.filter((i) => skKind(String(i.SK)) === kind).map(withoutKeys);
      return {
        assessment: Assessment.parse(withoutKeys(meta)),
        milestones: of('milestone').map((i) => Milestone.parse(i)),
        tasks: of('task').map((i) => ImprovementTask.parse(i)),
        results: of('result').map((i) => YearResult.parse(i)),
        agencies: of('agency').map((i) => AgencySummary.parse(i)),
      };
    },

    /**
     * Replaces the plan: puts every milestone given, deletes the ones no longer in it, and bumps
     * the assessment's version under a condition so two concurrent edits cannot both win.
     */
    async replacePlan(
      assessmentId: string,
      milestones: Milestone[],
      expectedVersion: number,
      now: string,
      audit: AuditEntry,
    ): Promise<void> {
      const current = await this.getWithPlan(assessmentId);
      if (!current) throw new NotFoundError(`assessment ${assessmentId} not found`);
      if (current.assessment.version !== expectedVersion) throw new VersionConflictError();
      const keep = new Set(milestones.map((m) => m.number));
      const stale = current.milestones.filter((m) => !keep.has(m.number));
      try {
        await transactWrite(client, {
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: keys.assessment(assessmentId),
                UpdateExpression: 'SET version = :next, updatedAt = :now',
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: {
                  ':next': expectedVersion + 1,
                  ':expected': expectedVersion,
                  ':now': now,
                },
              },
            },
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
          ],
        });
      } catch (error) {
        if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed')
          throw new VersionConflictError();
        throw error;
      }
    },
  };
};

export type AssessmentRepository = ReturnType<typeof createAssessmentRepository>;
