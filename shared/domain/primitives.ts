import * as z from 'zod/mini';
import './zod-locale.ts';

/**
 * The primitives every shape is built from: dates, identifiers, names, text, addresses and the
 * assessment's tools. In a module of their own so a function whose schemas need only these (the
 * notifier's email facts, the audit entry, a principal) does not build the whole domain's
 * schemas at load; `model.ts` re-exports them.
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

/** The assessment's three tools, and the two that are surveys. */
export const ToolCode = z.enum(['IIT', 'EIT', 'OIT']);
export type ToolCode = z.infer<typeof ToolCode>;

export const SurveyTool = z.enum(['iit', 'eit']);
export type SurveyTool = z.infer<typeof SurveyTool>;
