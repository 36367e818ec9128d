/**
 * What each Lambda function may do in AWS, declared as data: the one place a reader looks to see
 * a function's IAM and the settings it is given. The function construct grants exactly this
 * (`NodeFunction.grantNeeds` via the stack) and sets the variables that go with each grant; nothing
 * is inferred from imports or HTTP methods. `test/infra/permissions.test.ts` bundles every function
 * and fails when a bundle uses an AWS client its declaration does not grant (the SES client with
 * no `mail`, a DynamoDB write command under `table: 'read'`), and when a declaration grants
 * something its bundle never uses (least privilege). `settings` carry no permission and are
 * checked by the stack test against the config schemas instead.
 */
export type FunctionNeeds = {
  /**
   * The table and its GSI1 (never Scan): `read` is GetItem, BatchGetItem, Query and
   * ConditionCheckItem; `readWrite` adds PutItem, UpdateItem, DeleteItem and BatchWriteItem
   * (TransactWriteItems is authorized per item action). With TABLE_NAME.
   */
  table?: 'read' | 'readWrite';
  /** events:PutEvents on the campaign bus, with EVENT_BUS_NAME. */
  bus?: true;
  /** Scheduler: schedules in the campaign's group, and PassRole of the scheduler's role. */
  schedules?: true;
  /** ses:SendEmail from the campaign's address through its configuration set. */
  mail?: true;
  /** secretsmanager:GetSecretValue on these secrets (their ARN in the environment, never the value). */
  secrets?: readonly Secret[];
  /** sqs:SendMessage to these queues (their URL in the environment). */
  queueSend?: readonly Queue[];
  /** Variables with no permission behind them. */
  settings?: readonly Setting[];
};

/** `line`: the LINE channel's secret and access token (LINE_SECRET_ARN). */
export type Secret = 'line';
/** `linkCheck`: the link watch's check queue (LINK_CHECK_QUEUE_URL). */
export type Queue = 'linkCheck';
/**
 * `recipients`: the deployment's default secretariat and approver addresses (SECRETARIAT_EMAIL,
 * APPROVER_EMAIL); `links`: the public base URL of the links a function hands out (PUBLIC_BASE_URL).
 */
export type Setting = 'recipients' | 'links';

const read = { table: 'read' } as const satisfies FunctionNeeds;
const readWrite = { table: 'readWrite' } as const satisfies FunctionNeeds;

/** Every function of `functions/`, by file name. A function missing here fails the synth. */
export const PERMISSIONS: Readonly<Record<string, FunctionNeeds>> = {
  // HTTP, reading only
  'get-assessment': read,
  'list-agencies': read,
  'get-agency-progress': read,
  workbooks: read,
  progress: read,
  audit: read,
  forecast: read,
  'link-list': read,
  exports: read,
  calendar: read,
  // HTTP, nothing in AWS at all
  openapi: {},
  health: {},
  // HTTP, writing
  'put-oit-evidence': readWrite,
  'create-assessment': readWrite,
  'put-plan': readWrite,
  'rollover-assessment': readWrite,
  agencies: readWrite,
  'agency-import': readWrite,
  oit: readWrite,
  surveys: readWrite,
  tasks: readWrite,
  results: readWrite,
  schedules: readWrite,
  auth: { table: 'readWrite', settings: ['recipients'] },
  tokens: { table: 'readWrite', settings: ['links'] },
  notifications: { table: 'readWrite', settings: ['recipients'] },
  'notification-settings': { table: 'readWrite', settings: ['recipients'] },
  line: { table: 'readWrite', secrets: ['line'] },
  'line-webhook': { table: 'readWrite', secrets: ['line'] },
  // API Gateway's authorizer: one GetItem per request
  authorizer: read,
  // Events, schedules and the stream
  'sync-schedules': { table: 'readWrite', schedules: true },
  milestone: { table: 'readWrite', settings: ['recipients'] },
  notifier: { table: 'readWrite', mail: true, secrets: ['line'], settings: ['recipients'] },
  'auth-code-mailer': { table: 'readWrite', mail: true, settings: ['recipients'] },
  // Reads nothing from the table: the records come in the stream event (its event source grants
  // the stream reads); the only function that calls EventBridge.
  'outbox-relay': { bus: true },
  // The link watch (issue 14): the plan steps send to the check queue; its consumer sends on what
  // its time budget left (its receive and delete come with its event source mapping).
  'link-check-request': { table: 'readWrite', queueSend: ['linkCheck'] },
  'link-check-plan': { table: 'readWrite', queueSend: ['linkCheck'] },
  'link-check': { table: 'readWrite', queueSend: ['linkCheck'] },
};

/** The declaration of `fn`, or an error naming the file to edit. */
export const permissionsOf = (fn: string): FunctionNeeds => {
  const needs = PERMISSIONS[fn];
  if (!needs)
    throw new Error(
      `functions/${fn}.ts has no permissions: declare what it needs in infra/permissions.ts (PERMISSIONS)`,
    );
  return needs;
};
