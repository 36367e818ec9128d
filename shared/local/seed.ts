import * as z from 'zod';
import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import agenciesData from '#data/phatthalung-2567.agencies.json' with { type: 'json' };
import planData from '#data/phatthalung-2567.plan.json' with { type: 'json' };
import { newAgencySummary } from '#domain/agency';
import { auditEntry } from '#domain/audit';
import { systemPrincipal } from '#domain/auth';
import { loadDefaultFramework } from '#domain/framework';
import { Agency, type Assessment, OitItem } from '#domain/model';
import { PlanData } from '#domain/plan-import';
import { fiscalYearWindow } from '#domain/thai-date';

export const SEEDED_ASSESSMENT_ID = 'phatthalung-2567';

const SampleAgencies = z.object({
  note: z.string(),
  agencies: z.array(Agency.extend({ oitItems: z.array(OitItem.shape.id) })),
});

export const sampleAgencies = () => SampleAgencies.parse(agenciesData).agencies;

type Repos = { assessments: AssessmentRepository; agencies: AgencyRepository };

/**
 * Seeds Phatthalung's FY2567 assessment from the checked-in data files (the imported plan, the
 * default framework, the clearly labelled sample agencies). Running it again changes nothing:
 * every step checks what is there first.
 */
export const seedPhatthalung = async (
  repos: Repos,
  now: Date = new Date(),
): Promise<'created' | 'present'> => {
  const at = now.toISOString();
  const plan = PlanData.parse(planData);
  const existing = await repos.assessments.getWithPlan(SEEDED_ASSESSMENT_ID);
  const framework = loadDefaultFramework(plan.fiscalYear);
  const audit = (agencyId?: string) =>
    auditEntry(
      systemPrincipal,
      {
        assessmentId: SEEDED_ASSESSMENT_ID,
        ...(agencyId ? { agencyId } : {}),
        action: 'seed',
        target: 'seed',
        changes: {},
      },
      at,
    );
  if (!existing) {
    const assessment: Assessment = {
      id: SEEDED_ASSESSMENT_ID,
      unitName: 'จังหวัดพัทลุง',
      fiscalYear: plan.fiscalYear,
      window: fiscalYearWindow(plan.fiscalYear),
      timeZone: 'Asia/Bangkok',
      framework,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    await repos.assessments.create(
      { assessment, milestones: plan.milestones, tasks: plan.improvementTasks, results: plan.results },
      audit(),
    );
  }
  for (const { oitItems, ...agency } of sampleAgencies()) {
    const detail = await repos.agencies.getDetail(SEEDED_ASSESSMENT_ID, agency.id);
    if (!detail) {
      await repos.agencies.create(
        newAgencySummary(SEEDED_ASSESSMENT_ID, agency, framework, at),
        audit(agency.id),
      );
    }
    await repos.agencies.assignOitItems(SEEDED_ASSESSMENT_ID, agency.id, oitItems, at, audit(agency.id));
  }
  return existing ? 'present' : 'created';
};
