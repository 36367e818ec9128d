import planData from '#data/phatthalung-2567.plan.json' with { type: 'json' };
import { newAgencySummary } from '#domain/agency';
import { IMPORT_FIELDS } from '#domain/agency-import';
import { auditEntry } from '#domain/audit';
import { loadDefaultFramework } from '#domain/framework';
import type { ImprovementTask } from '#domain/improvement';
import { type Agency, type Assessment, Milestone } from '#domain/model';
import { systemPrincipal } from '#domain/principal';
import type { Cell } from '#domain/spreadsheet';

export const NOW = '2024-02-15T01:30:00.000Z';

export const makeAssessment = (id: string): Assessment => ({
  id,
  unitName: 'จังหวัดทดสอบ',
  fiscalYear: 2567,
  window: { start: '2023-10-01', end: '2024-09-30' },
  timeZone: 'Asia/Bangkok',
  framework: loadDefaultFramework(2567),
  version: 1,
  createdAt: NOW,
  updatedAt: NOW,
});

/**
 * The milestones of the checked-in plan that the system tracks for every agency: 5 (IIT and EIT
 * responses, to 1 July 2567) and 7 (OIT publishing, to 31 March 2567). A fresh copy per call.
 */
export const makeMilestones = (): Milestone[] =>
  planData.milestones.filter((m) => m.number === 5 || m.number === 7).map((m) => Milestone.parse(m));

export const makeAgency = (id: string, overrides: Partial<Agency> = {}): Agency => ({
  id,
  nameTh: `หน่วยงานทดสอบ ${id}`,
  coordinator: { email: `coordinator@${id}.example.org` },
  head: { email: `head@${id}.example.org` },
  internalStaff: 120,
  externalStakeholders: 5000,
  ...overrides,
});

export type ImportRowValues = Partial<Record<(typeof IMPORT_FIELDS)[number], Cell>>;

/** One agency's row of an import sheet, its cells in `IMPORT_FIELDS` order; `overrides` replace cells. */
export const agencyImportRow = (id: string, overrides: ImportRowValues = {}): Cell[] => {
  const values: ImportRowValues = {
    id,
    nameTh: `สำนักงานนำเข้า ${id}`,
    coordinatorName: 'นางสาวสมใจ ใจดี',
    coordinatorEmail: `ita@${id}.example.org`,
    headName: null,
    headEmail: `head@${id}.example.org`,
    internalStaff: 35,
    externalStakeholders: 700,
    ...overrides,
  };
  return IMPORT_FIELDS.map((f) => values[f] ?? null);
};

export const audit = (assessmentId: string, agencyId?: string) =>
  auditEntry(
    systemPrincipal,
    { assessmentId, ...(agencyId ? { agencyId } : {}), action: 'test.setup', target: 'fixture', changes: {} },
    NOW,
  );

type Repos = {
  assessments: import('#adapters/dynamo/assessment-repository').AssessmentRepository;
  agencies: import('#adapters/dynamo/agency-repository').AgencyRepository;
};

/** An assessment with the given agencies, each assigned the given OIT items. */
export const seedAssessment = async (
  repos: Repos,
  { id = 'test-2567', agencyIds = ['agency-a'], items = ['o1', 'o2', 'o3'] } = {},
) => {
  const assessment = makeAssessment(id);
  await repos.assessments.create(
    { assessment, milestones: makeMilestones(), tasks: [], results: [] },
    audit(id),
  );
  for (const agencyId of agencyIds) {
    await repos.agencies.create(
      newAgencySummary(id, makeAgency(agencyId), assessment.framework, NOW),
      audit(id, agencyId),
    );
    await repos.agencies.assignOitItems(id, agencyId, items, NOW, audit(id, agencyId));
  }
  return assessment;
};

/** An improvement task on one OIT question, for every agency, planned, over 1 January – 31 March 2567. */
export const makeTask = (id: string, overrides: Partial<ImprovementTask> = {}): ImprovementTask => ({
  id,
  theme: { number: 1, title: 'การเปิดเผยข้อมูล' },
  questions: [{ code: 'o3', text: 'ข้อมูลการติดต่อ' }],
  analysis: 'คะแนนต่ำ',
  guideline: 'ปรับปรุงเว็บไซต์',
  method: 'ตรวจสอบทุกเดือน',
  periodText: 'มกราคม 2567 ถึง มีนาคม 2567',
  window: { start: '2024-01-01', end: '2024-03-31' },
  responsibleText: 'ทุกส่วนราชการ',
  responsibleAgencies: 'all',
  status: 'planned',
  progress: 0,
  version: 1,
  ...overrides,
});

/** A valid `POST …/tasks` body for `makeTask`'s task: what the API sets itself (status, progress, version) left out. */
export const taskRequestBody = (
  id: string,
  responsibleAgencies: 'all' | string[],
  extra: Record<string, unknown> = {},
) => {
  const {
    status: _status,
    progress: _progress,
    version: _version,
    ...body
  } = makeTask(id, { responsibleAgencies });
  return { ...body, ...extra };
};
