import { useState } from 'preact/hooks';
import { TASK_STATUS_TH } from '../../../../shared/domain/labels.ts';
import { ApiError, assessmentPath, request } from '../../api.ts';
import { Notice, ScrollTable, ThaiDateInput, textValue, useAction } from '../../components.tsx';
import { thaiDate } from '../../format.ts';
import { thaiError } from '../../messages.ts';
import type { Session } from '../../session.ts';
import { useLoaded } from './shared.ts';

type WeakQuestion = { code: string; tool: string; score: number; text: string };
type Analysis = {
  fiscalYear: number;
  threshold: number;
  weak: number;
  groups: { theme: { number: number; title: string }; questions: WeakQuestion[] }[];
};
type Task = {
  id: string;
  theme: { number: number; title: string };
  questions: { code: string; text: string; lastYearScore?: number }[];
  guideline: string;
  method: string;
  window: { start: string; end: string };
  responsibleAgencies: 'all' | string[];
  status: keyof typeof TASK_STATUS_TH;
  progress: number;
  version: number;
  agencies: { agencyId: string; status: string; progress: number }[];
};
type Agency = { id: string; nameTh: string };
type Base = { tasks: Task[]; agencies: Agency[]; years: number[]; fiscalYear: number };

const TOOL_TH: Record<string, string> = { iit: 'IIT', eit: 'EIT', oit: 'OIT' };

/**
 * Results analysis and improvement tasks (seed: the analysis table): a year's questions under a
 * threshold grouped by the plan's seven themes, one draft task per weak question, each draft
 * reworded, moved (BE dates), given to agencies and published; a published task cancelled.
 */
export const TasksSection = ({ session }: { session: Session }) => {
  const aid = session.assessmentId;
  const token = session.token;
  const base = useLoaded<Base>(async () => {
    const [tasks, agencies, results, assessment] = await Promise.all([
      request<{ tasks: Task[] }>('GET', assessmentPath(aid, '/tasks'), { token }),
      request<{ agencies: Agency[] }>('GET', assessmentPath(aid, '/agencies'), { token }),
      request<{ years: { fiscalYear: number }[] }>('GET', assessmentPath(aid, '/results'), { token }),
      request<{ fiscalYear: number }>('GET', assessmentPath(aid), { token }),
    ]);
    const years = [...new Set([...results.years.map((y) => y.fiscalYear), assessment.fiscalYear - 1])].sort(
      (a, b) => b - a,
    );
    return { tasks: tasks.tasks, agencies: agencies.agencies, years, fiscalYear: assessment.fiscalYear };
  }, [aid, token]);

  return (
    <>
      <section class="card" aria-labelledby="section-heading">
        <h2 id="section-heading">วิเคราะห์ผลและงานปรับปรุง</h2>
        <p class="muted">
          ข้อคำถามที่ได้คะแนนต่ำกว่าเกณฑ์ของปีที่เลือก จัดกลุ่มตามประเด็นการพัฒนา 7 ประเด็นของแผน แล้วสร้างเป็นร่างงานปรับปรุง
          ร่างยังไม่มีผลกับส่วนราชการจนกว่าจะเผยแพร่
        </p>
        {base.error && <Notice message={{ kind: 'error', text: base.error }} />}
        {base.data && (
          <AnalysisPanel session={session} years={base.data.years} onDrafted={() => void base.reload()} />
        )}
      </section>
      {base.data && <TaskList session={session} data={base.data} reload={base.reload} />}
    </>
  );
};

