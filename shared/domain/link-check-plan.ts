import * as z from 'zod/mini';
import type { DateWindow, IsoDate, Milestone } from './model.ts';
import { Slug } from './primitives.ts';
import { daysBetween, todayIn } from './thai-date.ts';

/**
 * How a link check is planned and fanned out. Pure: the plan step reads the links, these rules
 * decide which are due and how they are cut into queue messages, the consumer checks one message.
 */

/** Why links are checked: a submission, the daily schedule, the secretariat's request, or the rest of a message cut short. */
export const LinkCheckReason = z.enum(['submission', 'schedule', 'on-demand', 'continuation']);
export type LinkCheckReason = z.infer<typeof LinkCheckReason>;

/** URLs per queue message: a message is one consumer's bounded piece of work. */
export const LINKS_PER_MESSAGE = 25;
/**
 * A host with more URLs than one message holds is spread over several messages, each delayed by
 * this much more than the one before (SQS `DelaySeconds`, at most 900), so two consumers rarely
 * hit one agency's website at the same time: per-host spacing holds inside a message.
 */
export const HOST_CHUNK_DELAY_SECONDS = 120;
export const MAX_DELAY_SECONDS = 900;

export const LinkRef = z.strictObject({
  agencyId: Slug,
  itemId: z.string().check(z.regex(/^o\d{1,3}$/)),
  url: z.string().check(z.minLength(1), z.maxLength(2048)),
});
export type LinkRef = z.infer<typeof LinkRef>;

/** The body of one queue message: at most {@link LINKS_PER_MESSAGE} links of one assessment. */
export const LinkCheckMessage = z.strictObject({
  assessmentId: Slug,
  reason: LinkCheckReason,
  links: z.array(LinkRef).check(z.minLength(1), z.maxLength(LINKS_PER_MESSAGE)),
});
export type LinkCheckMessage = z.infer<typeof LinkCheckMessage>;

/** A message to send, and how long the queue holds it back. */
export type OutgoingLinkCheck = { body: LinkCheckMessage; delaySeconds: number };

/** The port of the check queue: SQS in AWS, an in-process queue locally. */
export type LinkCheckQueue = { send: (messages: readonly OutgoingLinkCheck[]) => Promise<void> };

/** The host a URL's requests go to (lower case, with a non-default port); '' for a URL that does not parse. */
export const hostOf = (url: string): string => {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return '';
  }
};

/**
 * Cuts links into queue messages of at most `perMessage`: grouped by host, a host's links kept in
 * one message when they fit (so the checker's per-host limit and spacing hold for all of them),
 * small hosts packed together (largest first), a big host's further chunks delayed one after the
 * other. Deterministic: the same links give the same messages.
 */
export const planMessages = (
  assessmentId: string,
  reason: LinkCheckReason,
  links: readonly LinkRef[],
  options: { perMessage?: number; hostDelaySeconds?: number } = {},
): OutgoingLinkCheck[] => {
  const perMessage = options.perMessage ?? LINKS_PER_MESSAGE;
  const hostDelay = options.hostDelaySeconds ?? HOST_CHUNK_DELAY_SECONDS;
  const byHost = new Map<string, LinkRef[]>();
  const seen = new Set<string>();
  for (const link of links) {
    const key = `${link.agencyId}#${link.itemId}#${link.url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const host = hostOf(link.url);
    byHost.set(host, [...(byHost.get(host) ?? []), link]);
  }
  const delayed: OutgoingLinkCheck[] = [];
  const chunks: LinkRef[][] = [];
  for (const host of [...byHost.keys()].sort()) {
    const hostLinks = byHost.get(host)!;
    for (let start = 0, k = 0; start < hostLinks.length; start += perMessage, k += 1) {
      const chunk = hostLinks.slice(start, start + perMessage);
      if (k === 0) chunks.push(chunk);
      else
        delayed.push({
          body: { assessmentId, reason, links: chunk },
          delaySeconds: Math.min(k * hostDelay, MAX_DELAY_SECONDS),
        });
    }
  }
  // First fit, largest chunk first: few messages, and no host split between two of them.
  const bins: LinkRef[][] = [];
  for (const chunk of [...chunks].sort((a, b) => b.length - a.length)) {
    const bin = bins.find((b) => b.length + chunk.length <= perMessage);
    if (bin) bin.push(...chunk);
    else bins.push([...chunk]);
  }
  return [
    ...bins.map((bin) => ({ body: { assessmentId, reason, links: bin }, delaySeconds: 0 })),
    ...delayed,
  ];
};

// ---------------------------------------------------------------- when

/** The plan step after which evidence links stop being watched: NACC's scoring and appeals end (seed step 13). */
export const LINK_WATCH_UNTIL_STEP = 13;

/**
 * The days the scheduled check runs: from the first day of OIT publishing (the `oit_publishing`
 * milestone, seed step 7) to the last day of NACC's scoring and appeals (step
 * {@link LINK_WATCH_UNTIL_STEP}; the fiscal year's end when the plan has no such step). Null
 * when the plan has no OIT publishing window: nothing is published, nothing to watch.
 */
export const linkWatchWindow = (
  fiscalYear: DateWindow,
  milestones: readonly Milestone[],
): DateWindow | null => {
  const publishing = milestones.filter((m) => m.tracks === 'oit_publishing').map((m) => m.window.start);
  if (publishing.length === 0) return null;
  const start = publishing.sort()[0]!;
  const until = milestones.find((m) => m.number === LINK_WATCH_UNTIL_STEP)?.window.end ?? fiscalYear.end;
  return { start, end: until < start ? fiscalYear.end : until };
};

/** The default of the per-assessment `linkCheckEveryDays` setting: every link checked daily. */
export const DEFAULT_LINK_CHECK_EVERY_DAYS = 1;

/**
 * Whether the scheduled check takes a link today: one never checked, one failing (checked again
 * every day, so a dead link is confirmed 24 hours after its first failure whatever the interval),
 * and any other whose last check was `everyDays` or more Bangkok days ago.
 */
export const linkDue = (
  link: { state: string; checkedAt?: string },
  today: IsoDate,
  everyDays: number,
  timeZone = 'Asia/Bangkok',
): boolean => {
  if (link.state === 'unchecked' || link.state === 'failing' || !link.checkedAt) return true;
  const checkedOn = todayIn(timeZone, new Date(link.checkedAt));
  return daysBetween(checkedOn, today) >= everyDays;
};

/**
 * The bus event that starts a plan step: written in the same transaction as an evidence submission
 * (`submission`, with the agency and item), or by the daily link-check schedule (`schedule`).
 */
export const LinkCheckRequested = z.strictObject({
  type: z.literal('LinkCheckRequested'),
  version: z.literal(1),
  at: z.iso.datetime({ offset: true }),
  assessmentId: Slug,
  reason: z.enum(['submission', 'schedule']),
  agencyId: z.optional(Slug),
  itemId: z.optional(z.string().check(z.regex(/^o\d{1,3}$/))),
});
export type LinkCheckRequested = z.infer<typeof LinkCheckRequested>;

/** `POST /assessments/{id}/links/check`: every watched link of the assessment, or of one agency. */
export const LinkCheckRequest = z.strictObject({ agencyId: z.optional(Slug) });
export type LinkCheckRequest = z.infer<typeof LinkCheckRequest>;

/** Its `202`: links watched in the target, links queued, queue messages sent. */
export const LinkCheckAccepted = z.strictObject({
  watched: z.number().check(z.int(), z.gte(0)),
  queued: z.number().check(z.int(), z.gte(0)),
  messages: z.number().check(z.int(), z.gte(0)),
});
