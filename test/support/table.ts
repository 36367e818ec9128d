import { inject } from 'vitest';
import { createAgencyRepository } from '#adapters/dynamo/agency-repository';
import { createAssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { createDocumentClient } from '#adapters/dynamo/client';
import { ensureTable } from '#local/dynamo-local';

/**
 * A fresh table on the run's DynamoDB Local, with the repositories over it, and a counter of
 * the requests the client sent (for round-trip assertions).
 */
export const freshTable = async (prefix = 'test') => {
  const endpoint = inject('ddbEndpoint');
  const tableName = `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await ensureTable(endpoint, tableName);
  const client = createDocumentClient({ region: 'ap-southeast-1', endpoint });
  const calls: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  const deps = { client, tableName };
  return {
    endpoint,
    tableName,
    client,
    calls,
    assessments: createAssessmentRepository(deps),
    agencies: createAgencyRepository(deps),
  };
};
