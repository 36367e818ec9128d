import type { Agency, AgencySummary, Framework, OitEvidence, SurveyTool } from './model.ts';
import { minimumSample } from './sample.ts';

/** The minimum samples an agency must collect, from the framework's rule and its populations. */
export const requiredSamples = (framework: Framework, agency: Agency): Record<SurveyTool, number> => ({
  iit: minimumSample(framework.sampleRule, 'iit', agency.internalStaff),
  eit: minimumSample(framework.sampleRule, 'eit', agency.externalStakeholders),
});

/** A new agency starts with nothing assigned and nothing reported. */
export const newAgencySummary = (
  assessmentId: string,
  agency: Agency,
  framework: Framework,
  now: string,
): AgencySummary => {
  const required = requiredSamples(framework, agency);
  return {
    assessmentId,
    agency,
    oit: { assigned: 0, submitted: 0, approved: 0, rejected: 0 },
    surveys: {
      iit: { tool: 'iit', required: required.iit, responses: 0, history: [] },
      eit: { tool: 'eit', required: required.eit, responses: 0, history: [] },
    },
    version: 1,
    updatedAt: now,
  };
};

export const missingEvidence = (
  assessmentId: string,
  agencyId: string,
  itemId: string,
  now: string,
): OitEvidence => ({
  assessmentId,
  agencyId,
  itemId,
  status: 'missing',
  urls: [],
  note: '',
  updatedAt: now,
  version: 1,
});

/** Items counted as done for pace: submitted and waiting for review, or already approved. */
export const oitDone = (summary: AgencySummary): number => summary.oit.submitted + summary.oit.approved;
