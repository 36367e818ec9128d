import * as z from 'zod/mini';
import { AgencyImportAnswer, AgencyImportQuery, MAX_IMPORT_BYTES } from '#domain/agency-import';
import { AuditEntry } from '#domain/audit';
import { CalendarFeedLink, CreateTokenRequest } from '#domain/auth';
import { OitEvidence, SubmitEvidenceRequest } from '#domain/evidence';
import { ImprovementTask } from '#domain/improvement';
import { LineSettings } from '#domain/line';
import { LinkCheckAccepted, LinkCheckRequest } from '#domain/link-check-plan';
import { LinkListAnswer, LinkListQuery } from '#domain/link-list';
import {
  Agency,
  AgencyTaskState,
  Assessment,
  IsoDate,
  Milestone,
  OitCounts,
  OitItem,
  OitStatus,
  SampleRule,
  Slug,
  SurveyProgress,
  SurveyTool,
} from '#domain/model';
import { NotificationSettings } from '#domain/notification-settings';
import { OitMatrixAnswer, UnassignAnswer, UnassignOitQuery } from '#domain/oit-matrix';
import { PaceFinding, PaceState } from '#domain/pace';
import { PeopleAnswer } from '#domain/people';
import { CreateAgencyRequest, UpdateAgencyRequest } from '#domain/requests/agencies';
import { CreateAssessmentRequest, ReplacePlanRequest, RolloverRequest } from '#domain/requests/assessments';
import { AuditQuery } from '#domain/requests/audit';
import {
  AssignOitItemsRequest,
  OitListQuery,
  ReplaceOitCatalogRequest,
  ReviewEvidenceRequest,
} from '#domain/requests/oit';
import { SurveyReportRequest } from '#domain/requests/surveys';
import { CreateTaskRequest, UpdateTaskRequest } from '#domain/requests/tasks';
import { ChoicesAnswer, CodeRequest, SessionAnswer, SessionRequest, SessionView } from '#domain/signin';
import {
  AgencyProgressAnswer,
  AnalysisAnswer,
  ComparisonAnswer,
  DraftTasksAnswer,
  EvidenceView,
  ForecastAnswer,
  HealthAnswer,
  IssuedTokenAnswer,
  LineOverviewAnswer,
  NotificationListAnswer,
  NotificationSettingsAnswer,
  NotificationView,
  OpenApiAnswer,
  QuestionResultsAnswer,
  ResultsAnswer,
  RevokedTokenAnswer,
  ScheduleSyncAnswer,
  TokenListAnswer,
} from './answers.ts';
import { IDEMPOTENT_FUNCTIONS, type Route, routes } from './routes.ts';
import { CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE } from './upload.ts';

/**
 * The OpenAPI 3.1 document, generated: every route of `routes.ts`, its parameters, and the zod
 * schemas of its body and answer turned into JSON Schema with `z.toJSONSchema` (draft 2020-12,
 * which OpenAPI 3.1 uses). Nothing here restates a shape by hand; a route with no entry in
 * {@link OPERATIONS} still appears, with its parameters and the error answers.
 */

// ---------------------------------------------------------------- answer shapes

export const ErrorBody = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    details: z.array(z.strictObject({ path: z.string(), message: z.string() })),
  }),
});

const AssessmentView = z.extend(
  z.pick(Assessment, {
    id: true,
    unitName: true,
    fiscalYear: true,
    window: true,
    timeZone: true,
    version: true,
  }),
  {
    windowTh: z.string(),
    sampleRule: SampleRule,
    milestones: z.array(z.extend(Milestone, { windowTh: z.string() })),
  },
);

const PlanWarning = z.strictObject({
  path: z.string(),
  milestone: z.number().check(z.int()),
  message: z.string(),
});
const AssessmentAnswer = z.strictObject({
  assessment: AssessmentView,
  warnings: z.array(PlanWarning),
  ...ScheduleSyncAnswer.shape,
});

