import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { authorize } from '#domain/policy';
import { AssessmentPath } from '#domain/requests';
import { formatThaiDate } from '#domain/thai-date';
import { csvDocument, csvResponse } from '#http/csv';
import { dispatch } from '#http/dispatch';
import { type HttpFunction, httpHandler } from '#http/handler';
import { parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent } from '#http/types';
import { tableDeps } from '#runtime/table';
import { provinceProgress } from '#use-cases/progress';

const deps = tableDeps({ assessments: { getOverview: assessmentTable.getOverview } });

const STATE_TH = {
  'not-started': 'ยังไม่เริ่ม',
  'on-track': 'ตามแผน',
  behind: 'ล่าช้า',
  overdue: 'เกินกำหนด',
  complete: 'ครบถ้วน',
} as const;

const HEADERS = [
  'รหัสหน่วยงาน',
  'ชื่อหน่วยงาน',
  'สถานะ',
  'OIT ที่ได้รับมอบหมาย',
  'OIT ส่งแล้ว (รอตรวจ)',
  'OIT อนุมัติแล้ว',
  'OIT ถูกตีกลับ',
  'IIT ตอบแล้ว',
  'IIT ขั้นต่ำ',
  'IIT ข้อมูล ณ วันที่',
  'EIT ตอบแล้ว',
  'EIT ขั้นต่ำ',
  'EIT ข้อมูล ณ วันที่',
  'งานพัฒนาที่ยังไม่เสร็จ',
  'เกินกำหนด (วัน)',
];

/** An agency token sees its own row only; the others see every agency. */
const progressFor = async (event: HttpEvent) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'progress.read', {
    assessmentId: id,
    ...(principal.agencyId ? { agencyId: principal.agencyId } : {}),
  });
  return provinceProgress(deps(), { assessmentId: id, agencyId: principal.agencyId });
};

/** GET /assessments/{id}/progress. */
const get: HttpFunction = async (event) => json(200, await progressFor(event));

/** GET /assessments/{id}/progress.csv: the same rows for Excel (UTF-8 with BOM, Thai headers, CRLF). */
const getCsv: HttpFunction = async (event) => {
  const progress = await progressFor(event);
  const thaiDate = (iso: string | null) => (iso ? formatThaiDate(iso) : '');
  const rows = progress.agencies.map((a) => [
    a.agencyId,
    a.nameTh,
    STATE_TH[a.state],
    a.oit.assigned,
    a.oit.submitted,
    a.oit.approved,
    a.oit.rejected,
    a.surveys.iit.responses,
    a.surveys.iit.required,
    thaiDate(a.surveys.iit.asOf),
    a.surveys.eit.responses,
    a.surveys.eit.required,
    thaiDate(a.surveys.eit.asOf),
    a.openTasks,
    a.daysOverdue,
  ]);
  return csvResponse(
    `ita-progress-${progress.assessmentId}-${progress.date}.csv`,
    csvDocument([HEADERS, ...rows]),
  );
};

export const progress = dispatch({
  'GET /assessments/{id}/progress': get,
  'GET /assessments/{id}/progress.csv': getCsv,
});

export const handler = httpHandler(progress);
