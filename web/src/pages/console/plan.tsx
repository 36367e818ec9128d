import { useState } from 'preact/hooks';
import type { PlanWarning } from '../../../../shared/domain/plan-check.ts';
import { formatThaiWindow } from '../../../../shared/domain/thai-date.ts';
import { ApiError, assessmentPath, request } from '../../api.ts';
import { Notice, ThaiDateInput, useAction } from '../../components.tsx';
import type { Session } from '../../session.ts';
import { useLoaded } from './shared.ts';

type Window = { start: string; end: string };

type PlanMilestone = {
  number: number;
  title: string;
  periodText: string;
  window: Window;
  windowTh: string;
  responsible: { text: string; role: string };
  tracks: string;
};

type PlanView = {
  id: string;
  fiscalYear: number;
  window: Window;
  windowTh: string;
  version: number;
  milestones: PlanMilestone[];
};

/** An edited window: each date ISO, or '' while the picker holds no real date (31 เม.ย., a year half typed). */
type DraftWindow = { start: string; end: string };

/** What is wrong with an edited window, in Thai, or null. */
const windowProblem = (draft: DraftWindow): string | null => {
  if (!draft.start) return 'วันเริ่มไม่ถูกต้อง: วันนี้ไม่มีในปฏิทิน หรือยังกรอกไม่ครบ';
  if (!draft.end) return 'วันสิ้นสุดไม่ถูกต้อง: วันนี้ไม่มีในปฏิทิน หรือยังกรอกไม่ครบ';
  if (draft.start > draft.end) return 'วันสิ้นสุดต้องไม่ก่อนวันเริ่ม';
  return null;
};

const sameWindow = (a: Window, b: Window) => a.start === b.start && a.end === b.end;

/**
 * The plan's milestones and their windows, edited with a Thai date picker (day, Thai month, BE
 * year; ISO sent) and saved whole with `PUT …/plan` and `If-Match` = the version read. Edits are
 * kept apart from what was read: a 409 (someone changed the plan meanwhile) reloads the plan and
 * keeps the edits in the form, each beside what the plan holds now, to be saved again. The API's
 * warnings (a window outside the fiscal year) are shown beside their milestone.
 */
