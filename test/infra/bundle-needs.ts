import path from 'node:path';
import { build } from 'esbuild';
import { esbuildOptions, REPO_ROOT } from '../../infra/bundling.ts';
import type { FunctionNeeds } from '../../infra/permissions.ts';

/**
 * What a function's bundle can do in AWS, read from the bundle itself: esbuild's metafile lists
 * every input with the bytes it kept after tree-shaking, so an SDK client class in the output
 * means the function builds that client, and a write command of the DynamoDB client means it
 * writes. `variables` are the environment variables whose names the bundle's config schemas
 * carry (names survive minification as the schemas' keys).
 */
export type BundleUse = {
  fn: string;
  /** `read` when it builds the table's client, `readWrite` with a DynamoDB write command as well. */
  table?: 'read' | 'readWrite';
  clients: Set<string>;
  variables: Set<string>;
};

/** The SDK client classes, each the file that defines it in the package's ESM build. */
export const CLIENT_FILES = {
  dynamodb: 'node_modules/@aws-sdk/client-dynamodb/dist-es/DynamoDBClient.js',
  eventbridge: 'node_modules/@aws-sdk/client-eventbridge/dist-es/EventBridgeClient.js',
  scheduler: 'node_modules/@aws-sdk/client-scheduler/dist-es/SchedulerClient.js',
  sesv2: 'node_modules/@aws-sdk/client-sesv2/dist-es/SESv2Client.js',
  'secrets-manager': 'node_modules/@aws-sdk/client-secrets-manager/dist-es/SecretsManagerClient.js',
  sqs: 'node_modules/@aws-sdk/client-sqs/dist-es/SQSClient.js',
} as const;
export type Client = keyof typeof CLIENT_FILES;

/** Where the table's DynamoDB client is built (`createDocumentClient`). */
const TABLE_CLIENT_FILE = 'shared/adapters/dynamo/client.ts';

/** The DynamoDB commands that write (TransactWriteItems is authorized per item action). */
const WRITE_COMMANDS = [
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
].map((command) => `node_modules/@aws-sdk/client-dynamodb/dist-es/commands/${command}.js`);

/**
 * Builds every function in one esbuild run (shared parsing; about as fast as a few single ones),
 * exactly as the construct bundles it but in memory, and reports what each bundle uses.
 */
export const bundleUses = async (fns: readonly string[], variableNames: readonly string[]) => {
  const { entryPoints: _entry, outfile: _outfile, ...lambda } = esbuildOptions('', '');
  const result = await build({
    ...lambda,
    entryPoints: Object.fromEntries(fns.map((fn) => [fn, path.join(REPO_ROOT, 'functions', `${fn}.ts`)])),
    outdir: path.join(REPO_ROOT, 'cdk.out', '.permissions'),
    write: false,
    metafile: true,
    sourcemap: false,
  });
  const texts = new Map(result.outputFiles.map((file) => [path.resolve(file.path), file.text]));
  const uses = new Map<string, BundleUse>();
  for (const [outPath, output] of Object.entries(result.metafile.outputs)) {
    if (!output.entryPoint) continue;
    const fn = path.basename(output.entryPoint, '.ts');
    const keptInputs = Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([input]) => input);
    // By suffix: a linked node_modules shows as a path outside the repository.
    const kept = { has: (file: string) => keptInputs.some((input) => input.endsWith(file)) };
    const clients = new Set(
      (Object.entries(CLIENT_FILES) as [Client, string][])
        .filter(([, file]) => kept.has(file))
        .map(([client]) => client),
    );
    const text = texts.get(path.resolve(REPO_ROOT, outPath)) ?? '';
    // A schema's key is an identifier in the minified output (`{TABLE_NAME:…}`), not a string.
    const variables = new Set(variableNames.filter((name) => new RegExp(`\\b${name}\\b`).test(text)));
    const writes = WRITE_COMMANDS.some((file) => kept.has(file));
    // The table is reached only through the one place a DynamoDB client is made for it.
    const table = clients.has('dynamodb') && kept.has(TABLE_CLIENT_FILE);
    uses.set(fn, {
      fn,
      ...(table ? { table: writes ? 'readWrite' : 'read' } : {}),
      clients,
      variables,
    });
  }
  return uses;
};

/** The variables that tell what a bundle reads (the config schemas' keys). */
export const NEED_VARIABLES = [
  'TABLE_NAME',
  'EVENT_BUS_NAME',
  'SCHEDULE_GROUP_NAME',
  'MAIL_FROM',
  'LINE_SECRET_ARN',
  'LINK_CHECK_QUEUE_URL',
] as const;

/**
 * What a bundle needs, as a declaration would say it. A secret or a queue counts where the bundle
 * also reads the variable that locates it; the table where the bundle builds its client (the
 * outbox relay carries DynamoDB client code through shared modules but never builds one).
 */
export const neededBy = (use: BundleUse): FunctionNeeds => {
  const reads = (name: string) => use.variables.has(name);
  const mail = use.clients.has('sesv2');
  return {
    ...(use.table ? { table: use.table } : {}),
    ...(use.clients.has('eventbridge') ? { bus: true as const } : {}),
    ...(use.clients.has('scheduler') ? { schedules: true as const } : {}),
    ...(mail ? { mail: true as const } : {}),
    ...(use.clients.has('secrets-manager') && reads('LINE_SECRET_ARN') ? { secrets: ['line' as const] } : {}),
    ...(use.clients.has('sqs') && reads('LINK_CHECK_QUEUE_URL') ? { queueSend: ['linkCheck' as const] } : {}),
  };
};

const TABLE_RANK = { read: 1, readWrite: 2 } as const;

/**
 * Each IAM grant of a declaration as a word (`table:readWrite`, `mail`, `secrets:line`, …).
 * `settings` grant nothing and are left out: a bundle carries every schema of a runtime module it
 * imports from, so their names cannot tell which ones it reads (the stack test checks each
 * function's variables against its declared schemas instead).
 */
const grantsOf = (needs: FunctionNeeds): string[] => [
  ...(needs.table ? [`table:${needs.table}`] : []),
  ...(needs.bus ? ['bus'] : []),
  ...(needs.schedules ? ['schedules'] : []),
  ...(needs.mail ? ['mail'] : []),
  ...(needs.secrets ?? []).map((secret) => `secrets:${secret}`),
  ...(needs.queueSend ?? []).map((queue) => `queueSend:${queue}`),
];

/** What the bundle needs that the declaration does not grant (a read grant falls short of a write). */
export const missingGrants = (declared: FunctionNeeds, needed: FunctionNeeds): string[] =>
  grantsOf(needed).filter((grant) => {
    if (grant.startsWith('table:'))
      return !declared.table || TABLE_RANK[declared.table] < TABLE_RANK[needed.table!];
    return !grantsOf(declared).includes(grant);
  });

/** What the declaration grants that the bundle never uses (write where it only reads, too). */
export const unusedGrants = (declared: FunctionNeeds, needed: FunctionNeeds): string[] =>
  grantsOf(declared).filter((grant) => {
    if (grant.startsWith('table:'))
      return !needed.table || TABLE_RANK[needed.table] < TABLE_RANK[declared.table!];
    return !grantsOf(needed).includes(grant);
  });
