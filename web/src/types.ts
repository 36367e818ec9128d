import type { LinkListAnswer } from '../../shared/domain/link-list.ts';
import type { LinkView } from '../../shared/domain/link-watch.ts';
import type { PaceFinding } from '../../shared/domain/pace.ts';

export type { CalendarFeedLink } from '../../shared/domain/auth.ts';

/** The API's answers as the pages read them (the OpenAPI document is the full contract). */
export type AppConfig = { assessmentId: string; province: string };

export type SessionInfo = {
  role: string;
  agencyId?: string;
  assessmentId: string;
  label: string;
  expiresAt: string;
};

export type RoleChoice = { role: string; agencyId?: string; label: string };

export type SessionCreated = {
  token: string;
  role: 'admin' | 'agency' | 'approver' | 'viewer';
  agencyId?: string;
  assessmentId: string;
  expiresAt: string;
  email: string;
};

/** One evidence URL's health as the progress route and the review queue show it. */
export type EvidenceLink = LinkView;

export type EvidenceItem = {
  itemId: string;
  nameTh: string;
  status: 'missing' | 'submitted' | 'approved' | 'rejected';
  urls?: string[];
  note?: string;
  submittedAt?: string;
  submittedBy?: string;
  reviewedAt?: string;
  rejectionReason?: string;
  updatedAt?: string;
  version?: number;
  links?: EvidenceLink[];
};

/** `GET /assessments/{id}/links?state=dead`: the dead links by agency. */
export type LinkList = LinkListAnswer;

export type QueueItem = EvidenceItem & { agencyId: string };

export type SurveyState = {
  tool: 'iit' | 'eit';
  required: number;
  responses: number;
  asOf?: string | null;
  history?: { asOf: string; responses: number }[];
};

export type AgencyTaskState = {
  taskId: string;
  title?: string;
  window?: { start: string; end: string };
  overallStatus?: string;
  status: string;
  progress: number;
  updatedAt?: string;
};

export type AgencyProgress = {
  assessmentId: string;
  agency: { id: string; nameTh: string };
  oit: { assigned: number; submitted: number; approved: number; rejected: number; done: number };
  surveys: { iit: SurveyState; eit: SurveyState };
  openTasks: number;
  tasks: AgencyTaskState[];
  items: EvidenceItem[];
  version: number;
};

export type ProgressRow = {
  agencyId: string;
  nameTh: string;
  state: string;
  oit: { assigned: number; done: number };
  surveys: Record<'iit' | 'eit', { required: number; responses: number; asOf: string | null }>;
  openTasks: number;
  findings: PaceFinding[];
};

export type Progress = { assessmentId: string; unitName: string; date: string; agencies: ProgressRow[] };

export type Milestone = {
  number: number;
  title: string;
  window: { start: string; end: string };
  windowTh: string;
  tracks: string;
};

export type AssessmentView = {
  id: string;
  unitName: string;
  fiscalYear: number;
  milestones: Milestone[];
};

type ForecastEnd = {
  total: number;
  label: string;
  grade: string;
  oit: number;
  passingItems: number;
  targets: { target: number; itemsNeeded: number | null; items: string[] }[];
};

export type Forecast = {
  conservative: ForecastEnd;
  optimistic: ForecastEnd;
  ceiling: number;
  surveys: { iit: number; eit: number; source: string; fromFiscalYear?: number };
  items: { status: string }[];
};
