import { createAgencyRepository } from '#adapters/dynamo/agency-repository';
import { createAssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { type BoundOperations, bindTable, type TableOperation } from '#adapters/dynamo/bind';
import { createDocumentClient } from '#adapters/dynamo/client';
import { parseConfig, TableConfig } from '#config';
import { clockNow } from './clock.ts';

/**
 * The table's client and name, built once per process (Lambda execution environment or local
 * server) from the parsed configuration, on first use. A Lambda builds only the repository
 * operations it calls on top of this, so its bundle carries no other repository code.
 */
const buildAccess = () => {
  const config = parseConfig(TableConfig);
  const client = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DDB_ENDPOINT });
  return {
    config,
    client,
    tableName: config.TABLE_NAME,
    /** Campaign time: the real time in AWS, the movable clock locally. */
    now: clockNow,
  };
};

export type TableAccess = ReturnType<typeof buildAccess>;

let access: TableAccess | undefined;

export const tableAccess = (): TableAccess => {
  access ??= buildAccess();
  return access;
};

type Repositories = Record<string, Record<string, TableOperation>>;

/**
 * A Lambda's table dependencies: the operations it names, grouped as its use cases expect them
 * (`{ assessments: { getWithPlan }, agencies: { getDetail } }`), bound to this process's table on
 * first call. Naming the operations here is what keeps every other one out of the bundle.
 */
export const tableDeps = <const Repos extends Repositories>(repositories: Repos) => {
  type Deps = TableAccess & { [K in keyof Repos]: BoundOperations<Repos[K]> };
  let deps: Deps | undefined;
  return (): Deps => {
    if (!deps) {
      const table = tableAccess();
      const bound = Object.fromEntries(
        Object.entries(repositories).map(([name, operations]) => [name, bindTable(table, operations)]),
      );
      deps = { ...table, ...bound } as Deps;
    }
    return deps;
  };
};

/** Every repository over the table: for the local tools, scripts and tests that touch all of them. */
const build = () => {
  const table = tableAccess();
  return {
    ...table,
    assessments: createAssessmentRepository(table),
    agencies: createAgencyRepository(table),
  };
};

let runtime: ReturnType<typeof build> | undefined;

export type TableRuntime = ReturnType<typeof build>;

export const tableRuntime = (): TableRuntime => {
  runtime ??= build();
  return runtime;
};
