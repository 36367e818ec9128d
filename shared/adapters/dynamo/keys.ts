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
  evidence: (assessmentId: string, agencyId: string, itemId: string) => ({
    PK: `A#${assessmentId}`,
    SK: `AGENCY#${agencyId}#OIT#${itemId}`,
  }),
  assessmentPartition: (assessmentId: string) => `A#${assessmentId}`,
  /** GSI1 keys for the items that make up the province overview. */
  overview: (assessmentId: string, sk: string) => ({ GSI1PK: `A#${assessmentId}`, GSI1SK: sk }),
  audit: (assessmentId: string, at: string, id: string) => ({
    PK: `AUDIT#${assessmentId}`,
    SK: `${at}#${id}`,
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
