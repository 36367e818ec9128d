import { createHash, randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '#domain/events';
import { LinkHealth, uncheckedLink } from '#domain/link-watch';
import type { TableDeps } from './bind.ts';
import { withoutKeys } from './items.ts';
import { keys } from './keys.ts';
import { outboxItem } from './outbox.ts';
import { queryPartition } from './query.ts';
import { cancellationReasons, transactWrite } from './transact.ts';

/**
 * The health of one evidence URL of one agency's OIT item. Items (not in the overview):
 *   A#<aid> / LINK#<agencyId>#<itemId>#<sha256(url), 16 hex>
 * One Query `begins_with LINK#` reads an assessment's links (the scheduled check, the review
 * queue), `LINK#<agencyId>#` one agency's (its progress), `LINK#<agencyId>#<itemId>#` one item's.
 * Slugs hold no `#`, so `LINK#a1#` never matches agency `a10`. Kept out of the `AGENCY#` range so
 * the overview and the every-agency read (patterns 2 and 8) do not grow with the links.
 */
export type EvidenceLink = LinkHealth & {
  assessmentId: string;
  agencyId: string;
  itemId: string;
  /** +1 at every stored check: the condition of the next write (one writer per transition). */
  version: number;
};

const urlHash = (url: string) => createHash('sha256').update(url).digest('hex').slice(0, 16);

export const linkKey = (assessmentId: string, agencyId: string, itemId: string, url: string) =>
  keys.link(assessmentId, agencyId, itemId, urlHash(url));

const parse = (item: Record<string, unknown>): EvidenceLink => {
  const { assessmentId, agencyId, itemId, version, ...health } = withoutKeys(item);
  return {
    ...LinkHealth.parse(health),
    assessmentId: String(assessmentId),
    agencyId: String(agencyId),
    itemId: String(itemId),
    version: Number(version),
  };
};

const query = async (deps: TableDeps, assessmentId: string, prefix: string) =>
  (
    await queryPartition(deps, keys.assessmentPartition(assessmentId), {
      range: { beginsWith: prefix },
      consistent: true,
    })
  ).map(parse);

/** Every watched link of the assessment, in one Query (paged past 1 MB). */
export const listLinks = (deps: TableDeps, assessmentId: string, agencyId?: string) =>
  query(deps, assessmentId, keys.linkPrefix(agencyId));

/**
 * Makes the watched links of one OIT item the evidence's URLs: a new URL starts `unchecked`
 * (idempotent: `attribute_not_exists`), a URL the agency replaced stops being watched (and leaves
 * the dead count if it was dead, in the same transaction). Returns the links now watched.
 */
export const syncItemLinks = async (
  deps: TableDeps,
  assessmentId: string,
  agencyId: string,
  itemId: string,
  urls: readonly string[],
): Promise<EvidenceLink[]> => {
  const { client, tableName } = deps;
  const existing = await query(deps, assessmentId, keys.linkPrefix(agencyId, itemId));
  const wanted = new Set(urls);
  for (const link of existing.filter((l) => !wanted.has(l.url))) {
    const Key = linkKey(assessmentId, agencyId, itemId, link.url);
    if (link.state !== 'dead') {
      await client.send(new DeleteCommand({ TableName: tableName, Key }));
      continue;
    }
    await transactWrite(client, {
      TransactItems: [
        {
          Delete: {
            TableName: tableName,
            Key,
            ConditionExpression: '#state = :dead',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':dead': 'dead' },
          },
        },
        summaryDeadDelta(tableName, assessmentId, agencyId, -1),
      ],
    }).catch((error: unknown) => {
      if (!cancellationReasons(error)) throw error;
    });
  }
  const known = new Set(existing.map((l) => l.url));
  for (const url of urls.filter((u) => !known.has(u))) {
    await client
      .send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...linkKey(assessmentId, agencyId, itemId, url),
            type: 'link',
            assessmentId,
            agencyId,
            itemId,
            version: 1,
            ...uncheckedLink(url),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      )
      .catch((error: unknown) => {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      });
  }
  return query(deps, assessmentId, keys.linkPrefix(agencyId, itemId));
};

