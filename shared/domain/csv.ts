import type { YearResultView } from './analysis.ts';
import type { ImprovementTask } from './improvement.ts';
import { TASK_STATUS_TH } from './labels.ts';

/**
 * The rows of the CSV reports (header first), Thai headers as the plan's tables word them. The
 * document itself (BOM, RFC 4180 quoting, CRLF) is `csvDocument` in shared/http/csv.ts.
 */

export type CsvRow = (string | number | null | undefined)[];

// ---------------------------------------------------------------- the reports

/** The improvement tasks in the seed's table columns, one row per task. */
export function taskRows(tasks: readonly ImprovementTask[]): CsvRow[] {
  return [
    [
      'รหัส',
      'ประเด็น',
      'ข้อคำถาม',
      'คะแนนปีที่ผ่านมา',
      'การวิเคราะห์ผลการประเมิน',
      'แนวทางการปฏิบัติ',
      'วิธีการปฏิบัติ',
      'ระยะเวลาการปฏิบัติ',
      'วันเริ่ม',
      'วันสิ้นสุด',
      'หน่วยงานที่รับผิดชอบ',
      'สถานะ',
      'ความคืบหน้า (%)',
    ],
    ...[...tasks]
      .sort((a, b) => a.theme.number - b.theme.number || a.id.localeCompare(b.id))
      .map((t) => [
        t.id,
        `${t.theme.number}. ${t.theme.title}`,
        t.questions.map((q) => `${q.code} ${q.text}`).join('\n'),
        t.questions.map((q) => q.lastYearScore ?? '').join(' / '),
        t.analysis,
        t.guideline,
        t.method,
        t.periodText,
        t.window.start,
        t.window.end,
        t.responsibleText,
        TASK_STATUS_TH[t.status],
        t.progress,
      ]),
  ];
}

/** Every year's results: the tools, computed and published totals, and the change from the year before. */
export function resultRows(history: readonly YearResultView[]): CsvRow[] {
  return [
    [
      'ปีงบประมาณ',
      'IIT',
      'EIT',
      'OIT',
      'คะแนนรวม (คำนวณ)',
      'ระดับ',
      'ผลการประเมิน',
      'คะแนนรวมที่ประกาศ',
      'ผลที่ประกาศ',
      'เปลี่ยนแปลง IIT',
      'เปลี่ยนแปลง EIT',
      'เปลี่ยนแปลง OIT',
      'เปลี่ยนแปลงรวม',
    ],
    ...history.map((y) => [
      y.fiscalYear,
      y.computed.iit,
      y.computed.eit,
      y.computed.oit,
      y.computed.total,
      y.computed.grade,
      y.computed.label,
      y.published.total,
      y.published.label,
      y.delta?.iit,
      y.delta?.eit,
      y.delta?.oit,
      y.delta?.total,
    ]),
  ];
}
