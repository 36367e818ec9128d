import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { agencyOperations, createAgencyRepository, getDetail } from '#adapters/dynamo/agency-repository';
import { assessmentOperations, createAssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { bindTable, type TableDeps } from '#adapters/dynamo/bind';
import {
  createNotificationRepository,
  notificationOperations,
} from '#adapters/dynamo/notification-repository';
import { createTokenRepository, tokenOperations } from '#adapters/dynamo/token-repository';

/** A client no operation here sends through: the bound functions are only called with fakes. */
const client = {} as DynamoDBDocumentClient;

describe('bindTable', () => {
  it('passes the table deps first and the caller’s arguments after them', async () => {
    // Prepare
    const seen: unknown[][] = [];
    const ops = {
      read: async (deps: TableDeps, id: string, limit?: number) => {
        seen.push([deps, id, limit]);
        return `${deps.tableName}/${id}`;
      },
    };

    // Act
    const bound = bindTable({ client, tableName: 't1' }, ops);
    const result = await bound.read('a1', 5);

    // Assess
    expect(result).toBe('t1/a1');
    expect(seen).toEqual([[{ client, tableName: 't1' }, 'a1', 5]]);
  });

  it('binds exactly the operations given, each callable on its own', async () => {
    // Prepare
    const ops = { one: (deps: TableDeps) => deps.tableName, two: (_deps: TableDeps, n: number) => n * 2 };

    // Act
    const { one, two, ...rest } = bindTable({ client, tableName: 't1' }, ops);

    // Assess
    expect(one()).toBe('t1');
    expect(two(21)).toBe(42);
    expect(rest).toEqual({});
  });

  it('reads the client and table name once, when binding, and hands over nothing else', () => {
    // Prepare
    const deps = { client, tableName: 't1', config: { extra: true } };
    const bound = bindTable(deps, { deps: (d: TableDeps) => d });

    // Act
    deps.tableName = 't2';

    // Assess
    expect(bound.deps()).toEqual({ client, tableName: 't1' });
  });

  it('keeps each operation’s parameters (names, optional ones) and result type', () => {
    const bound = bindTable({ client, tableName: 't' }, { getDetail });
    expectTypeOf(bound.getDetail).parameters.toEqualTypeOf<[assessmentId: string, agencyId: string]>();
    expectTypeOf(bound.getDetail).returns.toEqualTypeOf<ReturnType<typeof getDetail>>();
    const repo = createAgencyRepository({ client, tableName: 't' });
    expectTypeOf(repo.assignOitItems).parameter(5).toEqualTypeOf<number | undefined>();
  });
});

describe('repository factories', () => {
  it.each([
    ['agency', createAgencyRepository, agencyOperations],
    ['assessment', createAssessmentRepository, assessmentOperations],
    ['notification', createNotificationRepository, notificationOperations],
    ['token', createTokenRepository, tokenOperations],
  ] as const)('the %s repository binds every one of its operations', (_name, create, ops) => {
    const repo: Record<string, unknown> = create({ client, tableName: 't' });
    expect(Object.keys(repo).sort()).toEqual(Object.keys(ops).sort());
    for (const fn of Object.values(repo)) expect(fn).toBeTypeOf('function');
  });
});
