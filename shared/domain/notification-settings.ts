import * as z from 'zod/mini';
import { PaceSettings } from './pace-settings.ts';
import { Email, IsoDate, Slug } from './primitives.ts';

/**
 * What an assessment and the deployment set for notifications and schedules (the pace margins,
 * the schedules' timing, the escalation ladder, the recipients) and the pace records, all read with
 * the assessment's overview. Apart from the rules and the email facts (`notifications.ts`,
 * `pace.ts`, `schedule-plan.ts`), so that reading the overview or the settings builds only these
 * schemas.
 */

/** A Bangkok wall time, `HH:MM`. */
const ScheduleTime = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day, HH:MM'));

export const ScheduleSettings = z.strictObject({
  /** Local (Bangkok) time of day at which milestone schedules fire, `HH:MM`. */
  time: z._default(ScheduleTime, '08:30'),
  /** Days before a window's end at which the due-soon reminders go out. */
  dueSoonDays: z._default(z.array(z.number().check(z.int(), z.gte(1), z.lte(366))), [14, 7, 1]),
  /** Days the pace check keeps acting after a tracked window or an open task's window ends, so overdue escalates. */
  followUpDays: z._default(z.number().check(z.int(), z.gte(0), z.lte(366)), 14),
});
export type ScheduleSettings = z.infer<typeof ScheduleSettings>;

export const DEFAULT_SCHEDULE_SETTINGS: ScheduleSettings = ScheduleSettings.parse({});

/** The escalation ladder: the coordinator always; the head, then the secretariat, in copy. */
export const EscalationLadder = z.strictObject({
  headAfterDaysBehind: z._default(z.number().check(z.int(), z.gte(0)), 7),
  headWhenOverdue: z._default(z.boolean(), true),
  secretariatAfterDaysOverdue: z._default(z.number().check(z.int(), z.gte(0)), 7),
});
export type EscalationLadder = z.infer<typeof EscalationLadder>;

const Recipients = z.array(Email).check(z.maxLength(10));

/**
 * An assessment's notification settings (item `A#<aid>/NOTIFY#SETTINGS`, written by
 * `PUT /assessments/{id}/notification-settings`). Every field has a default, so a PUT replaces the
 * whole set and what it leaves out goes back to the default. Recipients left empty fall back to
 * the deployment's (`SECRETARIAT_EMAIL` / `APPROVER_EMAIL`, from the CDK context keys
 * `secretariatEmail` / `approverEmail`); the schedule fields, to the sync function's configuration.
 */
export const NotificationSettings = z.strictObject({
  /** The provincial secretariat (provincial office, committee, secretariat milestones; weekly summary; ladder rung 2). */
  secretariatEmails: z._default(Recipients, []),
  /** The governor or delegate who approves OIT answers in ITAS. */
  approverEmails: z._default(Recipients, []),
  /** The committee and others who only watch: they may sign in as `viewer`; nothing is mailed to them. */
  viewerEmails: z._default(Recipients, []),
  escalation: z.prefault(EscalationLadder, {}),
  pace: z.prefault(PaceSettings, {}),
  /** While an agency stays behind, its behind email repeats every this many days (1 = every check). */
  behindReminderEveryDays: z._default(z.number().check(z.int(), z.gte(1)), 7),
  /** Days before a tracked milestone's end at which due-soon reminders go out (e.g. [14, 7, 1]). */
  reminderDays: z.optional(
    z.array(z.number().check(z.int(), z.gte(1), z.lte(366))).check(z.minLength(1), z.maxLength(10)),
  ),
  /** Bangkok time of day at which the milestone schedules and the pace check fire, `HH:MM`. */
  scheduleTime: z.optional(ScheduleTime),
  /**
   * Days between two scheduled checks of an evidence link (steps 7 to 13; a failing link is
   * checked again every day whatever this says, so it is confirmed dead 24 hours after it failed).
   */
  linkCheckEveryDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(30)), 1),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = NotificationSettings.parse({});

/** The deployment-wide recipients, used where an assessment names none. */
export type DefaultRecipients = { secretariatEmails: string[]; approverEmails: string[] };

/** The settings the rules use: the assessment's own recipients, else the deployment's. */
export const withDefaultRecipients = (
  settings: NotificationSettings,
  defaults: DefaultRecipients,
): NotificationSettings => ({
  ...settings,
  secretariatEmails: settings.secretariatEmails.length
    ? settings.secretariatEmails
    : defaults.secretariatEmails,
  approverEmails: settings.approverEmails.length ? settings.approverEmails : defaults.approverEmails,
});

/** The schedule timing an assessment asks for, over the deployment's. */
export const effectiveScheduleSettings = (
  settings: NotificationSettings,
  base: ScheduleSettings,
): ScheduleSettings => ({
  ...base,
  ...(settings.reminderDays ? { dueSoonDays: settings.reminderDays } : {}),
  ...(settings.scheduleTime ? { time: settings.scheduleTime } : {}),
});

/**
 * The per-agency state the pace check keeps between runs: since when it has been behind, and when
 * it last asked for a stale survey count to be updated (so the request repeats every 7 days
 * whatever the weekday of the last report).
 */
export const PaceRecord = z.strictObject({
  agencyId: Slug,
  behindSince: z.optional(IsoDate),
  staleRequestedOn: z.optional(IsoDate),
});
export type PaceRecord = z.infer<typeof PaceRecord>;
export type BehindRecord = { agencyId: string; behindSince: IsoDate };
