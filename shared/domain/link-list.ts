import * as z from 'zod/mini';
import { type LinkHealth, LinkState, LinkView, linkView } from './link-watch.ts';
import { IsoDateTime, Slug } from './primitives.ts';
import { formatThaiDate, todayIn } from './thai-date.ts';

/**
 * The watched evidence links grouped by agency: the dashboard's list of dead links (agency, item,
 * URL, since when) and the secretariat's weekly list. Pure: the caller reads the links (one Query)
 * and the agencies' and items' names (the overview).
 */

/** `GET /assessments/{id}/links?state=dead[&agencyId=]`: every state when none is named. */
export const LinkListQuery = z.strictObject({ state: z.optional(LinkState), agencyId: z.optional(Slug) });
export type LinkListQuery = z.infer<typeof LinkListQuery>;

export const ListedLink = z.extend(LinkView, { itemId: z.string(), itemNameTh: z.string() });
export type ListedLink = z.infer<typeof ListedLink>;

export const AgencyLinks = z.strictObject({
  agencyId: Slug,
  agencyName: z.string(),
  links: z.array(ListedLink),
});
export type AgencyLinks = z.infer<typeof AgencyLinks>;

export const LinkListAnswer = z.strictObject({
  assessmentId: Slug,
  state: z.optional(LinkState),
  /** Links listed, over all agencies. */
  total: z.number().check(z.int(), z.gte(0)),
  /** Agencies with at least one link listed, by Thai name; their links by item, then URL. */
  agencies: z.array(AgencyLinks),
});
export type LinkListAnswer = z.infer<typeof LinkListAnswer>;

/** One line of the secretariat's weekly list: a dead link, where it is, since when and why. */
export const DeadLinkRow = z.strictObject({
  agencyId: Slug,
  agencyName: z.string(),
  itemId: z.string(),
  itemNameTh: z.string(),
  url: z.string(),
  deadSince: z.optional(IsoDateTime),
  reasonTh: z.string(),
});
export type DeadLinkRow = z.infer<typeof DeadLinkRow>;

type StoredLink = LinkHealth & { agencyId: string; itemId: string };

const byNumber = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * The links in `state` (all when none), grouped by agency. A link of an agency no longer in the
 * assessment keeps its id as its name rather than disappearing from the list.
 */
export const groupLinksByAgency = (
  links: readonly StoredLink[],
  names: { agencies: ReadonlyMap<string, string>; items: ReadonlyMap<string, string> },
  state?: LinkState,
): { total: number; agencies: AgencyLinks[] } => {
  const groups = new Map<string, AgencyLinks>();
  for (const link of links) {
    if (state && link.state !== state) continue;
    const group = groups.get(link.agencyId) ?? {
      agencyId: link.agencyId,
      agencyName: names.agencies.get(link.agencyId) ?? link.agencyId,
      links: [],
    };
    groups.set(link.agencyId, group);
    group.links.push({
      ...linkView(link),
      itemId: link.itemId,
      itemNameTh: names.items.get(link.itemId) ?? link.itemId,
    });
  }
  const agencies = [...groups.values()].sort((a, b) => a.agencyName.localeCompare(b.agencyName, 'th'));
  for (const group of agencies)
    group.links.sort((a, b) => byNumber(a.itemId, b.itemId) || a.url.localeCompare(b.url));
  return { total: agencies.reduce((sum, a) => sum + a.links.length, 0), agencies };
};

/** The weekly list's rows: every dead link, by agency, with its reason in plain Thai. */
export const deadLinkRows = (grouped: readonly AgencyLinks[]): DeadLinkRow[] =>
  grouped.flatMap((agency) =>
    agency.links
      .filter((link) => link.state === 'dead')
      .map((link) => ({
        agencyId: agency.agencyId,
        agencyName: agency.agencyName,
        itemId: link.itemId,
        itemNameTh: link.itemNameTh,
        url: link.url,
        ...(link.deadSince ? { deadSince: link.deadSince } : {}),
        reasonTh: `${link.errorTh ?? link.stateTh}${link.status ? ` (รหัสตอบกลับ ${link.status})` : ''}`,
      })),
  );

/** A dead link in one Thai line (the weekly email's list, the LINE summary). */
export const deadLinkLine = (row: DeadLinkRow): string =>
  `${row.agencyName} ข้อ ${row.itemId} ${row.itemNameTh}: ${row.url}${
    row.deadSince
      ? ` เสียตั้งแต่ ${formatThaiDate(todayIn('Asia/Bangkok', new Date(row.deadSince)), 'abbr')}`
      : ''
  } (${row.reasonTh})`;
