import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type BuildOptions, buildApp } from '../../infra/build-app.ts';

/** cdk.json's context: the defaults a plain `cdk synth` uses. */
export const cdkContext = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

/**
 * The whole app with cdk.json's context plus overrides. Bundling is skipped
 * (`aws:cdk:bundling-stacks: []`): templates are what is asserted, and esbuild would add minutes.
 */
export const synthApp = (overrides: Record<string, unknown> = {}, options: BuildOptions = {}) => {
  const app = new App({ context: { ...cdkContext(), ...overrides, 'aws:cdk:bundling-stacks': [] } });
  const built = buildApp(app, options);
  return {
    ...built,
    statefulTemplate: Template.fromStack(built.stateful),
    statelessTemplate: Template.fromStack(built.stateless),
  };
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
