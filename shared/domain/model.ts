import * as z from 'zod/mini';
import {
  DateWindow,
  Email,
  FiscalYearBE,
  FreeText,
  IsoDate,
  IsoDateTime,
  Slug,
  SurveyTool,
  ThaiName,
  ToolCode,
} from './primitives.ts';
import './zod-locale.ts';

/**
 * The ITA domain's shapes. Every request, stored item and event is derived from these
 * schemas; types come from `z.infer`, never written by hand.
 */

/** The primitives, for the modules and callers that import them from here. */
export * from './primitives.ts';

// ---------------------------------------------------------------- framework

export const OitItem = z.strictObject({
  id: z.string().check(z.regex(/^o\d{1,3}$/, 'OIT item ids look like o1 … o99')),
  subIndicator: z.string().check(z.regex(/^\d{1,2}\.\d{1,2}$/)),
  nameTh: ThaiName,
  nameEn: z.optional(FreeText(300)),
});
export type OitItem = z.infer<typeof OitItem>;

export const GradeBand = z.strictObject({ grade: ThaiName, min: z.number().check(z.gte(0), z.lte(100)) });

export const SampleRule = z.strictObject({
  /** Share of the stakeholder population that must answer, in percent. */
  percent: z.number().check(z.positive(), z.lte(100)),
  /** Floor on the minimum; a population below it must answer in full. */
  minimum: z.number().check(z.int(), z.positive()),
  /** EIT only: above this population the minimum is capped. */
  eitCapAbove: z.number().check(z.int(), z.positive()),
  eitCap: z.number().check(z.int(), z.positive()),
});
export type SampleRule = z.infer<typeof SampleRule>;

export const Framework = z.strictObject({
  fiscalYear: FiscalYearBE,
  source: FreeText(),
  tools: z
    .array(z.strictObject({ code: ToolCode, nameTh: ThaiName, weight: z.number().check(z.positive()) }))
    .check(z.length(3)),
  indicators: z.array(
    z.strictObject({
      number: z.number().check(z.int(), z.gte(1)),
      tool: ToolCode,
      nameTh: ThaiName,
      nameEn: ThaiName,
      /** Points of the tool's weight this indicator carries, where known (OIT 9 and 10: 20 each). */
      points: z.optional(z.number().check(z.positive())),
    }),
  ),
  oitSubIndicators: z.array(
    z.strictObject({
      code: z.string().check(z.regex(/^\d{1,2}\.\d{1,2}$/)),
      indicator: z.number().check(z.int()),
      nameTh: ThaiName,
    }),
  ),
  oitItems: z.array(OitItem).check(z.minLength(1)),
  passMark: z.number().check(z.gte(0), z.lte(100)),
  excellentMark: z.number().check(z.gte(0), z.lte(100)),
  gradeBands: z.array(GradeBand).check(z.minLength(1)),
  sampleRule: SampleRule,
});
export type Framework = z.infer<typeof Framework>;

// ---------------------------------------------------------------- plan

/** Who a milestone is for; decides who hears about it. */
export const ResponsibleRole = z.enum([
  'all_agencies',
  'provincial_office',
  'committee',
  'secretariat',
  'governor',
  'nacc',
]);
export type ResponsibleRole = z.infer<typeof ResponsibleRole>;

/** What progress a milestone's window measures, if any. */
export const MilestoneTracks = z.enum([
  'survey_collection',
  'oit_publishing',
  'oit_approval',
  'monitoring',
  'informational',
]);
export type MilestoneTracks = z.infer<typeof MilestoneTracks>;

export const Milestone = z.strictObject({
  number: z.number().check(z.int(), z.gte(1), z.lte(99)),
  title: ThaiName,
  /** The period exactly as the plan wrote it, e.g. `มกราคม 2567 ถึง 1 กรกฎาคม 2567`. */
  periodText: ThaiName,
  window: DateWindow,
  responsible: z.strictObject({ text: ThaiName, role: ResponsibleRole }),
  tracks: MilestoneTracks,
});
export type Milestone = z.infer<typeof Milestone>;

// ---------------------------------------------------------------- improvement task statuses