const AgencyView = z.strictObject({
  assessmentId: Slug,
  agency: Agency,
  required: z.strictObject({ iit: z.number().check(z.int()), eit: z.number().check(z.int()) }),
  oit: z.extend(OitCounts, { done: z.number().check(z.int()) }),
  surveys: z.strictObject({ iit: SurveyProgress, eit: SurveyProgress }),
  openTasks: z.number().check(z.int()),
  version: z.number().check(z.int()),
  updatedAt: z.string(),
});

/** One agency's own state of a task; `version` is its summary's, the If-Match of a PATCH of it. */
const AgencyTaskStateView = z.extend(AgencyTaskState, { agencyId: Slug, version: z.number().check(z.int()) });
/** `responsibleAgencies` is left out for an agency token (it would name the other agencies). */
const TaskWithStates = z.extend(ImprovementTask, {
  responsibleAgencies: z.optional(ImprovementTask.shape.responsibleAgencies),
  version: z.number().check(z.int()),
  agencies: z.array(AgencyTaskStateView),
});

/** A queue item: the agency's evidence view with the agency named. */
const EvidenceItem = z.extend(EvidenceView, { agencyId: Slug, itemId: OitItem.shape.id });

const SurveyCount = z.strictObject({
  required: z.number().check(z.int()),
  responses: z.number().check(z.int()),
  asOf: z.nullable(IsoDate),
});

const ProgressRow = z.strictObject({
  agencyId: Slug,
  nameTh: z.string(),
  state: PaceState,
  oit: z.extend(OitCounts, { done: z.number().check(z.int()) }),
  surveys: z.strictObject({ iit: SurveyCount, eit: SurveyCount }),
  openTasks: z.number().check(z.int()),
  /** Evidence URLs now dead (link watch). */
  deadLinks: z.number().check(z.int()),
  findings: z.array(PaceFinding),
  daysOverdue: z.number().check(z.int()),
});

type Operation = {
  summary: string;
  status?: number;
  body?: z.ZodMiniType;
  query?: z.ZodMiniObject;
  answer?: z.ZodMiniType;
  /** `If-Match` with the ETag of the last GET: required (400 without it) or optional. */
  ifMatch?: 'required' | 'optional';
  /** A file body instead of JSON: its media types and its size cap. */
  upload?: { mediaTypes: string[]; maxBytes: number };
  /** Answers beyond the usual ones (status → description), each with the error body. */
  errors?: Record<string, string>;
  /** Other success statuses with the same answer (a re-import's 200 beside the first import's 201). */
  alsoStatus?: number[];
};