const AnalysisPanel = ({
  session,
  years,
  onDrafted,
}: {
  session: Session;
  years: number[];
  onDrafted: () => void;
}) => {
  const [year, setYear] = useState(String(years[0] ?? ''));
  const [threshold, setThreshold] = useState('85');
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const show = useAction();
  const draft = useAction();
  const path = (rest: string) =>
    assessmentPath(session.assessmentId, `/results/${encodeURIComponent(year)}/analysis${rest}`);
  const validThreshold = /^\d{1,3}(\.\d{1,2})?$/.test(threshold) && Number(threshold) <= 100;

  const analyse = (event: Event) => {
    event.preventDefault();
    if (!validThreshold) {
      show.setMessage({ kind: 'error', text: 'เกณฑ์คะแนนต้องเป็นตัวเลข 0 ถึง 100' });
      return;
    }
    void show.run(
      async () => {
        const found = await request<Analysis>('GET', path(`?threshold=${threshold}`), {
          token: session.token,
        });
        setAnalysis(found);
        return `ปีงบประมาณ ${found.fiscalYear}: ข้อที่ได้คะแนนต่ำกว่า ${found.threshold} มี ${found.weak} ข้อ`;
      },
      (error) => {
        setAnalysis(null);
        if (error instanceof ApiError && error.status === 404)
          show.setMessage({
            kind: 'error',
            text: `ยังไม่ได้นำเข้าผลคะแนนรายข้อของปีงบประมาณ ${year} (PUT …/results/${year}/questions) จึงยังวิเคราะห์ไม่ได้`,
          });
      },
    );
  };

  const createDrafts = () =>
    void draft.run(async (key) => {
      const outcome = await request<{ created: string[]; existing: string[] }>(
        'POST',
        path(`/tasks?threshold=${threshold}`),
        { token: session.token, idempotencyKey: key },
      );
      onDrafted();
      return `สร้างร่างงานปรับปรุงใหม่ ${outcome.created.length} งาน${outcome.existing.length ? ` (มีร่างอยู่แล้ว ${outcome.existing.length} งาน ไม่สร้างซ้ำ)` : ''}`;
    });

  return (
    <>
      <form class="row" onSubmit={analyse} aria-label="เลือกปีและเกณฑ์คะแนน">
        <div class="field">
          <label for="analysis-year">ผลการประเมินปีงบประมาณ (พ.ศ.)</label>
          <select id="analysis-year" value={year} onChange={(e) => setYear(e.currentTarget.value)}>
            {years.map((y) => (
              <option key={y} value={String(y)}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="analysis-threshold">เกณฑ์คะแนน (ข้อที่ต่ำกว่านี้ต้องปรับปรุง)</label>
          <input
            id="analysis-threshold"
            inputMode="decimal"
            value={threshold}
            aria-invalid={!validThreshold}
            onInput={(e) => setThreshold(e.currentTarget.value.trim())}
          />
        </div>
        <div class="field">
          <button type="submit" disabled={show.busy}>
            แสดงผลวิเคราะห์
          </button>
        </div>
      </form>
      <Notice id="analysis-message" message={show.message} />
      {analysis && (
        <div id="analysis-result">
          {analysis.groups.length === 0 && <p>ไม่มีข้อที่ได้คะแนนต่ำกว่าเกณฑ์</p>}
          {analysis.groups.map((group) => (
            <ThemeTable key={group.theme.number} group={group} />
          ))}
          {analysis.weak > 0 && (
            <button type="button" id="create-drafts" disabled={draft.busy} onClick={createDrafts}>
              สร้างร่างงานปรับปรุง ({analysis.weak} ข้อ)
            </button>
          )}
          <Notice id="drafts-message" message={draft.message} />
        </div>
      )}
    </>
  );
};

/** One theme's weak questions: a table that scrolls sideways on a phone. */
const ThemeTable = ({ group }: { group: Analysis['groups'][number] }) => (
  <ScrollTable
    class="console-table"
    data-theme={group.theme.number}
    captionId={`theme-${group.theme.number}-caption`}
    caption={
      <>
        {group.theme.number > 0 ? `ประเด็นที่ ${group.theme.number}: ` : ''}
        {group.theme.title} ({group.questions.length} ข้อ)
      </>
    }
    columns={['ข้อ', 'แบบวัด', 'คำถาม / รายการ', 'คะแนน']}
  >
    {group.questions.map((q) => (
      <tr key={q.code}>
        <th scope="row">{q.code}</th>
        <td>{TOOL_TH[q.tool] ?? q.tool}</td>
        <td>{q.text}</td>
        <td class="num">{q.score.toFixed(2)}</td>
      </tr>
    ))}
  </ScrollTable>
);

const responsibleText = (task: Task, names: Map<string, string>) =>
  task.responsibleAgencies === 'all'
    ? 'ทุกส่วนราชการ'
    : task.responsibleAgencies.map((id) => names.get(id) ?? id).join(', ') || 'ยังไม่กำหนด';

const TaskList = ({
  session,
  data,
  reload,
}: {
  session: Session;
  data: Base;
  reload: () => Promise<void>;
}) => {
  const [editing, setEditing] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const names = new Map(data.agencies.map((a) => [a.id, a.nameTh]));
  const tasks = [...data.tasks].sort(
    (a, b) => Number(b.status === 'draft') - Number(a.status === 'draft') || a.id.localeCompare(b.id),
  );
  const task = tasks.find((t) => t.id === editing);
  return (
    <section class="card" aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">งานพัฒนาและร่างงานปรับปรุง ({tasks.length} งาน)</h2>
      <Notice id="tasks-message" message={message} />
      <ScrollTable
        class="console-table"
        id="task-table"
        captionId="task-table-caption"
        caption="ร่างอยู่ด้านบน แก้ไขและเผยแพร่ได้เฉพาะร่าง งานที่เผยแพร่แล้วยกเลิกได้"
        columns={['งาน', 'ประเด็น', 'ช่วงเวลา', 'ผู้รับผิดชอบ', 'สถานะ', 'จัดการ']}
      >
        {tasks.map((t) => (
          <tr key={t.id} data-task={t.id} data-status={t.status}>
            <th scope="row">
              <span class="muted">{t.id}</span>
              <br />
              {t.guideline}
            </th>
            <td>{t.theme.title}</td>
            <td>
              {thaiDate(t.window.start)} – {thaiDate(t.window.end)}
            </td>
            <td>{responsibleText(t, names)}</td>
            <td>
              {TASK_STATUS_TH[t.status] ?? t.status}
              {t.status !== 'draft' ? ` (${t.progress}%)` : ''}
            </td>
            <td>
              {t.status === 'draft' ? (
                <button
                  type="button"
                  class="secondary"
                  aria-expanded={editing === t.id}
                  aria-controls="task-editor"
                  onClick={() => setEditing(editing === t.id ? null : t.id)}
                >
                  แก้ไขและเผยแพร่<span class="visually-hidden"> {t.id}</span>
                </button>
              ) : t.status !== 'cancelled' ? (
                <CancelTask
                  session={session}
                  task={t}
                  onDone={(text) => {
                    setMessage(text);
                    void reload();
                  }}
                />
              ) : null}
            </td>
          </tr>
        ))}
      </ScrollTable>
      {task && (
        <DraftEditor
          key={`${task.id}-${task.version}`}
          session={session}
          task={task}
          agencies={data.agencies}
          onSaved={(text, published) => {
            setMessage(text);
            if (published) setEditing(null);
            void reload();
          }}
          onConflict={(text) => {
            setMessage({ kind: 'error', text });
            void reload();
          }}
        />
      )}
    </section>
  );
};

/** One PATCH of a task the page shows, under that task's version (`If-Match`) and the action's key. */
const patchTask = (session: Session, task: Task, idempotencyKey: string, body: Record<string, unknown>) =>
  request('PATCH', assessmentPath(session.assessmentId, `/tasks/${encodeURIComponent(task.id)}`), {
    token: session.token,
    idempotencyKey,
    ifMatch: task.version,
    body,
  });

const CancelTask = ({
  session,
  task,
  onDone,
}: {
  session: Session;
  task: Task;
  onDone: (message: { kind: 'ok' | 'error'; text: string }) => void;
}) => {
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const cancel = () =>
    void action.run(
      async (key) => {
        await patchTask(session, task, key, { status: 'cancelled' });
        const text = `ยกเลิกงาน ${task.id} แล้ว ส่วนราชการจะไม่ได้รับการติดตามงานนี้อีก`;
        onDone({ kind: 'ok', text });
        return text;
      },
      (error) => {
        if (error instanceof ApiError && error.status !== 0)
          onDone({ kind: 'error', text: `งาน ${task.id}: ${thaiError(error)}` });
      },
    );
  if (!confirming)
    return (
      <button type="button" class="secondary" onClick={() => setConfirming(true)}>
        ยกเลิกงาน<span class="visually-hidden"> {task.id}</span>
      </button>
    );
  return (
    <fieldset class="confirm">
      <legend>ยกเลิกงาน {task.id} สำหรับทุกส่วนราชการ? ย้อนกลับได้โดยฝ่ายเลขานุการเท่านั้น</legend>
      <div class="actions">
        <button type="button" class="reject" disabled={action.busy} onClick={cancel}>
          ยืนยันยกเลิกงาน
        </button>
        <button type="button" class="secondary" onClick={() => setConfirming(false)}>
          ไม่ยกเลิก
        </button>
      </div>
      <Notice message={action.message} />
    </fieldset>
  );
};

const DraftEditor = ({
  session,
  task,
  agencies,
  onSaved,
  onConflict,
}: {
  session: Session;
  task: Task;
  agencies: Agency[];
  onSaved: (message: { kind: 'ok'; text: string }, published: boolean) => void;
  /** A 409 (someone changed the task meanwhile): the list shows the Thai message and reloads. */
  onConflict: (text: string) => void;
}) => {
  const [guideline, setGuideline] = useState(task.guideline);
  const [method, setMethod] = useState(task.method);
  const [start, setStart] = useState(task.window.start);
  const [end, setEnd] = useState(task.window.end);
  const [scope, setScope] = useState<'all' | 'some'>(task.responsibleAgencies === 'all' ? 'all' : 'some');
  const [chosen, setChosen] = useState<string[]>(
    task.responsibleAgencies === 'all' ? [] : task.responsibleAgencies,
  );
  const [confirming, setConfirming] = useState(false);
  const action = useAction();

  const problem = (): string | null => {
    if (!guideline.trim()) return 'กรุณากรอกชื่องาน / แนวทางการพัฒนา';
    if (!start || !end) return 'กรุณากรอกวันเริ่มและวันสิ้นสุดให้ครบ (ปี พ.ศ.)';
    if (start > end) return 'วันเริ่มต้องไม่หลังวันสิ้นสุด';
    if (scope === 'some' && chosen.length === 0) return 'กรุณาเลือกส่วนราชการที่รับผิดชอบอย่างน้อย 1 แห่ง';
    return null;
  };

  const save = (publish: boolean) => {
    const wrong = problem();
    if (wrong) {
      action.setMessage({ kind: 'error', text: wrong });
      setConfirming(false);
      return;
    }
    void action.run(
      async (key) => {
        await patchTask(session, task, key, {
          guideline: guideline.trim(),
          method,
          window: { start, end },
          responsibleAgencies: scope === 'all' ? 'all' : chosen,
          ...(publish ? { status: 'planned' } : {}),
        });
        const text = publish ? `เผยแพร่งาน ${task.id} ให้ส่วนราชการแล้ว` : `บันทึกร่าง ${task.id} แล้ว (ยังไม่เผยแพร่)`;
        onSaved({ kind: 'ok', text }, publish);
        return text;
      },
      (error) => {
        if (error instanceof ApiError && error.status === 409) onConflict(`${task.id}: ${thaiError(error)}`);
      },
    );
  };

  const toggle = (id: string, on: boolean) =>
    setChosen(on ? [...new Set([...chosen, id])] : chosen.filter((c) => c !== id));

  return (
    <form
      id="task-editor"
      class="stack editor"
      aria-labelledby="task-editor-heading"
      onSubmit={(e) => {
        e.preventDefault();
        save(false);
      }}
    >
      <h3 id="task-editor-heading">แก้ไขร่าง {task.id}</h3>
      <p class="muted">
        {task.theme.title} · ข้อ {task.questions.map((q) => q.code).join(', ')}
      </p>
      <label for="task-guideline">ชื่องาน / แนวทางการพัฒนา</label>
      <textarea id="task-guideline" rows={2} required {...textValue(guideline, setGuideline)} />
      <label for="task-method">วิธีการดำเนินงาน</label>
      <textarea id="task-method" rows={3} {...textValue(method, setMethod)} />
      <div class="row">
        <ThaiDateInput id="task-start" legend="วันเริ่ม" value={start} onChange={setStart} required />
        <ThaiDateInput id="task-end" legend="วันสิ้นสุด" value={end} onChange={setEnd} required />
      </div>
      <fieldset>
        <legend>ส่วนราชการที่รับผิดชอบ</legend>
        <label class="choice">
          <input type="radio" name="task-scope" checked={scope === 'all'} onChange={() => setScope('all')} />
          ทุกส่วนราชการ
        </label>
        <label class="choice">
          <input
            type="radio"
            name="task-scope"
            checked={scope === 'some'}
            onChange={() => setScope('some')}
          />
          เลือกเฉพาะบางส่วนราชการ
        </label>
        {scope === 'some' && (
          <div class="agency-choices">
            {agencies.map((a) => (
              <label class="check" key={a.id}>
                <input
                  type="checkbox"
                  value={a.id}
                  checked={chosen.includes(a.id)}
                  onChange={(e) => toggle(a.id, e.currentTarget.checked)}
                />
                {a.nameTh}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <div class="actions">
        <button type="submit" class="secondary" disabled={action.busy}>
          บันทึกร่าง
        </button>
        {!confirming ? (
          <button type="button" disabled={action.busy} onClick={() => setConfirming(true)}>
            เผยแพร่ให้ส่วนราชการ…
          </button>
        ) : (
          <fieldset class="confirm">
            <legend>ส่วนราชการที่เลือกจะเห็นงานนี้และได้รับการติดตาม เผยแพร่แล้วกลับเป็นร่างไม่ได้</legend>
            <button type="button" id="confirm-publish" disabled={action.busy} onClick={() => save(true)}>
              ยืนยันเผยแพร่
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              ยังไม่เผยแพร่
            </button>
          </fieldset>
        )}
      </div>
      <Notice id="editor-message" message={action.message} />
    </form>
  );
};
