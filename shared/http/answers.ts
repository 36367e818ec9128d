import * as z from 'zod/mini';
import { QuestionResults } from '#domain/analysis';
import { StoredToken } from '#domain/auth';
import { ImprovementTask } from '#domain/improvement';
import { LineSettings } from '#domain/line';
import { LinkView } from '#domain/link-watch';
import {
  AgencyTaskState,
  DateWindow,
  Email,
  IsoDate,
  OitCounts,
  OitStatus,
  Slug,
  SurveyProgress,
  TaskStatus,
  ToolCode,
} from '#domain/model';
import { NotificationSettings } from '#domain/notification-settings';
import { NotificationStatus } from '#domain/notifications';
import { Role } from '#domain/principal';

/**
 * The answers of the routes whose shape the handlers build from views rather than from a domain
 * schema, for the OpenAPI document (`openapi.ts`). `test/integration/openapi-responses.test.ts`
 * checks every real answer against the document, so these cannot drift from what is sent.
 */

const int = () => z.number().check(z.int());

/**
 * What a route that changes the plan or the schedule settings says of the schedules: its
 * PlanChanged commits in the change's own transaction (the outbox), so the sync is always requested.
 */
export const ScheduleSyncAnswer = z.strictObject({ schedules: z.enum(['sync-requested']) });

export const HealthAnswer = z.strictObject({ status: z.literal('ok') });