/** What is known of each route beyond its path; keyed by `METHOD /path`. */
const OPERATIONS: Record<string, Operation> = {
  // Answers built from views (shapes in answers.ts; every one checked against real answers in
  // test/integration/openapi-responses.test.ts).
  'GET /health': { summary: 'Liveness: the API answers', answer: HealthAnswer },
  'GET /assessments/{id}/agencies/{agencyId}/progress': {
    summary: "One agency's OIT items with their evidence and links, its counters and its own task states",
    answer: AgencyProgressAnswer,
  },
  'GET /assessments/{id}/forecast': {
    summary: "This year's projected ITA score from OIT readiness and the survey results at hand",
    answer: ForecastAnswer,
  },
  'GET /assessments/{id}/results': {
    summary: "Every year's result with year-over-year deltas",
    answer: ResultsAnswer,
  },
  'GET /assessments/{id}/results/compare': {
    summary: 'One year against another, per tool and per indicator',
    answer: ComparisonAnswer,
  },
  'PUT /assessments/{id}/results/{fiscalYear}/questions': {
    summary: "Import a year's per-question results (201 the first time, 200 a re-import)",
    status: 201,
    alsoStatus: [200],
    answer: QuestionResultsAnswer,
  },
  'GET /assessments/{id}/results/{fiscalYear}/analysis': {
    summary: "The year's weak questions grouped by theme",
    answer: AnalysisAnswer,
  },
  'POST /assessments/{id}/results/{fiscalYear}/analysis/tasks': {
    summary: 'Draft improvement tasks from the weak questions (201 when some were made, 200 when all exist)',
    status: 201,
    alsoStatus: [200],
    answer: DraftTasksAnswer,
  },
  'GET /assessments/{id}/notifications': {
    summary: 'The failed notifications (status=failed)',
    answer: NotificationListAnswer,
  },
  'POST /assessments/{id}/notifications/{notificationId}/resend': {
    summary: 'Send a failed notification again, to the addresses configured now',
    status: 202,
    answer: NotificationView,
  },
  'GET /assessments/{id}/notification-settings': {
    summary: 'The notification settings and what the scheduled functions use with the deployment defaults',
    answer: NotificationSettingsAnswer,
  },
  'PUT /assessments/{id}/notification-settings': {
    summary: 'Replace the notification settings; the schedules are synced',
    body: NotificationSettings,
    answer: NotificationSettingsAnswer,
    ifMatch: 'optional',
  },
  'POST /assessments/{id}/schedules/sync': {
    summary: "Sync the assessment's schedules with its plan now",
    status: 202,
    answer: ScheduleSyncAnswer,
  },
  'GET /assessments/{id}/tokens': {
    summary: "The assessment's tokens (never a secret)",
    answer: TokenListAnswer,
  },
  'DELETE /assessments/{id}/tokens/{tokenId}': { summary: 'Revoke a token', answer: RevokedTokenAnswer },
  'GET /assessments/{id}': { summary: 'The assessment and its plan', answer: AssessmentView },
  'GET /assessments/{id}/agencies': {
    summary: 'Every agency of the assessment',
    answer: z.strictObject({ agencies: z.array(z.strictObject({ id: Slug, nameTh: z.string() })) }),
  },
  'PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}': {
    summary: 'Submit OIT evidence for an assigned item',
    body: SubmitEvidenceRequest,
    answer: z.strictObject({ evidence: OitEvidence }),
  },
  'POST /assessments': {
    summary: 'Create an assessment for a fiscal year',
    status: 201,
    body: CreateAssessmentRequest,
    answer: AssessmentAnswer,
  },
  'PUT /assessments/{id}/plan': {
    summary: 'Replace the plan (milestones)',
    body: ReplacePlanRequest,
    answer: AssessmentAnswer,
    ifMatch: 'required',
  },
  'POST /assessments/{id}/rollover': {
    summary: "Create next year's assessment from this one",
    status: 201,
    body: RolloverRequest,
    answer: z.strictObject({
      assessment: AssessmentView,
      agencies: z.number().check(z.int()),
      rolledOverFrom: Slug,
      ...ScheduleSyncAnswer.shape,
    }),
  },
  'POST /assessments/{id}/agencies': {
    summary: 'Add an agency',
    status: 201,
    body: CreateAgencyRequest,
    answer: AgencyView,
  },
  'GET /assessments/{id}/agencies/{agencyId}': {
    summary: "An agency's profile and minimum samples",
    answer: AgencyView,
  },
  'PUT /assessments/{id}/agencies/{agencyId}': {
    summary: "Replace an agency's contacts and headcounts",
    body: UpdateAgencyRequest,
    answer: AgencyView,
    ifMatch: 'required',
  },
  'PUT /assessments/{id}/oit/catalog': {
    summary: 'Replace the OIT item catalog',
    body: ReplaceOitCatalogRequest,
    answer: z.strictObject({ items: z.array(OitItem), version: z.number().check(z.int()) }),
    ifMatch: 'optional',
  },
  'PUT /assessments/{id}/agencies/{agencyId}/oit-assignments': {
    summary: 'Assign OIT items to an agency',
    body: AssignOitItemsRequest,
    answer: z.strictObject({
      agencyId: Slug,
      added: z.array(z.string()),
      assigned: z.number().check(z.int()),
    }),
  },
  'GET /assessments/{id}/oit-assignments': {
    summary:
      "The OIT assignment matrix: the catalog, every agency's counters and every assigned item's status",
    answer: OitMatrixAnswer,
  },
  'DELETE /assessments/{id}/agencies/{agencyId}/oit-assignments/{itemId}': {
    summary:
      'Unassign an OIT item; one holding evidence needs confirm=true (409 evidence_exists otherwise), the audit entry keeps the evidence',
    query: UnassignOitQuery,
    answer: UnassignAnswer,
    errors: { '409': 'evidence_exists: the item holds evidence and confirm=true was not sent' },
  },
  'POST /assessments/{id}/agencies/{agencyId}/oit/{itemId}/review': {
    summary: 'Approve or reject submitted evidence',
    body: ReviewEvidenceRequest,
    answer: z.strictObject({
      evidence: z.strictObject({
        itemId: z.string(),
        agencyId: Slug,
        status: z.enum(['approved', 'rejected']),
        /** Exactly the URLs approved or rejected: those of the version named in If-Match. */
        urls: z.array(z.string()),
        /** The evidence's version after the review (its ETag). */
        version: z.number().check(z.int()),
        reviewedAt: z.string(),
        reviewedBy: z.string(),
        rejectionReason: z.optional(z.string()),
      }),
    }),
    ifMatch: 'required',
  },
  'GET /assessments/{id}/links': {
    summary: 'The watched evidence links by agency, optionally in one state (state=dead: the dead links)',
    query: LinkListQuery,
    answer: LinkListAnswer,
  },
  'POST /assessments/{id}/links/check': {
    summary:
      'Check the watched evidence links now (all, or one agency with agencyId; {} or no body for all): queued, answered before the checks run',
    status: 202,
    body: LinkCheckRequest,
    answer: LinkCheckAccepted,
  },
  'GET /assessments/{id}/oit': {
    summary: "Every agency's OIT items in one status",
    query: OitListQuery,
    answer: z.strictObject({ status: OitStatus, items: z.array(EvidenceItem) }),
  },
  'PUT /assessments/{id}/agencies/{agencyId}/surveys/{tool}': {
    summary: 'Report an IIT or EIT response count',
    body: SurveyReportRequest,
    answer: z.strictObject({ survey: SurveyProgress }),
  },
  'GET /assessments/{id}/tasks': {
    summary: 'Improvement tasks, each with its responsible agencies’ own states',
    answer: z.strictObject({ tasks: z.array(TaskWithStates) }),
  },
  'POST /assessments/{id}/tasks': {
    summary: 'Add an improvement task',
    status: 201,
    body: CreateTaskRequest,
    answer: z.strictObject({ task: ImprovementTask }),
  },
  'PATCH /assessments/{id}/tasks/{taskId}': {
    summary:
      "Move an agency's own state of a task (agency, or admin with agencyId) or its overall state (admin)",
    body: UpdateTaskRequest,
    answer: z.strictObject({
      task: TaskWithStates,
      agency: z.optional(z.extend(AgencyTaskStateView, { openTasks: z.number().check(z.int()) })),
    }),
    ifMatch: 'required',
  },
  'GET /assessments/{id}/progress': {
    summary: "Every agency's progress and pace",
    answer: z.strictObject({
      assessmentId: Slug,
      unitName: z.string(),
      date: IsoDate,
      agencies: z.array(ProgressRow),
    }),
  },
  'GET /assessments/{id}/progress.csv': { summary: 'Progress as CSV for Excel (UTF-8 with BOM)' },
  // LINE (issue 13)
  'POST /assessments/{id}/agencies/{agencyId}/line-link': {
    summary:
      "A one-time code (8 characters, 24 h) to link a LINE group to the agency (`province`: the secretariat's)",
    status: 201,
    answer: z.strictObject({ code: z.string(), expiresAt: z.iso.datetime({ offset: true }) }),
  },
  'GET /assessments/{id}/line': {
    summary: "Linked LINE groups, this month's pushes, LINE's quota and the projected month",
    answer: LineOverviewAnswer,
  },
  'PUT /assessments/{id}/line/settings': {
    summary: "Channels per owner (email, line, both) and the agencies' daily or weekly LINE digest",
    body: LineSettings,
    answer: LineSettings,
  },
  'POST /line/webhook': {
    summary: "LINE's webhook: public, signed (x-line-signature, HMAC-SHA256 of the raw body); 401 otherwise",
  },
  'GET /assessments/{id}/progress.xlsx': {
    summary:
      'Progress as an Excel workbook: agencies (the progress rows), OIT items per agency, tasks per agency; BE dates',
  },
  'POST /assessments/{id}/agencies/import': {
    summary: 'Import agencies from an .xlsx or UTF-8 CSV sheet: a dry run unless apply=true',
    query: AgencyImportQuery,
    answer: AgencyImportAnswer,
    upload: { mediaTypes: [XLSX_MEDIA_TYPE, CSV_MEDIA_TYPE], maxBytes: MAX_IMPORT_BYTES },
  },
  'GET /assessments/{id}/agencies/template.xlsx': {
    summary:
      "The import's template: Thai headers over the assessment's agencies, and a sheet explaining them",
  },
  'GET /assessments/{id}/audit': {
    summary: 'The audit trail, oldest first, paginated',
    query: AuditQuery,
    answer: z.strictObject({ entries: z.array(AuditEntry), nextToken: z.optional(z.string()) }),
  },
  'GET /openapi.json': { summary: 'This document', answer: OpenApiAnswer },
  'POST /assessments/{id}/tokens': {
    summary: 'Create a bearer token',
    status: 201,
    body: CreateTokenRequest,
    answer: IssuedTokenAnswer,
  },
  'POST /assessments/{id}/agencies/{agencyId}/calendar-feed': {
    summary:
      "The agency's own calendar subscription link (a feed token in the URL, shown once, no expiry); revokes the agency's earlier link",
    status: 201,
    answer: CalendarFeedLink,
  },
  'POST /auth/code': {
    summary: 'Ask for a sign-in code by email: the same 202 whether or not the address is known',
    status: 202,
    body: CodeRequest,
    answer: z.strictObject({ message: z.string() }),
    errors: { '429': 'too many requests from this source address; see Retry-After' },
  },
  'POST /auth/session': {
    summary:
      'Sign in with the emailed code: 201 with a token, or 200 with `choices` when the address holds several roles (post again with `role` and `agencyId`)',
    status: 201,
    body: SessionRequest,
    answer: z.union([SessionAnswer, ChoicesAnswer]),
    errors: {
      '401': 'invalid_code: wrong, expired, used or killed code, or an unknown address (one body for all)',
      '429': 'too many attempts from this source address; see Retry-After',
    },
  },
  'GET /auth/session': { summary: 'Who the presenting token is', answer: SessionView },
  'DELETE /auth/session': { summary: 'Sign out: revokes the presenting token', status: 204 },
  'GET /assessments/{id}/people': {
    summary:
      'Who can sign in and as what (from the agencies and the settings), each address with its last sign-in and live sign-in sessions (admin)',
    answer: PeopleAnswer,
  },
};

