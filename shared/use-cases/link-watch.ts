import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import type { EvidenceLink, LinkRepository } from '#adapters/dynamo/link-repository';
import { NotFoundError } from '#domain/errors';
import type { NotificationRequested } from '#domain/events';
import type { OitEvidence } from '#domain/evidence';
import {
  type LinkCheckMessage,
  type LinkCheckQueue,
  type LinkCheckReason,
  type LinkRef,
  linkDue,
  planMessages,
} from '#domain/link-check-plan';
import { deadLinkRequest } from '#domain/link-notice';
import { type LinkCheckResult, type LinkHealth, type LinkState, nextLinkHealth } from '#domain/link-watch';
import type { NotificationRequest } from '#domain/notifications';
import { todayIn } from '#domain/thai-date';

/** The checker as the use cases see it: many URLs until a stop signal (the adapter: `link-checker.ts`). */
export type LinkCheckerPort = {
  checkUntil: (
    urls: readonly string[],
    concurrency: number,
    stop: AbortSignal,
  ) => Promise<Array<LinkCheckResult | undefined>>;
};

export type LinkWatchDeps = {
  links: Pick<LinkRepository, 'listLinks' | 'recordCheck'>;
  checker: LinkCheckerPort;
  now: () => Date;
  /**
   * The agency's notification of a link that turned dead (null: nobody to tell). It is written as
   * an outbox item in the transition's own transaction, so it goes out once per transition.
   */
  deadNotice: (link: EvidenceLink, health: LinkHealth) => Promise<NotificationRequest | null>;
  concurrency?: number;
};

export type LinkCheckRun = {
  checked: number;
  states: Record<LinkState, number>;
  /** Links this run turned dead (and announced). */
  turnedDead: Array<{ agencyId: string; itemId: string; url: string }>;
  /** Links another writer changed while this run checked them: left to that writer. */
  skipped: number;
  /** Links not checked before the stop signal: the caller hands them on. */
  unchecked: EvidenceLink[];
};

const never = new AbortController().signal;

/**
 * Checks watched links and stores what each check means:
 * 1. the links (of the assessment, one agency, or those given: a queue message);
 * 2. each URL checked until `stop` (the checker spaces requests per host and guards every address);
 * 3. the next state by the dead-after-24-hours rule, stored conditionally on the version read,
 *    with the agency's dead count and, for a link turning dead, its notification (an outbox item)
 *    in the same transaction.
 * A redelivered message re-checks: a transition another check stored first is not stored (nor
 * announced) again, and a repeated failure keeps the dead link dead without a second message.
 */
export const checkLinks = async (
  deps: LinkWatchDeps,
  target: { assessmentId: string; agencyId?: string; links?: readonly EvidenceLink[] },
  stop: AbortSignal = never,
): Promise<LinkCheckRun> => {
  const links = target.links ?? (await deps.links.listLinks(target.assessmentId, target.agencyId));
  const results = await deps.checker.checkUntil(
    links.map((l) => l.url),
    deps.concurrency ?? 20,
    stop,
  );
  const run: LinkCheckRun = {
    checked: 0,
    states: { unchecked: 0, alive: 0, failing: 0, dead: 0, blocked: 0 },
    turnedDead: [],
    skipped: 0,
    unchecked: [],
  };
  const at = deps.now().toISOString();
  for (const [index, link] of links.entries()) {
    const result = results[index];
    if (!result) {
      run.unchecked.push(link);
      continue;
    }
    run.checked += 1;
    const { health, deadDelta } = nextLinkHealth(link, result, at);
    const notice = deadDelta === 1 ? await deps.deadNotice(link, health) : null;
    const events: NotificationRequested[] = notice
      ? [{ type: 'NotificationRequested', version: 1, at, request: notice }]
      : [];
    const stored = await deps.links.recordCheck(link, health, deadDelta, events);
    if (!stored) {
      run.skipped += 1;
      continue;
    }
    run.states[health.state] += 1;
    if (deadDelta === 1) run.turnedDead.push({ agencyId: link.agencyId, itemId: link.itemId, url: link.url });
  }
  return run;
};

/**
 * The dead-link notices of one run: the assessment's plan and each agency's summary read once,
 * on the first link that turns dead (most runs read nothing).
 */
