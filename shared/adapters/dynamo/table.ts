/**
 * The single table's shape, as plain data so that the local setup (CreateTable) and the CDK
 * stack declare exactly the same keys and index.
 *
 * Items (PK / SK; GSI1PK / GSI1SK where present):
 * - assessment      A#<aid> / META                         ; A#<aid> / META
 * - milestone       A#<aid> / MILESTONE#<nn>               ; A#<aid> / MILESTONE#<nn>
 * - task            A#<aid> / TASK#<taskId>                ; A#<aid> / TASK#<taskId>
 * - year result     A#<aid> / RESULT#<fy>                  ; A#<aid> / RESULT#<fy>
 * - agency summary  A#<aid> / AGENCY#<agencyId>#           ; A#<aid> / AGENCY#<agencyId>#
 * - OIT evidence    A#<aid> / AGENCY#<agencyId>#OIT#<item> ; (none: not part of the overview)
 * - audit entry     AUDIT#<aid> / <at>#<id>                ; AUDIT#<aid>#AGENCY#<agencyId> / <at>#<id>
 *
 * Access patterns:
 * 1. assessment + plan: one Query on A#<aid>, SK between META and MILESTONE#~ (strongly consistent).
 * 2. province overview (every agency's summary, the plan, tasks, results): one Query on GSI1 A#<aid>.
 *    Evidence items carry no GSI1 keys, so the overview reads one item per agency.
 * 3. one agency's detail (summary and each OIT item): one Query on A#<aid>, begins_with AGENCY#<agencyId>#.
 *    The trailing `#` keeps agency `a1` from matching `a10`.
 * 4. audit since a time: one Query on AUDIT#<aid> (or GSI1 AUDIT#<aid>#AGENCY#<agencyId>), SK > since.
 * No request or scheduled path scans.
 */
export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  gsi1: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  /** Epoch seconds; DynamoDB deletes idempotency and notification records after it. */
  ttlAttribute: 'expiresAt',
} as const;
