/**
 * The single table's shape, as plain data so that the local setup (CreateTable) and the CDK
 * stack declare exactly the same keys and index.
 *
 * Items (PK / SK; GSI1PK / GSI1SK where present):
 * - assessment      A#<aid> / META                         ; A#<aid> / META
 * - milestone       A#<aid> / MILESTONE#<nn>               ; A#<aid> / MILESTONE#<nn>
 * - task            A#<aid> / TASK#<taskId>                ; A#<aid> / TASK#<taskId>
 * - year result     A#<aid> / RESULT#<fy>                  ; A#<aid> / RESULT#<fy>
 * - question results A#<aid> / QRESULT#<fy>                ; (none: read only by the results analysis)
 * - agency summary  A#<aid> / AGENCY#<agencyId>#           ; A#<aid> / AGENCY#<agencyId>#
 * - OIT evidence    A#<aid> / AGENCY#<agencyId>#OIT#<item> ; (none: not part of the overview)
 * - audit entry     AUDIT#<aid> / <at>#<id>                ; AUDIT#<aid>#AGENCY#<agencyId> / <at>#<id>
 * - notify settings A#<aid> / NOTIFY#SETTINGS              ; A#<aid> / NOTIFY#SETTINGS (read with the overview)
 * - pace record     A#<aid> / PACE#<agencyId>              ; A#<aid> / PACE#<agencyId> ("behind since", read with the overview)
 * - notification    NOTIFY#<aid> / <date>_<subject>_<kind> ; NOTIFY#<aid>#failed / <id> only while failed (sparse)
 *   Claimed with attribute_not_exists before sending (one email per subject, kind, local date); TTL `expiresAt` (400 days).
 * - rollover marker A#<aid> / ROLLOVER                     ; (none) source of a rolled-over assessment
 * - idempotency     IDEMPOTENCY#<fn> / <fn>#<sha256 of key> ; (none) Powertools Idempotency, see `idempotency-store.ts`, TTL `expiresAt` (24 h)
 * - token (lookup)  TOKEN#<sha256hex> / TOKEN              ; (none)
 * - token (listing) A#<aid> / TOKEN#<tokenId>              ; (none: not part of the overview)
 * - outbox event    OUTBOX#<eventId> / EVENT                ; (none) read only from the stream, see `outbox.ts`, TTL `expiresAt` (1 day)
 *   Both written in one transaction with the audit entry; `A#*` holds tokens spanning assessments.
 *   A token's `expiresAt` is an ISO string, so TTL ignores it: expired and revoked tokens stay, for a precise 401.
 * - sign-in code    SIGNIN#<aid> / CODE#<email>            ; (none) the address's one live code (salted SHA-256), TTL `expiresAt`
 * - last sign-in    SIGNIN#<aid> / LAST#<email>            ; (none) when and as what the address last signed in
 * - sign-in counter SIGNINRATE#<code|session>#<ip> / <windowStart ms> ; (none) per-source limit, TTL `expiresAt`
 * - LINE settings   A#<aid> / LINE#SETTINGS                ; (none) channels per owner, agency digest rhythm
 * - LINE group      A#<aid> / LINE#GROUP#<owner>           ; (none) the group linked to an agency or `province`
 * - LINE group link LINEGROUP#<groupId> / LINK             ; (none) the same link by group, for the webhook
 * - LINE link code  LINECODE#<sha256 of code> / CODE       ; (none) single use, TTL `expiresAt` (a day after expiry)
 * - LINE event      LINEEVENT#<webhookEventId> / EVENT     ; (none) a handled webhook event, TTL `expiresAt` (2 days)
 *
 * Access patterns:
 * 1. assessment + plan: one Query on A#<aid>, SK between META and MILESTONE#~ (strongly consistent).
 * 2. province overview (every agency's summary, the plan, tasks, results): one Query on GSI1 A#<aid>.
 *    Evidence items carry no GSI1 keys, so the overview reads one item per agency.
 * 3. one agency's detail (summary and each OIT item): one Query on A#<aid>, begins_with AGENCY#<agencyId>#.
 *    The trailing `#` keeps agency `a1` from matching `a10`.
 * 4. audit since a time: one Query on AUDIT#<aid> (or GSI1 AUDIT#<aid>#AGENCY#<agencyId>), SK > since.
 * 5. verify a bearer token: one strongly consistent GetItem on TOKEN#<sha256(secret)> / TOKEN.
 * 6. an assessment's tokens: one Query on A#<aid>, begins_with TOKEN#.
 * 7. one year's question results: one GetItem on A#<aid> / QRESULT#<fy>.
 * 8. every agency's OIT items (forecast, reports): one Query on A#<aid>, begins_with AGENCY#.
 * 9. failed notifications: one Query on GSI1 NOTIFY#<aid>#failed (the sparse keys exist only on failed ones).
 * 10. pace check: the overview Query (pattern 2) also returns the settings and every pace record.
 * 11. LINE: one Query on A#<aid>, begins_with LINE# (settings and groups) per notification delivered.
 * No request or scheduled path scans.
 */
export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  gsi1: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  /** Epoch seconds; DynamoDB deletes idempotency, notification and outbox records after it. */
  ttlAttribute: 'expiresAt',
  /** The stream carries new images only: the outbox relay reads the event an item holds (`outbox.ts`). */
  streamViewType: 'NEW_IMAGE',
} as const;