export const deadLinkNotices = (deps: {
  assessments: Pick<AssessmentRepository, 'getWithPlan'>;
  agencies: Pick<AgencyRepository, 'getSummary'>;
}): LinkWatchDeps['deadNotice'] => {
  const plans = new Map<string, ReturnType<typeof deps.assessments.getWithPlan>>();
  const summaries = new Map<string, ReturnType<typeof deps.agencies.getSummary>>();
  return async (link, health) => {
    const plan = plans.get(link.assessmentId) ?? deps.assessments.getWithPlan(link.assessmentId);
    plans.set(link.assessmentId, plan);
    const summaryKey = `${link.assessmentId}#${link.agencyId}`;
    const summary = summaries.get(summaryKey) ?? deps.agencies.getSummary(link.assessmentId, link.agencyId);
    summaries.set(summaryKey, summary);
    const [read, agency] = await Promise.all([plan, summary]);
    if (!read || !agency) return null;
    const item = read.assessment.framework.oitItems.find((i) => i.id === link.itemId);
    return deadLinkRequest({
      assessmentId: link.assessmentId,
      unitName: read.assessment.unitName,
      agency: {
        id: agency.agency.id,
        nameTh: agency.agency.nameTh,
        coordinatorEmail: agency.agency.coordinator.email,
      },
      item: { id: link.itemId, nameTh: item?.nameTh ?? link.itemId },
      health,
      timeZone: read.assessment.timeZone,
    });
  };
};

/** Evidence whose links are watched: what the agency has submitted (approved included), not a draft. */
const watched = (e: OitEvidence) => e.status === 'submitted' || e.status === 'approved';

/**
 * Brings the watched links in line with the evidence (one Query of the agencies' items, one of the
 * links; writes only where they differ): a submission whose links were not recorded yet (its
 * asynchronous check lost) is picked up here, and a rejected or replaced URL stops being watched.
 */
export const syncLinksFromEvidence = async (
  deps: {
    agencies: Pick<AgencyRepository, 'listAgencyItems'>;
    links: Pick<LinkRepository, 'listLinks' | 'syncItemLinks'>;
  },
  target: { assessmentId: string; agencyId?: string },
): Promise<EvidenceLink[]> => {
  const [{ evidence }, links] = await Promise.all([
    deps.agencies.listAgencyItems(target.assessmentId),
    deps.links.listLinks(target.assessmentId, target.agencyId),
  ]);
  const key = (agencyId: string, itemId: string) => `${agencyId}#${itemId}`;
  const stored = new Map<string, string[]>();
  for (const link of links)
    stored.set(key(link.agencyId, link.itemId), [
      ...(stored.get(key(link.agencyId, link.itemId)) ?? []),
      link.url,
    ]);
  const wanted = evidence.filter((e) => !target.agencyId || e.agencyId === target.agencyId);
  const result: EvidenceLink[] = [];
  const seen = new Set<string>();
  for (const e of wanted) {
    const k = key(e.agencyId, e.itemId);
    seen.add(k);
    const urls = watched(e) ? e.urls : [];
    const current = stored.get(k) ?? [];
    const same = current.length === urls.length && urls.every((u) => current.includes(u));
    if (same) result.push(...links.filter((l) => key(l.agencyId, l.itemId) === k));
    else result.push(...(await deps.links.syncItemLinks(target.assessmentId, e.agencyId, e.itemId, urls)));
  }
  for (const [k, urls] of stored) {
    if (seen.has(k) || urls.length === 0) continue;
    const [agencyId, itemId] = k.split('#') as [string, string];
    await deps.links.syncItemLinks(target.assessmentId, agencyId, itemId, []);
  }
  return result;
};

// ---------------------------------------------------------------- the fan-out

export type PlanLinkChecksDeps = {
  agencies: Pick<AgencyRepository, 'listAgencyItems' | 'getEvidence'>;
  links: Pick<LinkRepository, 'listLinks' | 'syncItemLinks'>;
  queue: LinkCheckQueue;
  /** The assessment's `linkCheckEveryDays` (notification settings). */
  everyDays: (assessmentId: string) => Promise<number>;
  now: () => Date;
};

export type LinkCheckTarget = {
  assessmentId: string;
  reason: Exclude<LinkCheckReason, 'continuation'>;
  agencyId?: string;
  /** With `agencyId`: one item's evidence (a submission). */
  itemId?: string;
};

export type LinkCheckPlan = { watched: number; queued: number; messages: number };

