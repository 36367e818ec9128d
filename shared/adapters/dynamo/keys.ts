/** Key builders for the single table; see `table.ts` for the item map and access patterns. */
export const keys = {
  assessment: (assessmentId: string) => ({ PK: `A#${assessmentId}`, SK: 'META' }),
  milestone: (assessmentId: string, number: number) => ({
    PK: `A#${assessmentId}`,
    SK: `MILESTONE#${String(number).padStart(2, '0')}`,
  }),
  task: (assessmentId: string, taskId: string) => ({ PK: `A#${assessmentId}`, SK: `TASK#${taskId}` }),
  result: (assessmentId: string, fiscalYear: number) => ({
    PK: `A#${assessmentId}`,
    SK: `RESULT#${fiscalYear}`,
  }),
  agencySummary: (assessmentId: string, agencyId: string) => ({
    PK: `A#${assessmentId}`,
    SK: `AGENCY#${agencyId}#`,
  }),
  agencyPrefix: (agencyId: string) => `AGENCY#${agencyId}#`,
  /** Every agency's summary and OIT items of an assessment (`begins_with`). */
  everyAgencyPrefix: 'AGENCY#',
  evidence: (assessmentId: string, agencyId: string, itemId: string) => ({
    PK: `A#${assessmentId}`,
    SK: `AGENCY#${agencyId}#OIT#${itemId}`,
  }),
  assessmentPartition: (assessmentId: string) => `A#${assessmentId}`,
  /** The assessment and its milestones: `SK BETWEEN from AND to` (META sorts just before MILESTONE#). */
  planRange: { from: 'META', to: 'MILESTONE#~' },
  taskPrefix: 'TASK#',
  /** One year's official per-question results (IIT, EIT, OIT), for the analysis; not in the overview. */
  questionResults: (assessmentId: string, fiscalYear: number) => ({
    PK: `A#${assessmentId}`,
    SK: `QRESULT#${fiscalYear}`,
  }),
  /** Written with a rolled-over assessment: names its source, so a retried rollover can resume. */
  rolloverMarker: (assessmentId: string) => ({ PK: `A#${assessmentId}`, SK: 'ROLLOVER' }),
  /** Idempotency records (`idempotency-store.ts`, Powertools): one partition per function, SK = `<fn>#<hashed key>`. */
  idempotencyPartition: (fn: string) => `IDEMPOTENCY#${fn}`,
  /** Per-assessment notification settings (addresses, ladder, margins); in the overview. */
  notificationSettings: (assessmentId: string) => ({ PK: `A#${assessmentId}`, SK: 'NOTIFY#SETTINGS' }),
  /** The versions the schedules were last synced for; in the overview, so the pace check can compare. */
  scheduleSync: (assessmentId: string) => ({ PK: `A#${assessmentId}`, SK: 'NOTIFY#SCHEDULES' }),
  /** The pace check's "behind since" record of one agency; in the overview, so the check reads once. */
  paceRecord: (assessmentId: string, agencyId: string) => ({
    PK: `A#${assessmentId}`,
    SK: `PACE#${agencyId}`,
  }),
  pacePrefix: 'PACE#',
  /** LINE (issue 13): an assessment's LINE settings, and the group linked to each owner (agency or `province`). */
  lineSettings: (assessmentId: string) => ({ PK: `A#${assessmentId}`, SK: 'LINE#SETTINGS' }),
  lineGroup: (assessmentId: string, owner: string) => ({
    PK: `A#${assessmentId}`,
    SK: `LINE#GROUP#${owner}`,
  }),
  linePrefix: 'LINE#',
  lineGroupPrefix: 'LINE#GROUP#',
  /** A LINE group's link, by group id: the webhook knows only the group, not the assessment. */
  lineGroupLink: (groupId: string) => ({ PK: `LINEGROUP#${groupId}`, SK: 'LINK' }),
  /** A link code, by its SHA-256 (the table never holds a live code); TTL `expiresAt`. */
  lineCode: (codeHash: string) => ({ PK: `LINECODE#${codeHash}`, SK: 'CODE' }),
  /** A webhook event already handled (`webhookEventId`), so a redelivery does nothing; TTL `expiresAt`. */
  lineEvent: (webhookEventId: string) => ({ PK: `LINEEVENT#${webhookEventId}`, SK: 'EVENT' }),
  /** One notification (the email of one subject, kind and local date). */
  notification: (assessmentId: string, notificationId: string) => ({
    PK: `NOTIFY#${assessmentId}`,
    SK: notificationId,
  }),
  /** Sparse GSI1 keys carried only while a notification is failed: the failed list, no scan. */
  failedNotification: (assessmentId: string, notificationId: string) => ({
    GSI1PK: `NOTIFY#${assessmentId}#failed`,
    GSI1SK: notificationId,
  }),
  /** GSI1 keys for the items that make up the province overview. */
  overview: (assessmentId: string, sk: string) => ({ GSI1PK: `A#${assessmentId}`, GSI1SK: sk }),
  audit: (assessmentId: string, at: string, id: string) => ({
    PK: `AUDIT#${assessmentId}`,
    SK: `${at}#${id}`,
  }),
  /**
   * One evidence URL's health (`link-repository.ts`): `LINK#<agencyId>#<itemId>#<urlHash>`, kept out
   * of the `AGENCY#` range so the overview does not grow with the links. Slugs hold no `#`, so an
   * agency's prefix `LINK#a1#` never matches `a10`.
   */
  link: (assessmentId: string, agencyId: string, itemId: string, urlHash: string) => ({
    PK: `A#${assessmentId}`,
    SK: `LINK#${agencyId}#${itemId}#${urlHash}`,
  }),
  /** Every link of an assessment, of one agency, or of one of its OIT items (`begins_with`). */
  linkPrefix: (agencyId?: string, itemId?: string) =>
    agencyId === undefined
      ? 'LINK#'
      : itemId === undefined
        ? `LINK#${agencyId}#`
        : `LINK#${agencyId}#${itemId}#`,
  /** One outbox event (`outbox.ts`): its own partition, so writes never queue on a hot key. */
  outbox: (eventId: string) => ({ PK: `OUTBOX#${eventId}`, SK: 'EVENT' as const }),
  outboxPrefix: 'OUTBOX#',
  /** A token by the hash of its secret: the authorizer's one GetItem. */
  tokenLookup: (hash: string) => ({ PK: `TOKEN#${hash}`, SK: 'TOKEN' }),
  /** The same token listed in its assessment's partition (`*` for a token spanning assessments). */
  tokenListing: (assessmentId: string, tokenId: string) => ({
    PK: `A#${assessmentId}`,
    SK: `TOKEN#${tokenId}`,
  }),
  tokenPrefix: 'TOKEN#',
  /** Sign-in: the one live code of an address (lower-case) in an assessment; TTL `expiresAt`. */
  signInCode: (assessmentId: string, email: string) => ({
    PK: `SIGNIN#${assessmentId}`,
    SK: `CODE#${email}`,
  }),
  /** The last sign-in of an address, for the secretariat's list of people (one Query on the partition). */
  lastSignIn: (assessmentId: string, email: string) => ({
    PK: `SIGNIN#${assessmentId}`,
    SK: `LAST#${email}`,
  }),
  /** One source address's requests in one fixed window (`code` or `session`); TTL `expiresAt`. */
  signInRate: (scope: string, source: string, windowStart: number) => ({
    PK: `SIGNINRATE#${scope}#${source}`,
    SK: String(windowStart),
  }),
  auditByAgency: (assessmentId: string, agencyId: string, at: string, id: string) => ({
    GSI1PK: `AUDIT#${assessmentId}#AGENCY#${agencyId}`,
    GSI1SK: `${at}#${id}`,
  }),
} as const;

/** The SK kind of an item read back from a query, for sorting a mixed result into its parts. */
export const skKind = (
  sk: string,
): 'meta' | 'milestone' | 'task' | 'result' | 'agency' | 'evidence' | 'other' => {
  if (sk === 'META') return 'meta';
  if (sk.startsWith('MILESTONE#')) return 'milestone';
  if (sk.startsWith('TASK#')) return 'task';
  if (sk.startsWith('RESULT#')) return 'result';
  if (sk.startsWith('AGENCY#'))
    return sk.endsWith('#') ? 'agency' : sk.includes('#OIT#') ? 'evidence' : 'other';
  return 'other';
};
