import { buildApp } from './build-app.ts';

/** `cdk.json` runs this file (`npx tsx infra/app.ts`); tests build the same app through buildApp. */
buildApp().app.synth();
