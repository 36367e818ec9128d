import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/bundling.ts';
import { inlineSchemaKeys, SDK_SCHEMA_MODULE } from '../../infra/sdk-schema-plugin.ts';
import { bundleSource, runBundle } from './bundle.ts';
import type { Described } from './schema-values.ts';

/** The SDK clients the functions use. */
const CLIENTS = ['client-sesv2', 'client-scheduler', 'client-eventbridge', 'client-dynamodb'];

const schemaModulesOf = (client: string) => {
  const dir = path.join(REPO_ROOT, 'node_modules', '@aws-sdk', client, 'dist-es', 'schemas');
  return readdirSync(dir)
    .filter((name) => /^schemas_\d+\.js$/.test(name))
    .map((name) => path.join(dir, name));
};

/** Every export of a schema module, described as JSON by a bundle run in its own Node process. */
const describedSchemas = async (modulePath: string, plugins: boolean) => {
  const entry = [
    `import * as schemas from ${JSON.stringify(modulePath)};`,
    `import { describeModule } from './test/infra/schema-values.ts';`,
    'process.stdout.write(JSON.stringify(describeModule(schemas)));',
  ].join('\n');
  const code = await bundleSource(entry, { plugins, keepNames: true });
  return JSON.parse(await runBundle(code)) as Record<string, Described>;
};

const literalKey = (key: string, value: Described): Described => ({
  object: 'Object',
  properties: [[key, value]],
});

describe('inlineSchemaKeys', () => {
  it('writes a computed key naming a string constant as that literal, on the same line', () => {
    // Prepare
    const source = [
      'const _h = "http";',
      'const _hE = "httpError";',
      'export var A$ = [9, n0, _A,',
      '    { [_h]: ["DELETE", "/v2/email/tags", 200] }, () => B$, () => C$',
      '];',
      'export var E$ = [-3, n0, _E, { [_e]: _c,[_hE]: 400 }, [], []];',
    ].join('\n');

    // Act
    const result = inlineSchemaKeys(source);

    // Assess
    expect(result.split('\n')).toHaveLength(source.split('\n').length);
    expect(result).toContain('{ "http": ["DELETE", "/v2/email/tags", 200] }');
    expect(result).toContain('{ [_e]: _c,"httpError": 400 }');
  });

  it('leaves alone __proto__, whose literal key would set the prototype, and member accesses before a colon', () => {
    // Prepare
    const source = [
      'const _p = "__proto__";',
      'const _h = "http";',
      'x = { [_p]: 1 }; y = a ? b[_h]: c;',
    ].join('\n');

    // Act
    const result = inlineSchemaKeys(source);

    // Assess
    expect(result).toBe(source);
  });

  it.each(CLIENTS)('leaves no computed key behind in the schema modules of %s', (client) => {
    for (const file of schemaModulesOf(client)) {
      // Prepare
      const source = readFileSync(file, 'utf8');

      // Act
      const result = inlineSchemaKeys(source);

      // Assess
      expect(SDK_SCHEMA_MODULE.test(file), file).toBe(true);
      expect(source, file).toMatch(/\[_\w+\]:/);
      expect(result, file).not.toMatch(/\[_\w+\]:/);
    }
  });
});

describe('sdkSchemaPlugin in the Lambda bundle options', () => {
  it.each(CLIENTS)(
    'builds schema modules of %s whose exports are the same values as without it',
    async (client) => {
      for (const file of schemaModulesOf(client)) {
        // Act
        const [withPlugin, without] = await Promise.all([
          describedSchemas(file, true),
          describedSchemas(file, false),
        ]);

        // Assess
        expect(Object.keys(without).length, file).toBeGreaterThan(20);
        expect(withPlugin, file).toEqual(without);
      }
    },
  );

  it('compares the HTTP traits themselves, thunks included (SES v2 SendEmail, Scheduler CreateSchedule)', async () => {
    // Act
    const [ses, scheduler] = await Promise.all([
      describedSchemas(schemaModulesOf('client-sesv2')[0]!, true),
      describedSchemas(schemaModulesOf('client-scheduler')[0]!, true),
    ]);

    // Assess
    expect(ses.SendEmail$).toEqual([
      9,
      'com.amazonaws.sesv2',
      'SendEmail',
      literalKey('http', ['POST', '/v2/email/outbound-emails', 200]),
      { thunk: { ref: 'SendEmailRequest$' } },
      { thunk: { ref: 'SendEmailResponse$' } },
    ]);
    expect((scheduler.CreateSchedule$ as Described[]).slice(0, 4)).toEqual([
      9,
      'com.amazonaws.scheduler',
      'CreateSchedule',
      literalKey('http', ['POST', '/schedules/{Name}', 200]),
    ]);
  });

  it.each([
    {
      client: 'client-sesv2',
      entry: `import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
        export const send = () => new SESv2Client({}).send(new SendEmailCommand({}));`,
      used: '/v2/email/outbound-emails',
      unused: ['/v2/email/tags', '/v2/email/templates'],
    },
    {
      client: 'client-scheduler',
      entry: `import { SchedulerClient, CreateScheduleCommand } from '@aws-sdk/client-scheduler';
        export const create = () => new SchedulerClient({}).send(new CreateScheduleCommand({}));`,
      used: '/schedules/{Name}',
      unused: ['/tags/{ResourceArn}', '/schedule-groups'],
    },
  ])('drops the schemas of the $client operations a bundle does not use', async ({ entry, used, unused }) => {
    // Act
    const [withPlugin, without] = await Promise.all([
      bundleSource(entry),
      bundleSource(entry, { plugins: false }),
    ]);

    // Assess: without the plugin esbuild keeps them all (if that stops, the plugin can go).
    for (const route of unused) expect(without).toContain(route);
    expect(withPlugin).toContain(used);
    for (const route of unused) expect(withPlugin).not.toContain(route);
    expect(withPlugin.length).toBeLessThan(without.length);
  });
});
