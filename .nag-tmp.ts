import { existsSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { routes } from '#http/routes';
import { buildApp } from './infra/build-app.ts';
import { nagPacks } from './infra/nag.ts';
const r = routes.filter((x) => existsSync(`functions/${x.fn}.ts`));
(globalThis as any).__routes = r;
import { readFileSync } from 'node:fs';
const cdk = JSON.parse(readFileSync('cdk.json','utf8'));
const app = new App({ context: { ...cdk.context, 'aws:cdk:bundling-stacks': [] } });
const { stateless } = buildApp(app, { nag: false, routes: r } as any);
for (const pack of nagPacks()) {
  const report = pack.validateScope(app);
  for (const v of report.violations) console.log(v.severity, v.ruleName, v.violatingResources.map((x) => x.constructPath).join(' | ').slice(0, 300));
}
