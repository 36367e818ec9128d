import * as z from 'zod/mini';
import './zod-locale.ts';

/**
 * The ITA domain's shapes. Every request, stored item and event is derived from these
 * schemas; types come from `z.infer`, never written by hand.
 */

/** A calendar date in the assessment's time zone, `YYYY-MM-DD` (CE). */
export const IsoDate = z.iso.date();
export type IsoDate = z.infer<typeof IsoDate>;

/** An instant, ISO 8601 with offset. */
export const IsoDateTime = z.iso.datetime({ offset: true });

/** Inclusive start and end dates, both local to the assessment's time zone. */
export const DateWindow = z
  .strictObject({ start: IsoDate, end: IsoDate })
  .check(z.refine((w) => w.start <= w.end, { message: 'start must not be after end', path: ['end'] }));
export type DateWindow = z.infer<typeof DateWindow>;

/**
 * Identifiers used in keys and URLs: lower-case ASCII, digits and dashes. Keeping them
 * ASCII keeps DynamoDB keys, schedule names and URLs free of encoding surprises; the Thai
 * name is a separate field.
 */
export const Slug = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes'),
  );

const BIDI = '\u200e\u200f\u202a-\u202e\u2066-\u2069';
const CONTROL_OR_BIDI = new RegExp(`[\u0000-\u001f\u007f-\u009f\u2028\u2029${BIDI}]`);
const MULTILINE_CONTROL_OR_BIDI = new RegExp(`[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f${BIDI}]`);
/** Invisible format characters (zero-width space and joiners, word joiner, BOM, soft hyphen…). */
const FORMAT_CHARACTERS = /\p{Cf}/gu;

/**
 * Comparable form of a name: NFC, format characters removed, runs of spaces collapsed, trimmed.
 * ThaiName stores this form, so two agencies that look alike also compare alike.
 */
export const cleanName = (s: string): string =>
  s.normalize('NFC').replace(FORMAT_CHARACTERS, '').replace(/\s+/g, ' ').trim();

/**
 * Single-line human text (names, titles, reasons). Controls (C0, C1), line and paragraph
 * separators and bidi controls are refused: in a name they can disguise one agency as another in a
 * report. Other invisible format characters (U+200B that Thai text pasted from Word carries,
 * joiners, U+FEFF) are removed silently; then NFC, spaces collapsed, trimmed.
 */
export const ThaiName = z.pipe(
  z.pipe(
    z
      .string()
      .check(
        z.refine(
          (s) => !CONTROL_OR_BIDI.test(s),
          'control characters, line separators and bidi overrides are not allowed',
        ),
      ),
    z.transform(cleanName),
  ),
  z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(300)),
);

/**
 * Multi-line free text (notes, analysis): NFC, newlines and tabs kept, U+2028/U+2029 turned into
 * newlines, invisible format characters removed; other controls (C0, C1) and bidi controls refused.
 */
export const FreeText = (max = 4000) =>
  z.pipe(
    z.string().check(
      z.maxLength(max),
      z.refine(
        (s) => !MULTILINE_CONTROL_OR_BIDI.test(s),
        'control characters and bidi overrides are not allowed',
      ),
    ),
    z.transform((s) =>
      s
        .normalize('NFC')
        .replace(/[\u2028\u2029]/g, '\n')
        .replace(FORMAT_CHARACTERS, ''),
    ),
  );

export const Email = z.email();

export const FiscalYearBE = z.number().check(z.int(), z.gte(2500), z.lte(2700));

// ---------------------------------------------------------------- framework

export const ToolCode = z.enum(['IIT', 'EIT', 'OIT']);
export type ToolCode = z.infer<typeof ToolCode>;

export const SurveyTool = z.enum(['iit', 'eit']);
export type SurveyTool = z.infer<typeof SurveyTool>;

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
