import { createAgencyRepository } from '#adapters/dynamo/agency-repository';
import { createAssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { createDocumentClient } from '#adapters/dynamo/client';
import { parseConfig, TableConfig } from '#config';
import { clockNow } from './clock.ts';

/**
 * The table and its repositories, built once per process (Lambda execution environment or
 * local server) from the parsed configuration, on first use.
 */
const build = () => {
  const config = parseConfig(TableConfig);
  const client = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DDB_ENDPOINT });
  const deps = { client, tableName: config.TABLE_NAME };
  return {
    config,
    client,
    tableName: config.TABLE_NAME,
    assessments: createAssessmentRepository(deps),
    agencies: createAgencyRepository(deps),
    /** Campaign time: the real time in AWS, the movable clock locally. */
    now: clockNow,
  };
};

let runtime: ReturnType<typeof build> | undefined;

export type TableRuntime = ReturnType<typeof build>;

export const tableRuntime = (): TableRuntime => {
  runtime ??= build();
  return runtime;
};
