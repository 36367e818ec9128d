import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#http/openapi';
import { IDEMPOTENT_FUNCTIONS, routes } from '#http/routes';
import { getOpenApi } from '../../functions/openapi.ts';

const run = promisify(execFile);

describe('the generated OpenAPI document', () => {
  it('lists every route of the route table with its path parameters, security and error body', () => {
    // Act
    const document = openApiDocument();

    // Assess
    for (const route of routes) {
      const operation = (
        document.paths[route.path] as Record<string, { parameters?: { name: string; in: string }[] }>
      )[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect((operation?.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)).toEqual(
        pathParams,
      );
    }
    expect(document.components.securitySchemes.bearer).toEqual(expect.objectContaining({ scheme: 'bearer' }));
    expect(document.components.schemas.ErrorBody).toMatchObject({ required: ['error'] });
  });

  it('carries the request schemas from zod, strict and with the feed token on calendar routes', () => {
    // Act
    const { paths } = openApiDocument() as unknown as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
            parameters?: { name: string; in: string }[];
          }
        >
      >;
    };

    // Assess
    const survey = paths['/assessments/{id}/agencies/{agencyId}/surveys/{tool}']?.put;
    expect(survey?.requestBody?.content['application/json']?.schema).toMatchObject({
      additionalProperties: false,
      required: ['responses', 'asOf'],
    });
    const feed = Object.entries(paths).find(([path]) => path.endsWith('calendar.ics'));
    if (feed)
      expect(feed[1].get?.parameters).toContainEqual(expect.objectContaining({ name: 'token', in: 'query' }));
  });

  it('offers Idempotency-Key exactly on the writes of the functions wrapped in withIdempotency', () => {
    // Prepare
    const wrapped = new Set(
      [...new Set(routes.map((route) => route.fn))].filter((fn) =>
        readFileSync(join(process.cwd(), 'functions', `${fn}.ts`), 'utf8').includes('withIdempotency('),
      ),
    );

    // Act
    const { paths } = openApiDocument() as unknown as {
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    };
    const offered = routes.filter((route) =>
      paths[route.path]?.[route.method.toLowerCase()]?.parameters?.some((p) => p.name === 'Idempotency-Key'),
    );

    // Assess
    expect(IDEMPOTENT_FUNCTIONS).toEqual(wrapped);
    expect(offered.map((route) => `${route.method} ${route.path}`).sort()).toEqual(
      routes
        .filter((route) => route.method !== 'GET' && wrapped.has(route.fn))
        .map((route) => `${route.method} ${route.path}`)
        .sort(),
    );
    expect(offered.map((route) => `${route.method} ${route.path}`)).toContain(
      'DELETE /assessments/{id}/agencies/{agencyId}/oit-assignments/{itemId}',
    );
    expect(offered.map((route) => route.fn)).not.toContain('tokens');
  });

  it('passes redocly lint with the recommended rules', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    const response = await getOpenApi();
    writeFileSync(join(dir, 'openapi.json'), response.body);
    writeFileSync(join(dir, 'redocly.yaml'), 'extends:\n  - recommended\n');

    // Act
    const redocly = join(process.cwd(), 'node_modules', '.bin', 'redocly');
    const outcome = await run(
      redocly,
      ['lint', 'openapi.json', '--config', 'redocly.yaml', '--format', 'stylish'],
      {
        cwd: dir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    ).then(
      () => ({ failed: false, output: '' }),
      (error: { stdout?: string; stderr?: string }) => ({
        failed: true,
        output: `${error.stdout}${error.stderr}`,
      }),
    );
    rmSync(dir, { recursive: true, force: true });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(outcome).toEqual({ failed: false, output: '' });
  }, 120_000);
});