/**
 * `draft`: proposed (e.g. by the results analysis) but not yet given to anyone; no agency has a
 * state for it, and the pace rules, open counts and emails ignore it until the admin publishes it.
 */
export const TaskStatus = z.enum(['draft', 'planned', 'in_progress', 'done', 'cancelled']);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** An agency's own state of a task it is responsible for; a draft has no such state. */
export const AgencyTaskStatus = z.enum(['planned', 'in_progress', 'done', 'cancelled']);
export type AgencyTaskStatus = z.infer<typeof AgencyTaskStatus>;

export const AgencyTaskState = z.strictObject({
  status: AgencyTaskStatus,
  progress: z.number().check(z.int(), z.gte(0), z.lte(100)),
  updatedAt: IsoDateTime,
});
export type AgencyTaskState = z.infer<typeof AgencyTaskState>;

// ---------------------------------------------------------------- assessment

export const Assessment = z.strictObject({
  id: Slug,
  unitName: ThaiName,
  fiscalYear: FiscalYearBE,
  /** The fiscal year: 1 October of the previous CE year to 30 September. */
  window: DateWindow,
  timeZone: z.literal('Asia/Bangkok'),
  framework: Framework,
  version: z.number().check(z.int(), z.gte(1)),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Assessment = z.infer<typeof Assessment>;

// ---------------------------------------------------------------- agencies and progress

export const Contact = z.strictObject({ name: z.optional(ThaiName), email: Email });

export const Agency = z.strictObject({
  id: Slug,
  nameTh: ThaiName,
  coordinator: Contact,
  head: Contact,
  /** Staff with at least one year of service: the IIT population. */
  internalStaff: z.number().check(z.int(), z.gte(0), z.lte(1_000_000)),
  /** Estimated service users and contacts: the EIT population. */
  externalStakeholders: z.number().check(z.int(), z.gte(0), z.lte(100_000_000)),
});
export type Agency = z.infer<typeof Agency>;

export const OitStatus = z.enum(['missing', 'submitted', 'approved', 'rejected']);
export type OitStatus = z.infer<typeof OitStatus>;

export const SurveyReport = z.strictObject({ asOf: IsoDate, responses: z.number().check(z.int(), z.gte(0)) });
export type SurveyReport = z.infer<typeof SurveyReport>;

export const SurveyProgress = z.strictObject({
  tool: SurveyTool,
  /** Minimum sample from the framework's rule and the agency's population. */
  required: z.number().check(z.int(), z.gte(0)),
  responses: z.number().check(z.int(), z.gte(0)),
  asOf: z.optional(IsoDate),
  /** The most recent reports, oldest first, kept short so the pace check reads one item per agency. */
  history: z.array(SurveyReport),
});
export type SurveyProgress = z.infer<typeof SurveyProgress>;

export const OitCounts = z.strictObject({
  assigned: z.number().check(z.int(), z.gte(0)),
  submitted: z.number().check(z.int(), z.gte(0)),
  approved: z.number().check(z.int(), z.gte(0)),
  rejected: z.number().check(z.int(), z.gte(0)),
});
export type OitCounts = z.infer<typeof OitCounts>;

/** One agency's profile and progress counters, kept exact in the same transaction as each change. */
export const AgencySummary = z.strictObject({
  assessmentId: Slug,
  agency: Agency,
  oit: OitCounts,
  surveys: z.strictObject({ iit: SurveyProgress, eit: SurveyProgress }),
  /**
   * The agency's own state of each published task it is responsible for, by task id: kept here so
   * the pace check still reads one item per agency and `openTasks` moves in the same write.
   * Defaults keep summaries written before per-agency task state readable.
   */
  tasks: z._default(z.record(Slug, AgencyTaskState), {}),
  /** Entries of `tasks` neither done nor cancelled, moved in the same write as the entry. */
  openTasks: z._default(z.number().check(z.int(), z.gte(0)), 0),
  /**
   * Evidence URLs of the agency now `dead` (link watch), moved in the same transaction as the link's
   * state; absent until a link first dies (read as 0).
   */
  deadLinks: z.optional(z.number().check(z.int(), z.gte(0))),
  version: z.number().check(z.int(), z.gte(1)),
  updatedAt: IsoDateTime,
});
export type AgencySummary = z.infer<typeof AgencySummary>;
