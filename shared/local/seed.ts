import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { createNotificationRepository } from '#adapters/dynamo/notification-repository';
import agenciesData from '#data/phatthalung-2567.agencies.json' with { type: 'json' };
import planData from '#data/phatthalung-2567.plan.json' with { type: 'json' };
import { newAgencySummary } from '#domain/agency';
import { auditEntry } from '#domain/audit';
import { loadDefaultFramework } from '#domain/framework';
import type { ImprovementTask } from '#domain/improvement';
import { Agency, type Assessment, OitItem } from '#domain/model';
import { NotificationSettings } from '#domain/notification-settings';
import { PlanData } from '#domain/plan-import';
import { systemPrincipal } from '#domain/principal';
import { fiscalYearWindow } from '#domain/thai-date';

export const SEEDED_ASSESSMENT_ID = 'phatthalung-2567';

const SampleAgencies = z.object({
  note: z.string(),
  agencies: z.array(z.extend(Agency, { oitItems: z.array(OitItem.shape.id) })),
});

export const sampleAgencies = () => SampleAgencies.parse(agenciesData).agencies;

type Repos = {
  assessments: AssessmentRepository;
  agencies: AgencyRepository;
  client: DynamoDBDocumentClient;
  tableName: string;
};

/**
 * Phatthalung's notification settings: SAMPLE addresses at example.org, written through the same
 * repository (and route) a deployment uses; replace them with
 * PUT /assessments/phatthalung-2567/notification-settings.
 */
export const SAMPLE_NOTIFICATION_SETTINGS = NotificationSettings.parse({
  secretariatEmails: ['ita.secretariat@example.org'],
  approverEmails: ['ita.approver@example.org'],
  viewerEmails: ['ita.committee@example.org'],
});

const withoutSpaces = (text: string) => text.normalize('NFC').replace(/\s+/g, '');

/**
 * The plan names responsible units in words, not ids. A task whose `responsibleText` names one of
 * the sample agencies (compared with whitespace removed: the plan writes `สำนักงาน จังหวัดพัทลุง`)
 * is given to it; `all` stays; any other text stays unassigned for the secretariat to assign.
 * This belongs to the seed, not the importer: the ids are the sample's.
 */
export const assignSampleAgencies = (
  tasks: readonly ImprovementTask[],
  agencies: readonly { id: string; nameTh: string }[],
): ImprovementTask[] =>
  tasks.map((task) => {
    if (task.responsibleAgencies === 'all') return task;
    const text = withoutSpaces(task.responsibleText);
    const named = agencies.filter((a) => text.includes(withoutSpaces(a.nameTh))).map((a) => a.id);
    return named.length > 0
      ? { ...task, responsibleAgencies: [...new Set([...task.responsibleAgencies, ...named])] }
      : task;
  });

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
  const samples = sampleAgencies();
  const tasks = assignSampleAgencies(plan.improvementTasks, samples);
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
      { assessment, milestones: plan.milestones, tasks, results: plan.results },
      audit(),
    );
  }
  // Agencies after the tasks: each summary is created with its own state of the tasks naming it.
  for (const { oitItems, ...agency } of samples) {
    const detail = await repos.agencies.getDetail(SEEDED_ASSESSMENT_ID, agency.id);
    if (!detail) {
      await repos.agencies.create(
        newAgencySummary(SEEDED_ASSESSMENT_ID, agency, framework, at, tasks),
        audit(agency.id),
      );
    }
    await repos.agencies.assignOitItems(SEEDED_ASSESSMENT_ID, agency.id, oitItems, at, audit(agency.id));
  }
  const notifications = createNotificationRepository(repos);
  if (!(await notifications.getSettings(SEEDED_ASSESSMENT_ID)))
    await notifications.putSettings(SEEDED_ASSESSMENT_ID, SAMPLE_NOTIFICATION_SETTINGS, 0, now, audit());
  return existing ? 'present' : 'created';
};
