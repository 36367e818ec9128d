import * as z from 'zod/mini';
import { DateWindow, FiscalYearBE, FreeText, Slug, TaskStatus, ThaiName } from './model.ts';

/**
 * A year's published results and the improvement tasks planned from them: what the overview, the
 * task routes and the reports read. Apart from `model.ts`, so that a function that never reads a
 * task or a result does not build their schemas.
 */

export const YearResult = z.strictObject({
  fiscalYear: FiscalYearBE,
  iit: z.number().check(z.gte(0), z.lte(30)),
  eit: z.number().check(z.gte(0), z.lte(30)),
  oit: z.number().check(z.gte(0), z.lte(40)),
  /** The total as published; the computed one is derived from the tools. */
  publishedTotal: z.optional(z.number().check(z.gte(0), z.lte(100))),
  /** The label as published (`A`, `ผ่าน` …). */
  publishedLabel: z.optional(ThaiName),
});
export type YearResult = z.infer<typeof YearResult>;

const QuestionCode = z.string().check(z.regex(/^[ieo]\d{1,2}$/, 'question codes look like i8, e15 or o3'));

export const ImprovementTask = z.strictObject({
  id: Slug,
  theme: z.strictObject({ number: z.number().check(z.int(), z.gte(1)), title: ThaiName }),
  questions: z.array(
    z.strictObject({
      code: QuestionCode,
      text: FreeText(1000),
      lastYearScore: z.optional(z.number().check(z.gte(0), z.lte(100))),
    }),
  ),
  analysis: FreeText(),
  guideline: FreeText(),
  method: FreeText(),
  periodText: ThaiName,
  window: DateWindow,
  responsibleText: ThaiName,
  /** Agency ids, or `all` for every agency of the assessment. */
  responsibleAgencies: z.union([z.literal('all'), z.array(Slug)]),
  status: TaskStatus,
  progress: z.number().check(z.int(), z.gte(0), z.lte(100)),
  version: z.optional(z.number().check(z.int(), z.gte(1))),
});
export type ImprovementTask = z.infer<typeof ImprovementTask>;
