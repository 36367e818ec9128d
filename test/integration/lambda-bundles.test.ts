import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '#domain/principal';
import { openApiDocument } from '#http/openapi';
import type { HttpEvent } from '#http/types';
import { httpEvent } from '#test/events';
import { seedAssessment } from '#test/fixtures';
import { freshTable } from '#test/table';
import { handler as putEvidenceFromSource } from '../../functions/put-oit-evidence.ts';
import { allFunctions } from '../../infra/catalogue.ts';
import { bundleSource, runBundle } from '../infra/bundle.ts';

/**
 * The Lambda bundles themselves, built with the options of `infra/bundling.ts` and run by plain
 * Node: what tree-shaking and minifying drop must be exactly what nothing uses.
 */

const A = 'bundle-2567';
const agency: Principal = { tokenId: 'tok-bundle', role: 'agency', assessmentId: A, agencyId: 'agency-a' };
let tableEnv: Record<string, string>;

/** Runs `events` in order through one bundled function's `handler`, in one process; returns the results. */
const runHandler = async (fn: string, events: HttpEvent[]) => {
  const code = await bundleSource(`
    import { handler } from './functions/${fn}.ts';
    const events = JSON.parse(process.env.EVENTS);
    const results = [];
    for (const event of events) results.push(await handler(event, { getRemainingTimeInMillis: () => 10000 }));
    process.stdout.write(JSON.stringify(results));
  `);
  return JSON.parse(await runBundle(code, { ...tableEnv, EVENTS: JSON.stringify(events) })) as {
    statusCode: number;
    headers?: Record<string, string>;
    body: string;
  }[];
};

const evidenceEvent = (itemId: string, body: unknown, headers: Record<string, string> = {}) =>
  httpEvent({
    method: 'PUT',
    routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}',
    pathParameters: { id: A, agencyId: 'agency-a', itemId },
    body: body as object,
    headers,
    principal: agency,
  });

beforeAll(async () => {
  const table = await freshTable('bundles');
  tableEnv = { TABLE_NAME: table.tableName, DDB_ENDPOINT: table.endpoint, AWS_REGION: 'ap-southeast-1' };
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  await seedAssessment(table, { id: A, agencyIds: ['agency-a'], items: ['o1', 'o2'] });
});

describe('the bundled Lambdas', () => {
  it('each imports in a fresh Node process and exports its handler', async () => {
    // Prepare
    const names = allFunctions().map((spec) => spec.fn);
    const code = await bundleSource(`
      ${names.map((fn, i) => `import { handler as h${i} } from './functions/${fn}.ts';`).join('\n')}
      process.stdout.write(JSON.stringify([${names.map((_, i) => `typeof h${i}`).join(', ')}]));
    `);

    // Act
    const kinds = JSON.parse(await runBundle(code));

    // Assess
    expect(kinds).toEqual(names.map(() => 'function'));
  });

  it('generate the same OpenAPI document as the sources: every schema survives bundling', async () => {
    // Act
    const code = await bundleSource(
      `import { openApiDocument } from '#http/openapi'; process.stdout.write(JSON.stringify(openApiDocument()));`,
    );
    const bundled = JSON.parse(await runBundle(code));

    // Assess
    expect(bundled).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('write, replay, refuse and read through the bundles as the sources do', async () => {
    // Prepare
    const invalid = evidenceEvent('o2', { urls: 'https://example.org/o2', note: 5 });
    const fromSource = await putEvidenceFromSource(invalid, {
      getRemainingTimeInMillis: () => 10_000,
    } as never);

    // Act
    const [written, replayed, refused] = await runHandler('put-oit-evidence', [
      evidenceEvent(
        'o1',
        { urls: ['https://example.org/o1'], note: 'หลักฐานฉบับแรก' },
        { 'idempotency-key': 'b-1' },
      ),
      evidenceEvent(
        'o1',
        { note: 'หลักฐานฉบับแรก', urls: ['https://example.org/o1'] },
        { 'idempotency-key': 'b-1' },
      ),
      invalid,
    ]);
    const [progress] = await runHandler('get-agency-progress', [
      httpEvent({
        routeKey: 'GET /assessments/{id}/agencies/{agencyId}/progress',
        pathParameters: { id: A, agencyId: 'agency-a' },
        principal: agency,
      }),
    ]);

    // Assess: the same answers, the same English validation message (the zod locale kept), one write.
    expect(written?.statusCode).toBe(200);
    expect(replayed).toMatchObject({ statusCode: 200, body: written?.body });
    expect(replayed?.headers?.['idempotent-replayed']).toBe('true');
    expect(refused?.statusCode).toBe(400);
    expect(JSON.parse(refused!.body)).toEqual(JSON.parse(fromSource.body));
    expect(JSON.parse(progress!.body).oit).toMatchObject({ assigned: 2, submitted: 1 });
  }, 60_000);
});
