import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { EvidenceLink, LinkRepository } from '#adapters/dynamo/link-repository';
import { type LinkCheckResult, type LinkHealth, type LinkState, nextLinkHealth } from '#domain/link-watch';
import type { OitEvidence } from '#domain/model';

export type LinkWatchDeps = {
  links: Pick<LinkRepository, 'listLinks' | 'recordCheck'>;
  checker: { checkAll: (urls: readonly string[], concurrency: number) => Promise<LinkCheckResult[]> };
  now: () => Date;
  /** Told once per link per transition to dead (the stored transition is the claim). */
  notifyDead: (link: EvidenceLink, health: LinkHealth) => Promise<void>;
  concurrency?: number;
};

export type LinkCheckRun = {
  checked: number;
  states: Record<LinkState, number>;
  /** Links this run turned dead (and announced). */
  turnedDead: Array<{ agencyId: string; itemId: string; url: string }>;
  /** Links another writer changed while this run checked them: left to that writer. */
  skipped: number;
};

/**
 * Checks watched links and stores what each check means:
 * 1. the links (of the assessment, one agency, or those given: a fan-out batch);
 * 2. each URL checked (the checker spaces requests per host and guards every address);
 * 3. the next state by the dead-after-24-hours rule, stored conditionally on the version read,
 *    with the agency's dead count in the same transaction;
 * 4. a link whose transition this run stored, and which turned dead, is announced to its agency.
 * A redelivered batch re-checks: a transition already stored is not stored (nor announced) again.
 */
export const checkLinks = async (
  deps: LinkWatchDeps,
  target: { assessmentId: string; agencyId?: string; links?: readonly EvidenceLink[] },
): Promise<LinkCheckRun> => {
  const links = target.links ?? (await deps.links.listLinks(target.assessmentId, target.agencyId));
  const results = await deps.checker.checkAll(
    links.map((l) => l.url),
    deps.concurrency ?? 20,
  );
  const run: LinkCheckRun = {
    checked: links.length,
    states: { unchecked: 0, alive: 0, failing: 0, dead: 0, blocked: 0 },
    turnedDead: [],
    skipped: 0,
  };
  const at = deps.now().toISOString();
  for (const [index, link] of links.entries()) {
    const { health, deadDelta } = nextLinkHealth(link, results[index]!, at);
    const stored = await deps.links.recordCheck(link, health, deadDelta);
    if (!stored) {
      run.skipped += 1;
      continue;
    }
    run.states[health.state] += 1;
    if (deadDelta === 1) {
      run.turnedDead.push({ agencyId: link.agencyId, itemId: link.itemId, url: link.url });
      await deps.notifyDead(link, health);
    }
  }
  return run;
};

/** Evidence whose links are watched: what the agency has submitted (approved included), not a draft. */
const watched = (e: OitEvidence) => e.status === 'submitted' || e.status === 'approved';

/**
 * Brings the watched links in line with the evidence (one Query of the agencies' items, one of the
 * links; writes only where they differ): a submission whose links were not recorded yet (its
 * asynchronous sync lost) is picked up here, and a rejected or replaced URL stops being watched.
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
