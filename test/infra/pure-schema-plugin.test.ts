import { describe, expect, it } from 'vitest';
import { annotateZodCalls } from '../../infra/pure-schema-plugin.ts';
import { bundleSource } from './bundle.ts';

describe('annotateZodCalls', () => {
  it('marks zod calls pure, sub-namespace calls included, and leaves z.config and other calls alone', () => {
    // Prepare
    const source = [
      'z.config(en());',
      'const Slug = z.string().check(z.minLength(1));',
      'const At = z.iso.datetime({ offset: true });',
      'const Limit = z.coerce.number();',
      'const settings = Settings.parse({});',
    ].join('\n');

    // Act
    const result = annotateZodCalls(source);

    // Assess
    expect(result.split('\n')).toEqual([
      'z.config(en());',
      'const Slug = /* @__PURE__ */ z.string().check(/* @__PURE__ */ z.minLength(1));',
      'const At = /* @__PURE__ */ z.iso.datetime({ offset: true });',
      'const Limit = /* @__PURE__ */ z.coerce.number();',
      'const settings = Settings.parse({});',
    ]);
  });
});

describe('pureSchemaPlugin in the Lambda bundle options', () => {
  it('drops the schemas of a module that a function uses only part of, z.iso ones included', async () => {
    // Prepare: one function of shared/domain/notifications.ts, none of its record schemas
    const entry = `
      import { effectiveScheduleSettings } from '#domain/notifications';
      export const settings = effectiveScheduleSettings;
    `;

    // Act
    const [withPlugin, without] = await Promise.all([
      bundleSource(entry),
      bundleSource(entry, { plugins: false }),
    ]);

    // Assess: NotificationRecord (its statuses, its z.iso.datetime stamps) ships only without the plugin
    expect(without).toContain('"resend"');
    expect(withPlugin).not.toContain('"resend"');
  });
});
