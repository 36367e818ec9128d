import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type BuildOptions, buildApp } from '../../infra/build-app.ts';

/** cdk.json's context: the defaults a plain `cdk synth` uses. */
export const cdkContext = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

const synthesize = (overrides: Record<string, unknown>, options: BuildOptions) => {
  const app = new App({ context: { ...cdkContext(), ...overrides, 'aws:cdk:bundling-stacks': [] } });
  const built = buildApp(app, options);
  return {
    ...built,
    statefulTemplate: Template.fromStack(built.stateful),
    statelessTemplate: Template.fromStack(built.stateless),
  };
};

/**
 * Apps already synthesized in this worker, by context and options. The infra tier shares one
 * module graph per worker (vitest.config.ts), so a second file asking for the same app (dev and
 * prod are asked for by four files) reads the templates instead of synthesizing again; tests
 * only read an app and its templates, never add to them.
 */
const synthesized = new Map<string, ReturnType<typeof synthesize>>();

/**
 * The whole app with cdk.json's context plus overrides. Bundling is skipped
 * (`aws:cdk:bundling-stacks: []`): templates are what is asserted, and esbuild would add minutes.
 */
export const synthApp = (overrides: Record<string, unknown> = {}, options: BuildOptions = {}) => {
  // Routes are not JSON: an app built from other routes is never shared.
  if (options.routes) return synthesize(overrides, options);
  const key = JSON.stringify([overrides, options]);
  const cached = synthesized.get(key);
  if (cached) return cached;
  const built = synthesize(overrides, options);
  synthesized.set(key, built);
  return built;
};

type Resource = { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown };

export const resourcesOf = (template: Template, type: string): [string, Resource][] =>
  Object.entries(template.findResources(type) as Record<string, Resource>);

/** The one resource of a type whose logical ID starts with the construct ID. */
export const resourceById = (template: Template, type: string, idPrefix: string): [string, Resource] => {
  const found = resourcesOf(template, type).filter(([logicalId]) => logicalId.startsWith(idPrefix));
  if (found.length !== 1) throw new Error(`${found.length} ${type} starting with ${idPrefix}`);
  return found[0]!;
};