const summaryDeadDelta = (tableName: string, assessmentId: string, agencyId: string, delta: number) => ({
  Update: {
    TableName: tableName,
    Key: keys.agencySummary(assessmentId, agencyId),
    UpdateExpression: 'ADD deadLinks :delta',
    ConditionExpression: 'attribute_exists(PK)',
    ExpressionAttributeValues: { ':delta': delta },
  },
});

/**
 * Stores one check's health of a link, conditionally on the version it was read at, with the
 * agency's dead count moved by `deadDelta` and the events announcing the transition (outbox
 * items) in the same transaction. Returns false when another
 * check (or a replacement of the URL) got there first: that writer owns the transition, so a
 * transition is stored, counted and announced exactly once.
 */
export const recordCheck = async (
  { client, tableName }: TableDeps,
  link: EvidenceLink,
  health: LinkHealth,
  deadDelta: -1 | 0 | 1,
  /** Events announcing this transition (the agency's dead-link notification): outbox items of the same transaction. */
  events: readonly DomainEvent[] = [],
): Promise<boolean> => {
  const Key = linkKey(link.assessmentId, link.agencyId, link.itemId, link.url);
  const Item = {
    ...Key,
    type: 'link',
    assessmentId: link.assessmentId,
    agencyId: link.agencyId,
    itemId: link.itemId,
    version: link.version + 1,
    ...health,
  };
  const condition = {
    ConditionExpression: 'version = :version',
    ExpressionAttributeValues: { ':version': link.version },
  };
  try {
    if (deadDelta === 0 && events.length === 0) {
      await client.send(new PutCommand({ TableName: tableName, Item, ...condition }));
    } else {
      const at = new Date();
      await transactWrite(client, {
        TransactItems: [
          { Put: { TableName: tableName, Item, ...condition } },
          ...(deadDelta === 0
            ? []
            : [summaryDeadDelta(tableName, link.assessmentId, link.agencyId, deadDelta)]),
          // The notice commits with the transition or not at all: a lost race announces nothing.
          ...events.map((event) => ({
            Put: { TableName: tableName, Item: outboxItem(event, randomUUID(), at) },
          })),
        ],
      });
    }
    return true;
  } catch (error) {
    if (
      (error as { name?: string }).name === 'ConditionalCheckFailedException' ||
      cancellationReasons(error)
    ) {
      return false;
    }
    throw error;
  }
};

export const createLinkRepository = (deps: TableDeps) => ({
  listLinks: (assessmentId: string, agencyId?: string) => listLinks(deps, assessmentId, agencyId),
  syncItemLinks: (assessmentId: string, agencyId: string, itemId: string, urls: readonly string[]) =>
    syncItemLinks(deps, assessmentId, agencyId, itemId, urls),
  recordCheck: (
    link: EvidenceLink,
    health: LinkHealth,
    deadDelta: -1 | 0 | 1,
    events?: readonly DomainEvent[],
  ) => recordCheck(deps, link, health, deadDelta, events),
});

export type LinkRepository = ReturnType<typeof createLinkRepository>;

/** Links grouped for the views: agency id → item id → URL → health. */
export const linksByItem = (links: readonly EvidenceLink[]) => {
  const byAgency = new Map<string, Map<string, Map<string, LinkHealth>>>();
  for (const link of links) {
    const items = byAgency.get(link.agencyId) ?? new Map<string, Map<string, LinkHealth>>();
    byAgency.set(link.agencyId, items);
    const urls = items.get(link.itemId) ?? new Map<string, LinkHealth>();
    items.set(link.itemId, urls);
    urls.set(link.url, link);
  }
  return byAgency;
};
