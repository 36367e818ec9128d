import { beforeAll, describe, expect, it } from 'vitest';
import { allFunctions } from '../../infra/catalogue.ts';
import { PERMISSIONS, permissionsOf } from '../../infra/permissions.ts';
import {
  type BundleUse,
  bundleUses,
  missingGrants,
  NEED_VARIABLES,
  neededBy,
  unusedGrants,
} from './bundle-needs.ts';

describe('declared permissions (infra/permissions.ts) against what each bundle uses', () => {
  const fns = allFunctions().map((spec) => spec.fn);
  let uses: Map<string, BundleUse>;

  beforeAll(async () => {
    // Prepare: every function bundled as it deploys (one esbuild run, in memory)
    uses = await bundleUses(fns, NEED_VARIABLES);
  }, 240_000);

  it('declares every function, and only functions that exist', () => {
    // Assess
    for (const fn of fns) expect(() => permissionsOf(fn), fn).not.toThrow();
    expect(Object.keys(PERMISSIONS).filter((fn) => !fns.includes(fn))).toEqual([]);
  });

  it('grants every client a bundle uses: no function needs what its declaration leaves out', () => {
    // Act
    const missing = fns
      .map((fn) => ({ fn, missing: missingGrants(permissionsOf(fn), neededBy(uses.get(fn)!)) }))
      .filter((entry) => entry.missing.length > 0);

    // Assess
    expect(missing).toEqual([]);
  });

  it('grants nothing a bundle never uses (least privilege)', () => {
    // Act
    const unused = fns
      .map((fn) => ({ fn, unused: unusedGrants(permissionsOf(fn), neededBy(uses.get(fn)!)) }))
      .filter((entry) => entry.unused.length > 0);

    // Assess
    expect(unused).toEqual([]);
  });

  it('reads the bundles right: the SES client in the notifier, the scheduler in sync-schedules, writes in put-plan only of these', () => {
    // Assess: a check that could not see these would pass anything
    expect(neededBy(uses.get('notifier')!)).toMatchObject({ mail: true, table: 'readWrite' });
    expect(neededBy(uses.get('sync-schedules')!)).toMatchObject({ schedules: true });
    expect(neededBy(uses.get('put-plan')!).table).toBe('readWrite');
    expect(neededBy(uses.get('get-assessment')!).table).toBe('read');
    expect(neededBy(uses.get('outbox-relay')!)).toEqual({ bus: true });
    expect(neededBy(uses.get('health')!)).toEqual({});
  });
});

describe('the comparison itself', () => {
  const use = (clients: string[], variables: string[], table?: 'read' | 'readWrite'): BundleUse => ({
    fn: 'example',
    ...(table ? { table } : {}),
    clients: new Set(clients),
    variables: new Set(variables),
  });

  it('fails a bundle with the SES client whose declaration has no mail, and one that writes with a read grant', () => {
    // Prepare
    const mailer = neededBy(use(['dynamodb', 'sesv2'], ['TABLE_NAME', 'MAIL_FROM'], 'read'));
    const writer = neededBy(use(['dynamodb'], ['TABLE_NAME'], 'readWrite'));

    // Act
    const mailMissing = missingGrants({ table: 'read' }, mailer);
    const writeMissing = missingGrants({ table: 'read' }, writer);

    // Assess
    expect(mailMissing).toEqual(['mail']);
    expect(writeMissing).toEqual(['table:readWrite']);
  });

  it('fails a declaration granting mail, a secret or write access its bundle never uses', () => {
    // Prepare
    const reader = neededBy(use(['dynamodb'], ['TABLE_NAME'], 'read'));

    // Act
    const unused = unusedGrants({ table: 'readWrite', mail: true, secrets: ['line'] }, reader);

    // Assess
    expect(unused).toEqual(['table:readWrite', 'mail', 'secrets:line']);
  });
});