/** The document itself: an OpenAPI 3.1 object (its own schema is OpenAPI's, not restated here). */
export const OpenApiAnswer = z.looseObject({
  openapi: z.string().check(z.regex(/^3\.1\./)),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

/** One OIT item of an agency as people see it (`evidenceView`). */
export const EvidenceView = z.strictObject({
  itemId: z.string(),
  nameTh: z.string(),
  status: OitStatus,
  urls: z.array(z.string()),
  /** Each URL's health from the link watch, in the order of `urls`. */
  links: z.array(LinkView),
  note: z.string(),
  submittedAt: z.optional(z.string()),
  /** The id of the token that submitted the evidence. */
  submittedBy: z.optional(z.string()),
  reviewedAt: z.optional(z.string()),
  rejectionReason: z.optional(z.string()),
  updatedAt: z.string(),
  /** The If-Match of a review: 1 at the first submission, +1 at every replacement and review (0: nothing submitted). */
  version: z.number().check(z.int(), z.gte(0)),
});

/** `GET …/agencies/{agencyId}/progress` (`agencyProgressView`). */
export const AgencyProgressAnswer = z.strictObject({
  assessmentId: Slug,
  agency: z.strictObject({ id: Slug, nameTh: z.string() }),
  oit: z.extend(OitCounts, { done: int() }),
  surveys: z.strictObject({ iit: SurveyProgress, eit: SurveyProgress }),
  openTasks: int(),
  tasks: z.array(
    z.extend(AgencyTaskState, {
      taskId: Slug,
      title: z.optional(z.string()),
      window: z.optional(DateWindow),
      overallStatus: z.optional(TaskStatus),
    }),
  ),
  items: z.array(EvidenceView),
  /** Evidence URLs of this agency now dead (link watch). */
  deadLinks: int(),
  version: int(),
});

const TargetGap = z.strictObject({
  target: z.number(),
  itemsNeeded: z.nullable(int()),
  items: z.array(z.string()),
  reachableWithOitAlone: z.boolean(),
});
const ForecastEnd = z.strictObject({
  passingItems: int(),
  oit: z.number(),
  total: z.number(),
  grade: z.string(),
  label: z.enum(['ผ่านดีเยี่ยม', 'ผ่าน', 'ไม่ผ่าน']),
  targets: z.array(TargetGap),
});

/** `GET …/forecast` (`Forecast` of `shared/domain/forecast.ts`). */
export const ForecastAnswer = z.strictObject({
  assessmentId: Slug,
  fiscalYear: int(),
  surveys: z.strictObject({
    iit: z.number(),
    eit: z.number(),
    source: z.enum(['current', 'previous', 'none']),
    fromFiscalYear: z.nullable(int()),
  }),
  optimistic: ForecastEnd,
  conservative: ForecastEnd,
  ceiling: z.number(),
  items: z.array(
    z.strictObject({
      itemId: z.string(),
      nameTh: z.string(),
      subIndicator: z.string(),
      assignedTo: z.array(Slug),
      notDone: z.array(Slug),
      status: z.enum(['approved', 'submitted', 'incomplete', 'unassigned']),
      linksDead: z.array(Slug),
      atRisk: z.boolean(),
      gain: z.number(),
    }),
  ),
});

const ToolDeltas = z.strictObject({ iit: z.number(), eit: z.number(), oit: z.number(), total: z.number() });

/** `GET …/results` (`YearResultView` of `shared/domain/analysis.ts`). */
export const ResultsAnswer = z.strictObject({
  assessmentId: Slug,
  years: z.array(
    z.strictObject({
      fiscalYear: int(),
      computed: z.strictObject({
        iit: z.number(),
        eit: z.number(),
        oit: z.number(),
        total: z.number(),
        pass: z.boolean(),
        grade: z.string(),
        label: z.string(),
      }),
      published: z.strictObject({ total: z.nullable(z.number()), label: z.nullable(z.string()) }),
      publishedDiffers: z.boolean(),
      delta: z.nullable(ToolDeltas),
    }),
  ),
});

const FromTo = { from: z.nullable(z.number()), to: z.nullable(z.number()), delta: z.nullable(z.number()) };

/** `GET …/results/compare` (`Comparison`). */
export const ComparisonAnswer = z.strictObject({
  from: int(),
  to: int(),
  tools: z.array(z.strictObject({ tool: ToolCode, ...FromTo })),
  total: z.strictObject(FromTo),
  indicators: z.array(z.strictObject({ number: int(), tool: ToolCode, nameTh: z.string(), ...FromTo })),
});

/** `PUT …/results/{fiscalYear}/questions`: the stored results (201 first import, 200 re-import). */
export const QuestionResultsAnswer = z.strictObject({ results: QuestionResults });

/** `GET …/results/{fiscalYear}/analysis` (`Analysis`). */
export const AnalysisAnswer = z.strictObject({
  fiscalYear: int(),
  threshold: z.number(),
  weak: int(),
  groups: z.array(
    z.strictObject({
      theme: z.strictObject({ number: int(), title: z.string() }),
      questions: z.array(
        z.strictObject({ code: z.string(), tool: ToolCode, score: z.number(), text: z.string() }),
      ),
    }),
  ),
});

/** `POST …/results/{fiscalYear}/analysis/tasks`: drafts made (201) or all there already (200). */
export const DraftTasksAnswer = z.strictObject({
  created: z.array(Slug),
  existing: z.array(Slug),
  tasks: z.array(ImprovementTask),
});

/** A notification as the API shows it (`notificationView`). */
export const NotificationView = z.strictObject({
  id: z.string(),
  status: NotificationStatus,
  subject: Slug,
  kind: z.string(),
  localDate: IsoDate,
  to: z.array(Email),
  cc: z.array(Email),
  attempts: int(),
  claimedAt: z.optional(z.string()),
  sentAt: z.optional(z.string()),
  messageId: z.optional(z.string()),
  failedAt: z.optional(z.string()),
  error: z.optional(z.string()),
  retryable: z.optional(z.boolean()),
});
export const NotificationListAnswer = z.strictObject({ items: z.array(NotificationView) });

/** `GET`/`PUT …/notification-settings`: the stored settings and what the scheduled functions use. */
export const NotificationSettingsAnswer = z.strictObject({
  settings: NotificationSettings,
  version: int(),
  deploymentDefaults: z.strictObject({ secretariatEmails: z.array(Email), approverEmails: z.array(Email) }),
  effective: z.strictObject({
    secretariatEmails: z.array(Email),
    approverEmails: z.array(Email),
    reminderDays: z.array(int()),
    scheduleTime: z.string(),
  }),
  schedules: z.optional(ScheduleSyncAnswer.shape.schedules),
});

/** `GET …/line`: linked groups, this month's pushes, LINE's quota and the projected month. */
export const LineOverviewAnswer = z.strictObject({
  settings: LineSettings,
  groups: z.array(
    z.strictObject({
      owner: z.string(),
      name: z.string(),
      groupId: z.string(),
      linkedAt: z.string(),
      members: z.nullable(int()),
      channels: z.enum(['email', 'line', 'both']),
    }),
  ),
  month: z.string().check(z.regex(/^\d{4}-\d{2}$/)),
  pushes: z.strictObject({ sent: int(), failed: int(), total: int() }),
  quota: z.strictObject({
    limit: z.nullable(int()),
    used: z.nullable(int()),
    projected: z.nullable(int()),
    error: z.optional(z.string()),
  }),
});

/** A token as listed (`tokenView`): never its hash or secret. */
export const TokenView = z.strictObject({
  id: StoredToken.shape.id,
  role: Role,
  assessmentId: StoredToken.shape.assessmentId,
  agencyId: z.optional(Slug),
  label: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  expiresAt: z.string(),
  revokedAt: z.optional(z.string()),
  status: z.enum(['active', 'expired', 'revoked']),
});
/** `GET …/tokens`, and the one revoked by `DELETE …/tokens/{tokenId}`. */
export const TokenListAnswer = z.strictObject({ tokens: z.array(TokenView) });
export const RevokedTokenAnswer = z.strictObject({ token: TokenView });
/** `POST …/tokens`: the secret, shown this once. */
export const IssuedTokenAnswer = z.strictObject({ secret: z.string(), token: TokenView });