/** Path parameters by name; an unknown one is a plain string. */
const PARAMETERS: Record<string, z.ZodMiniType> = {
  id: Slug,
  agencyId: Slug,
  itemId: OitItem.shape.id,
  tool: SurveyTool,
  taskId: Slug,
  fiscalYear: z.string().check(z.regex(/^\d{4}$/)),
};

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
};

const operationId = (route: Route) =>
  route.method.toLowerCase() +
  route.path
    .split(/[/.{}-]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');

const mediaType = (path: string) =>
  path.endsWith('.xlsx')
    ? XLSX_MEDIA_TYPE
    : path.endsWith('.csv')
      ? 'text/csv'
      : path.endsWith('.ics')
        ? 'text/calendar'
        : 'application/json';

/** A binary body (a workbook): OpenAPI names its media type and leaves the bytes unparsed. */
const BINARY = { type: 'string', format: 'binary' };

const errorRef = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
});

const operation = (route: Route) => {
  const key = `${route.method} ${route.path}`;
  const known = OPERATIONS[key];
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const write = route.method !== 'GET' && route.method !== 'DELETE';
  const parameters: JsonSchema[] = names.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: toSchema(PARAMETERS[name] ?? z.string(), 'output'),
  }));
  if (known?.query) {
    for (const [name, schema] of Object.entries(known.query.shape)) {
      parameters.push({
        name,
        in: 'query',
        required: !(schema as z.ZodMiniType).safeParse(undefined).success,
        schema: toSchema(schema as z.ZodMiniType, 'output'),
      });
    }
  }
  if (route.auth === 'feed')
    parameters.push({
      name: 'token',
      in: 'query',
      required: true,
      description: 'the calendar feed token (calendar apps cannot send an Authorization header)',
      schema: { type: 'string' },
    });
  if (route.method !== 'GET' && IDEMPOTENT_FUNCTIONS.has(route.fn))
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'retry safely: the same key and body within 24 h returns the first answer without a second effect',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  if (known?.ifMatch)
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: known.ifMatch === 'required',
      description: 'the ETag of the last GET; a stale one is a 409',
      schema: { type: 'string', examples: ['"3"'] },
    });
  const status = String(known?.status ?? 200);
  const type = mediaType(route.path);
  const success = {
    description: known?.summary ?? 'success',
    content: {
      [type]: {
        schema: known?.answer
          ? toSchema(known.answer, 'output')
          : type === 'application/json'
            ? {}
            : type === XLSX_MEDIA_TYPE
              ? BINARY
              : { type: 'string' },
      },
    },
  };
  const responses: Record<string, unknown> = { [status]: success };
  for (const other of known?.alsoStatus ?? []) responses[String(other)] = success;
  responses['400'] = errorRef('a field, parameter or header is invalid; `details` names each');
  if (route.auth !== 'public') {
    responses['401'] = errorRef('no valid token');
    responses['403'] = errorRef('the token may not do this');
  }
  responses['404'] = errorRef('unknown assessment, agency, item or task');
  if (write) {
    responses['409'] = errorRef('version conflict (stale If-Match) or duplicate');
    responses['413'] = errorRef(`the body is over ${known?.upload ? '2 MB' : '64 KB'}`);
    responses['415'] = errorRef(
      known?.upload ? `the body is not ${known.upload.mediaTypes.join(' or ')}` : 'the body is not JSON',
    );
    responses['422'] = errorRef(
      IDEMPOTENT_FUNCTIONS.has(route.fn)
        ? 'the rules refuse it, or the Idempotency-Key was used with another body'
        : 'the rules refuse it',
    );
  }
  for (const [code, description] of Object.entries(known?.errors ?? {}))
    responses[code] = errorRef(description);
  responses['500'] = errorRef('our fault; the body carries no internals');
  responses['503'] = errorRef(
    'the request ran out of time before the function did (Retry-After): send it again shortly',
  );
  return {
    operationId: operationId(route),
    summary: known?.summary ?? `${route.method} ${route.path}`,
    tags: [route.fn],
    ...(route.auth === 'public' ? { security: [] } : {}),
    ...(route.auth === 'feed' ? { security: [{ feedToken: [] }] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(known?.upload
      ? {
          requestBody: {
            required: true,
            description: `at most ${known.upload.maxBytes} bytes; API Gateway passes a binary body base64-encoded`,
            content: Object.fromEntries(
              known.upload.mediaTypes.map((t) => [
                t,
                { schema: t === XLSX_MEDIA_TYPE ? BINARY : { type: 'string' } },
              ]),
            ),
          },
        }
      : known?.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toSchema(known.body, 'input') } },
            },
          }
        : write
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: { type: 'object' } } },
              },
            }
          : {}),
    responses,
  };
};

/** Builds the document from the route table (all of it, by default). */
export const openApiDocument = (table: Route[] = routes) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of table) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ITA campaign API',
      version: '0.1.0',
      description:
        'ระบบติดตามการขับเคลื่อนการประเมิน ITA: assessments, plans, agencies, OIT evidence, surveys, improvement tasks, progress and audit.',
      license: { name: 'UNLICENSED', identifier: 'UNLICENSED' },
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'npm start' }],
    security: [{ bearer: [] }],
    tags: [...new Set(table.map((r) => r.fn))].map((name) => ({
      name,
      description: `routes served by the \`functions/${name}.ts\` Lambda function`,
    })),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'a token from `npm run token` or POST /assessments/{id}/tokens',
        },
        feedToken: { type: 'apiKey', in: 'query', name: 'token', description: 'a calendar feed token' },
      },
      schemas: { ErrorBody: toSchema(ErrorBody, 'output') },
    },
  };
};
