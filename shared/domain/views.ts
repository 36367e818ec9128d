import { oitDone } from './agency.ts';
import type { AgencySummary, Assessment, Framework, Milestone, OitEvidence } from './model.ts';
import { formatThaiWindow } from './thai-date.ts';

/** What the API shows of an assessment and its plan: dates as ISO and as Thai BE text. */
export const assessmentView = (assessment: Assessment, milestones: Milestone[]) => ({
  id: assessment.id,
  unitName: assessment.unitName,
  fiscalYear: assessment.fiscalYear,
  window: assessment.window,
  windowTh: formatThaiWindow(assessment.window, 'full'),
  timeZone: assessment.timeZone,
  version: assessment.version,
  milestones: [...milestones]
    .sort((a, b) => a.number - b.number)
    .map((m) => ({ ...m, windowTh: formatThaiWindow(m.window, 'full') })),
});

export const agencyListItem = (summary: AgencySummary) => ({
  id: summary.agency.id,
  nameTh: summary.agency.nameTh,
});

/** One agency's OIT items, each with its status and name, and its counters. */
export const agencyProgressView = (framework: Framework, summary: AgencySummary, evidence: OitEvidence[]) => {
  const names = new Map(framework.oitItems.map((item) => [item.id, item.nameTh]));
  return {
    assessmentId: summary.assessmentId,
    agency: { id: summary.agency.id, nameTh: summary.agency.nameTh },
    oit: { ...summary.oit, done: oitDone(summary) },
    surveys: summary.surveys,
    items: evidence.map((e) => ({
      itemId: e.itemId,
      nameTh: names.get(e.itemId) ?? e.itemId,
      status: e.status,
      urls: e.urls,
      note: e.note,
      submittedAt: e.submittedAt,
      reviewedAt: e.reviewedAt,
      rejectionReason: e.rejectionReason,
      updatedAt: e.updatedAt,
    })),
    version: summary.version,
  };
};