export const PlanSection = ({ session }: { session: Session }) => {
  const aid = session.assessmentId;
  const { data, error, reload } = useLoaded(
    () => request<PlanView>('GET', assessmentPath(aid), { token: session.token }),
    [aid, session.token],
  );
  const [drafts, setDrafts] = useState<Record<number, DraftWindow>>({});
  const [warnings, setWarnings] = useState<PlanWarning[]>([]);
  const [conflict, setConflict] = useState(false);
  const action = useAction();

  if (!data)
    return (
      <section class="card" aria-labelledby="section-heading">
        <h2 id="section-heading">แผนและกำหนดการ</h2>
        {error ? <Notice message={{ kind: 'error', text: error }} /> : <p class="muted">กำลังโหลด…</p>}
      </section>
    );

  const edited = Object.keys(drafts).map(Number);
  const problems = Object.fromEntries(
    Object.entries(drafts).flatMap(([n, d]) => {
      const problem = windowProblem(d);
      return problem ? [[n, problem]] : [];
    }),
  ) as Record<string, string>;

  const setDraft = (m: PlanMilestone, which: 'start' | 'end', iso: string) =>
    setDrafts((all) => {
      const current = all[m.number] ?? m.window;
      return { ...all, [m.number]: { ...current, [which]: iso } };
    });

  const drop = (number: number) =>
    setDrafts((all) => {
      const { [number]: _dropped, ...rest } = all;
      return rest;
    });

  const save = (event: Event) => {
    event.preventDefault();
    if (Object.keys(problems).length > 0) {
      action.setMessage({ kind: 'error', text: 'ยังบันทึกไม่ได้: มีวันที่ที่ไม่ถูกต้อง (ดูข้อความที่ขั้นตอนนั้น)' });
      return;
    }
    if (edited.length === 0) {
      action.setMessage({ kind: 'info', text: 'ยังไม่มีการแก้ไข' });
      return;
    }
    void action.run(
      async (key) => {
        const milestones = data.milestones.map(({ windowTh: _shown, ...m }) => {
          const draft = drafts[m.number];
          if (!draft) return m;
          const window = { start: draft.start, end: draft.end };
          // The plan's own wording of a period no longer holds once its dates move: the new dates in Thai.
          return sameWindow(window, m.window)
            ? m
            : { ...m, window, periodText: formatThaiWindow(window, 'full') };
        });
        const answer = await request<{ warnings: PlanWarning[] }>('PUT', assessmentPath(aid, '/plan'), {
          token: session.token,
          idempotencyKey: key,
          ifMatch: data.version,
          body: { milestones },
        });
        setWarnings(answer.warnings);
        setDrafts({});
        setConflict(false);
        await reload();
        return answer.warnings.length > 0
          ? `บันทึกแผนแล้ว มีคำเตือน ${answer.warnings.length} รายการ (ดูที่ขั้นตอนที่เกี่ยวข้อง) ระบบปรับการแจ้งเตือนตามแผนใหม่ให้แล้ว`
          : 'บันทึกแผนแล้ว ระบบปรับการแจ้งเตือนตามแผนใหม่ให้แล้ว';
      },
      (failure) => {
        if (failure instanceof ApiError && failure.status === 409) {
          setConflict(true);
          void reload();
          action.setMessage({
            kind: 'error',
            text: 'บันทึกไม่ได้: มีผู้อื่นแก้ไขแผนหลังจากที่คุณเปิดหน้านี้ ระบบโหลดแผนล่าสุดแล้ว วันที่ที่คุณแก้ไว้ยังอยู่ในแบบฟอร์ม (ขั้นตอนที่มีป้าย "แก้ไขแล้ว" พร้อมค่าในระบบตอนนี้) ตรวจสอบแล้วกดบันทึกอีกครั้ง',
          });
        }
      },
    );
  };

  return (
    <section class="card" aria-labelledby="section-heading" id="plan-editor">
      <h2 id="section-heading">แผนและกำหนดการ</h2>
      <p class="muted">
        ปีงบประมาณ พ.ศ. {data.fiscalYear} ({data.windowTh}) แก้ช่วงเวลาของแต่ละขั้นตอนด้วยวัน เดือน และปี พ.ศ.
        แล้วกดบันทึกแผน ระบบจะปรับกำหนดการแจ้งเตือนตามแผนใหม่
      </p>
      <form onSubmit={save} class="stack" noValidate>
        <ol class="plan-list">
          {data.milestones.map((m) => {
            const draft = drafts[m.number];
            const shown = draft ?? m.window;
            const warning = warnings.find((w) => w.milestone === m.number);
            const problem = problems[String(m.number)];
            return (
              <li key={m.number} class="plan-milestone" data-milestone={m.number}>
                <h3>
                  ขั้นตอนที่ {m.number}: {m.title}
                  {draft && <span class="badge submitted plan-edited">แก้ไขแล้ว</span>}
                </h3>
                <p class="muted">
                  ในระบบ: <span data-window={m.number}>{m.windowTh}</span> · ผู้รับผิดชอบ: {m.responsible.text}
                </p>
                <div class="row plan-dates">
                  <ThaiDateInput
                    id={`m${m.number}-start`}
                    legend={`วันเริ่มขั้นตอนที่ ${m.number}`}
                    value={shown.start}
                    required
                    onChange={(iso) => setDraft(m, 'start', iso)}
                  />
                  <ThaiDateInput
                    id={`m${m.number}-end`}
                    legend={`วันสิ้นสุดขั้นตอนที่ ${m.number}`}
                    value={shown.end}
                    required
                    onChange={(iso) => setDraft(m, 'end', iso)}
                  />
                </div>
                {problem && (
                  <p class="reason" role="alert" data-problem={m.number}>
                    {problem}
                  </p>
                )}
                {draft && conflict && (
                  <p class="notice info" data-conflict={m.number}>
                    ค่าที่คุณแก้ไว้ยังไม่ได้บันทึก ค่าในระบบตอนนี้: {m.windowTh}
                  </p>
                )}
                {warning && (
                  <p class="reason" data-warning={m.number}>
                    คำเตือน: ช่วงเวลานี้อยู่นอกปีงบประมาณ พ.ศ. {data.fiscalYear} ({data.windowTh}) ระบบบันทึกให้แล้ว
                    ตรวจสอบว่าตั้งใจ
                  </p>
                )}
                {draft && (
                  <button type="button" class="secondary" onClick={() => drop(m.number)}>
                    ใช้ค่าในระบบ (ยกเลิกการแก้ขั้นตอนที่ {m.number})
                  </button>
                )}
              </li>
            );
          })}
        </ol>
        <Notice id="plan-message" message={action.message} />
        <button type="submit" disabled={action.busy} id="plan-save">
          บันทึกแผน{edited.length > 0 ? ` (แก้ไข ${edited.length} ขั้นตอน)` : ''}
        </button>
      </form>
    </section>
  );
};