const refOf = (link: EvidenceLink): LinkRef => ({
  agencyId: link.agencyId,
  itemId: link.itemId,
  url: link.url,
});

/**
 * The plan step: which links to check, sent to the queue as messages of at most 25 (by host).
 * - `submission`: the item's evidence as stored now (one GetItem; a later submission wins over an
 *   older event), its links synced, every one of them queued;
 * - `on-demand`: the assessment's (or one agency's) links synced from the evidence, all queued;
 * - `schedule`: the assessment's links synced, those due by `linkDue` queued (the interval).
 * Queries by key only. Sending twice checks twice: the consumer's writes are conditional.
 */
export const planLinkChecks = async (
  deps: PlanLinkChecksDeps,
  target: LinkCheckTarget,
): Promise<LinkCheckPlan> => {
  const { assessmentId } = target;
  let links: EvidenceLink[];
  if (target.reason === 'submission' && target.agencyId && target.itemId) {
    const evidence = await deps.agencies.getEvidence(assessmentId, target.agencyId, target.itemId);
    const urls = evidence && watched(evidence) ? evidence.urls : [];
    links = await deps.links.syncItemLinks(assessmentId, target.agencyId, target.itemId, urls);
  } else {
    links = await syncLinksFromEvidence(deps, {
      assessmentId,
      ...(target.agencyId ? { agencyId: target.agencyId } : {}),
    });
  }
  let due = links;
  if (target.reason === 'schedule') {
    const everyDays = await deps.everyDays(assessmentId);
    const today = todayIn('Asia/Bangkok', deps.now());
    due = links.filter((link) => linkDue(link, today, everyDays));
  }
  const messages = planMessages(assessmentId, target.reason, due.map(refOf));
  if (messages.length) await deps.queue.send(messages);
  return { watched: links.length, queued: due.length, messages: messages.length };
};

/**
 * The secretariat's `POST …/links/check`: the assessment (and the agency, when one is named) must
 * exist (404), then the plan runs at once and the answer says how many links were queued.
 */
export const requestLinkCheck = async (
  deps: PlanLinkChecksDeps & {
    assessments: Pick<AssessmentRepository, 'getWithPlan'>;
    summaries: Pick<AgencyRepository, 'getSummary'>;
  },
  target: { assessmentId: string; agencyId?: string },
): Promise<LinkCheckPlan> => {
  const plan = await deps.assessments.getWithPlan(target.assessmentId);
  if (!plan) throw new NotFoundError(`assessment ${target.assessmentId} not found`);
  if (target.agencyId && !(await deps.summaries.getSummary(target.assessmentId, target.agencyId)))
    throw new NotFoundError(`agency ${target.agencyId} not found in ${target.assessmentId}`);
  return planLinkChecks(deps, { ...target, reason: 'on-demand' });
};

export type LinkMessageRun = LinkCheckRun & {
  /** Links of the message no longer watched (replaced or rejected since it was sent). */
  gone: number;
  /** Messages sent with what the stop signal left unchecked. */
  continued: number;
};

/**
 * The consumer's work on one queue message: the links read afresh (one Query per agency in it;
 * a link no longer watched is dropped), checked until `stop`, what was not reached sent on as a
 * continuation. Throws when a write or the continuation fails, so the message is delivered again.
 */
export const checkLinkMessage = async (
  deps: LinkWatchDeps & { queue: LinkCheckQueue },
  message: LinkCheckMessage,
  stop: AbortSignal = never,
): Promise<LinkMessageRun> => {
  const key = (l: LinkRef) => `${l.agencyId}#${l.itemId}#${l.url}`;
  const agencyIds = [...new Set(message.links.map((l) => l.agencyId))];
  const stored = (
    await Promise.all(agencyIds.map((agencyId) => deps.links.listLinks(message.assessmentId, agencyId)))
  ).flat();
  const byKey = new Map(stored.map((l) => [key(l), l]));
  const current = message.links.flatMap((l) => byKey.get(key(l)) ?? []);
  const run = await checkLinks(deps, { assessmentId: message.assessmentId, links: current }, stop);
  const rest = planMessages(message.assessmentId, 'continuation', run.unchecked.map(refOf));
  if (rest.length) await deps.queue.send(rest.map((m) => ({ ...m, delaySeconds: 0 })));
  return { ...run, gone: message.links.length - current.length, continued: rest.length };
};
