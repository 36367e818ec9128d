import { useEffect, useState } from 'preact/hooks';
import { findingLine } from '../../../shared/domain/emails/templates.ts';
import { ApiError, agencyPath, assessmentPath, request } from '../api.ts';
import { Badge, Bar, Notice, PageHeading, SubmitButton, textValue, useAction } from '../components.tsx';
import { thaiDate, thaiDateTime } from '../format.ts';
import { EvidenceLinks } from '../link-health.tsx';
import { ITEM_STATUS, PACE_STATE, TASK_STATUS, thaiError } from '../messages.ts';
import type { Session } from '../session.ts';
import type {
  AgencyProgress,
  AgencyTaskState,
  CalendarFeedLink,
  EvidenceItem,
  Progress,
  ProgressRow,
  SurveyState,
} from '../types.ts';

type Data = { detail: AgencyProgress; row: ProgressRow | undefined; date: string };

const TOOL_NAME = { iit: 'แบบวัด IIT (ผู้มีส่วนได้ส่วนเสียภายใน)', eit: 'แบบวัด EIT (ผู้มีส่วนได้ส่วนเสียภายนอก)' };

/**
 * An agency's work: its OIT items and their evidence, its IIT/EIT counts, its improvement tasks,
 * what is behind (the email's own sentences) and its calendar. Other roles see it read-only.
 */
export const AgencyPage = ({ session, agencyId }: { session: Session; agencyId: string }) => {
  const [data, setData] = useState<Data | null>(null);
  const [loadError, setLoadError] = useState<string>('');
  const editable = session.role === 'agency' && session.agencyId === agencyId;
  const aid = session.assessmentId;

  const load = async () => {
    try {
      const [detail, progress] = await Promise.all([
        request<AgencyProgress>('GET', agencyPath(aid, agencyId, '/progress'), { token: session.token }),
        request<Progress>('GET', assessmentPath(aid, '/progress'), { token: session.token }),
      ]);
      setData({ detail, row: progress.agencies.find((r) => r.agencyId === agencyId), date: progress.date });
      setLoadError('');
    } catch (error) {
      setLoadError(thaiError(error));
    }
  };

  useEffect(() => {
    void load();
  }, [agencyId, session.token]);

  if (!data)
    return (
      <section aria-labelledby="page-heading">
        <PageHeading>งานของหน่วยงาน</PageHeading>
        {loadError ? <Notice message={{ kind: 'error', text: loadError }} /> : <p class="muted">กำลังโหลด…</p>}
      </section>
    );

  const { detail, row, date } = data;
  return (
    <div class="page" data-agency-page={detail.agency.id}>
      <section class="card" aria-labelledby="page-heading">
        <PageHeading>{detail.agency.nameTh}</PageHeading>
        <p class="muted">
          ข้อมูล ณ วันที่ {thaiDate(date)}
          {row && (
            <>
              {' '}
              · สถานะรวม <Badge kind={row.state}>{PACE_STATE[row.state] ?? row.state}</Badge>
            </>
          )}
        </p>
        {!editable && <p class="muted">ดูอย่างเดียว: เฉพาะผู้รับผิดชอบของหน่วยงานนี้จึงแก้ไขได้</p>}
        <Bar name="oit" label="OIT" done={detail.oit.done} total={detail.oit.assigned} />
        <Bar name="iit" label="IIT" done={detail.surveys.iit.responses} total={detail.surveys.iit.required} />
        <Bar name="eit" label="EIT" done={detail.surveys.eit.responses} total={detail.surveys.eit.required} />
      </section>
      <Behind row={row} date={date} />
      <section class="card" aria-labelledby="oit-heading">
        <h2 id="oit-heading">ข้อ OIT ที่รับผิดชอบ ({detail.items.length} ข้อ)</h2>
        <p class="muted">ส่งลิงก์หน้าเว็บไซต์ของหน่วยงานที่เผยแพร่ข้อมูลของแต่ละข้อ ข้อที่ไม่อนุมัติส่งใหม่แทนของเดิมได้</p>
        <ul class="items">
          {detail.items.map((item) => (
            <OitItem
              key={item.itemId}
              item={item}
              editable={editable}
              session={session}
              agencyId={agencyId}
              reload={load}
            />
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="survey-heading">
        <h2 id="survey-heading">แบบวัด IIT และ EIT</h2>
        {(['iit', 'eit'] as const).map((tool) => (
          <Survey
            key={tool}
            tool={tool}
            state={detail.surveys[tool]}
            row={row}
            today={date}
            editable={editable}
            session={session}
            agencyId={agencyId}
            reload={load}
          />
        ))}
      </section>
      <section class="card" aria-labelledby="task-heading">
        <h2 id="task-heading">งานพัฒนาที่รับผิดชอบ</h2>
        {detail.tasks.length === 0 && <p class="muted">ไม่มีงานพัฒนาที่รับผิดชอบ</p>}
        <ul class="items">
          {detail.tasks.map((task) => (
            <Task
              key={task.taskId}
              task={task}
              version={detail.version}
              editable={editable}
              session={session}
              reload={load}
            />
          ))}
        </ul>
      </section>
      <Calendar session={session} agencyId={agencyId} />
    </div>
  );
};

/** What is behind, in the words of the reminder email (`findingLine` is the email's own function). */
const Behind = ({ row, date }: { row: ProgressRow | undefined; date: string }) => {
  const findings = row?.findings ?? [];
  return (
    <section class="card" aria-labelledby="behind-heading">
      <h2 id="behind-heading">สิ่งที่ล่าช้า</h2>
      {findings.length === 0 ? (
        <p id="behind-none">ไม่มีงานที่ล่าช้า</p>
      ) : (
        <ul id="behind-list">
          {findings.map((finding, index) => (
            <li key={`${finding.what}-${index}`} data-finding={finding.what}>
              {findingLine(finding, date)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};

/**
 * After a failed save the page shows the API's state again (a 409 means it moved), except when
 * the request got no answer: then the form stays as typed, so pressing the button again resends
 * the same action with the same Idempotency-Key.
 */
const reloadAfterAnswer = (reload: () => Promise<void>) => (error: unknown) => {
  if (!(error instanceof ApiError && error.status === 0)) void reload();
};

const linesOf = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

const OitItem = ({
  item,
  editable,
  session,
  agencyId,
  reload,
}: {
  item: EvidenceItem;
  editable: boolean;
  session: Session;
  agencyId: string;
  reload: () => Promise<void>;
}) => {
  const [urls, setUrls] = useState((item.urls ?? []).join('\n'));
  const [note, setNote] = useState(item.note ?? '');
  const action = useAction();
  const id = `oit-${item.itemId}`;
  const open = item.status === 'missing' || item.status === 'rejected';

  const submit = (event: Event) => {
    event.preventDefault();
    const list = linesOf(urls);
    if (list.length === 0) {
      action.setMessage({ kind: 'error', text: 'กรุณาใส่ลิงก์หลักฐานอย่างน้อย 1 ลิงก์ (บรรทัดละ 1 ลิงก์)' });
      return;
    }
    void action.run(async (key) => {
      await request(
        'PUT',
        agencyPath(session.assessmentId, agencyId, `/oit/${encodeURIComponent(item.itemId)}`),
        {
          token: session.token,
          idempotencyKey: key,
          body: { urls: list, ...(note.trim() ? { note: note.trim() } : {}) },
        },
      );
      await reload();
      return `ส่งหลักฐานข้อ ${item.itemId} แล้ว รอผู้อนุมัติพิจารณา`;
    }, reloadAfterAnswer(reload));
  };

  return (
    <li class="item" data-item={item.itemId} data-status={item.status}>
      <h3>
        <span>
          {item.itemId} {item.nameTh}
        </span>
        <Badge kind={item.status}>{ITEM_STATUS[item.status] ?? item.status}</Badge>
      </h3>
      {item.status === 'rejected' && item.rejectionReason && (
        <p class="reason" data-reason>
          เหตุผลที่ไม่อนุมัติ: {item.rejectionReason}
        </p>
      )}
      {item.submittedAt && <p class="muted">ส่งล่าสุด {thaiDateTime(item.submittedAt)}</p>}
      {item.urls && item.urls.length > 0 && <EvidenceLinks urls={item.urls} links={item.links} />}
      {editable && item.status !== 'approved' && (
        <details open={open}>
          <summary>{item.status === 'missing' ? 'ส่งหลักฐาน' : 'ส่งหลักฐานใหม่แทนของเดิม'}</summary>
          <form class="stack" onSubmit={submit}>
            <label for={`${id}-urls`}>ลิงก์หลักฐาน (บรรทัดละ 1 ลิงก์)</label>
            <textarea id={`${id}-urls`} name="urls" rows={3} inputMode="url" {...textValue(urls, setUrls)} />
            <label for={`${id}-note`}>หมายเหตุถึงผู้อนุมัติ (ถ้ามี)</label>
            <textarea id={`${id}-note`} name="note" rows={2} {...textValue(note, setNote)} />
            <SubmitButton busy={action.busy} busyLabel="กำลังบันทึก…">
              บันทึกหลักฐาน
            </SubmitButton>
          </form>
        </details>
      )}
      {item.status === 'approved' && (
        <p class="muted">อนุมัติแล้ว {item.reviewedAt ? thaiDateTime(item.reviewedAt) : ''}</p>
      )}
      <Notice message={action.message} />
    </li>
  );
};

const Survey = ({
  tool,
  state,
  row,
  today,
  editable,
  session,
  agencyId,
  reload,
}: {
  tool: 'iit' | 'eit';
  state: SurveyState;
  row: ProgressRow | undefined;
  /** Today in Asia/Bangkok as the API counts it (`date` of GET …/progress): the default and latest as-of. */
  today: string;
  editable: boolean;
  session: Session;
  agencyId: string;
  reload: () => Promise<void>;
}) => {
  const [responses, setResponses] = useState(String(state.responses));
  const [asOf, setAsOf] = useState(today);
  const [correction, setCorrection] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction();
  const behind = row?.findings.find((f) => f.what === 'survey-behind' && f.tool === tool);
  const expected = behind && behind.what === 'survey-behind' ? behind.expected : undefined;
  const id = `survey-${tool}`;

  const submit = (event: Event) => {
    event.preventDefault();
    const count = Number(responses);
    if (!/^\d+$/.test(responses.trim()) || !Number.isSafeInteger(count)) {
      action.setMessage({ kind: 'error', text: 'กรุณาใส่จำนวนผู้ตอบเป็นตัวเลขจำนวนเต็ม' });
      return;
    }
    if (correction && !reason.trim()) {
      action.setMessage({ kind: 'error', text: 'การแก้ไขยอดต้องระบุเหตุผล' });
      return;
    }
    void action.run(async (key) => {
      await request('PUT', agencyPath(session.assessmentId, agencyId, `/surveys/${tool}`), {
        token: session.token,
        idempotencyKey: key,
        body: {
          responses: count,
          asOf,
          ...(correction ? { correction: true, reason: reason.trim() } : {}),
        },
      });
      await reload();
      setCorrection(false);
      setReason('');
      return `บันทึกยอด ${tool.toUpperCase()} ${count} คน ณ วันที่ ${thaiDate(asOf)} แล้ว`;
    }, reloadAfterAnswer(reload));
  };

  return (
    <div class="survey" data-survey={tool}>
      <h3>{TOOL_NAME[tool]}</h3>
      <Bar
        name={`${tool}-survey`}
        label={tool.toUpperCase()}
        done={state.responses}
        total={state.required}
        expected={expected}
      />
      <p class="muted">
        ตอบแล้ว {state.responses} จากขั้นต่ำ {state.required} คน
        {state.asOf ? ` (รายงานล่าสุด ${thaiDate(state.asOf)})` : ' (ยังไม่เคยรายงาน)'}
        {expected !== undefined ? ` · ตามแผนควรได้อย่างน้อย ${expected} คน ณ วันนี้` : ''}
      </p>
      {editable && (
        <form class="row" onSubmit={submit}>
          <div class="field">
            <label for={`${id}-responses`}>จำนวนผู้ตอบ (คน)</label>
            <input
              id={`${id}-responses`}
              name="responses"
              inputMode="numeric"
              pattern="[0-9]*"
              required
              {...textValue(responses, setResponses)}
            />
          </div>
          <div class="field">
            <label for={`${id}-asof`}>ยอด ณ วันที่</label>
            <input
              id={`${id}-asof`}
              name="asOf"
              type="date"
              max={today}
              required
              aria-describedby={`${id}-asof-th`}
              {...textValue(asOf, setAsOf)}
            />
            <span class="muted" id={`${id}-asof-th`}>
              {/^\d{4}-\d{2}-\d{2}$/.test(asOf) ? thaiDate(asOf) : ''}
            </span>
          </div>
          <label class="check">
            <input
              type="checkbox"
              checked={correction}
              onChange={(e) => setCorrection(e.currentTarget.checked)}
            />
            แก้ไขยอดที่รายงานผิด (ยอดลดลง)
          </label>
          {correction && (
            <div class="field wide">
              <label for={`${id}-reason`}>เหตุผลที่แก้ไขยอด</label>
              <input id={`${id}-reason`} {...textValue(reason, setReason)} />
            </div>
          )}
          <SubmitButton busy={action.busy} busyLabel="กำลังบันทึก…">
            {`รายงานยอด ${tool.toUpperCase()}`}
          </SubmitButton>
        </form>
      )}
      <Notice message={action.message} />
    </div>
  );
};

const Task = ({
  task,
  version,
  editable,
  session,
  reload,
}: {
  task: AgencyTaskState;
  version: number;
  editable: boolean;
  session: Session;
  reload: () => Promise<void>;
}) => {
  const [progress, setProgress] = useState(String(task.progress));
  const [status, setStatus] = useState(task.status);
  // After a save (or a conflict) the form shows the state the API now holds.
  useEffect(() => {
    setProgress(String(task.progress));
    setStatus(task.status);
  }, [task.progress, task.status]);
  const action = useAction();
  const id = `task-${task.taskId}`;
  const closed = task.overallStatus === 'cancelled';

  const submit = (event: Event) => {
    event.preventDefault();
    const value = Number(progress);
    if (!/^\d+$/.test(progress.trim()) || value > 100) {
      action.setMessage({ kind: 'error', text: 'ความคืบหน้าต้องเป็นตัวเลข 0–100' });
      return;
    }
    void action.run(async (key) => {
      await request(
        'PATCH',
        `/assessments/${encodeURIComponent(session.assessmentId)}/tasks/${encodeURIComponent(task.taskId)}`,
        {
          token: session.token,
          idempotencyKey: key,
          ifMatch: version,
          body: { progress: value, ...(status !== task.status ? { status } : {}) },
        },
      );
      await reload();
      return `บันทึกความคืบหน้า ${task.taskId} แล้ว`;
    }, reloadAfterAnswer(reload));
  };

  return (
    <li class="item" data-task={task.taskId} data-status={task.status}>
      <h3>
        <span>
          {task.taskId} {task.title ?? ''}
        </span>
        <Badge kind={task.status}>{TASK_STATUS[task.status] ?? task.status}</Badge>
      </h3>
      <p class="muted">
        ความคืบหน้า {task.progress}%
        {task.window ? ` · ช่วงเวลา ${thaiDate(task.window.start)} – ${thaiDate(task.window.end)}` : ''}
      </p>
      {editable && !closed && (
        <form class="row" onSubmit={submit}>
          <div class="field">
            <label for={`${id}-progress`}>ความคืบหน้า (%)</label>
            <input
              id={`${id}-progress`}
              inputMode="numeric"
              pattern="[0-9]*"
              {...textValue(progress, setProgress)}
            />
          </div>
          <div class="field">
            <label for={`${id}-status`}>สถานะ</label>
            <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
              {Object.entries(TASK_STATUS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={action.busy}>
            บันทึกความคืบหน้า
          </button>
        </form>
      )}
      <Notice message={action.message} />
    </li>
  );
};

/**
 * The calendar feed needs a `feed` token, and only the secretariat may mint one (an agency token
 * cannot): the page shows the feed's address and how to subscribe, and says whom to ask for it.
 */
/**
 * The agency's calendar subscription: the agency itself (or the secretariat) makes its link here.
 * The link carries a secret, so it is shown once, in this view only; making a new one stops the
 * earlier one (POST …/calendar-feed revokes it), which is how a leaked link is cut off.
 */
const Calendar = ({ session, agencyId }: { session: Session; agencyId: string }) => {
  const mayCreate = session.role === 'admin' || (session.role === 'agency' && session.agencyId === agencyId);
  const action = useAction();
  const [link, setLink] = useState<CalendarFeedLink | null>(null);
  const [copied, setCopied] = useState('');
  const id = 'calendar-url';

  const create = () => {
    setCopied('');
    void action.run(async () => {
      const made = await request<CalendarFeedLink>(
        'POST',
        agencyPath(session.assessmentId, agencyId, '/calendar-feed'),
        { token: session.token },
      );
      setLink(made);
      return made.revoked > 0
        ? 'สร้างลิงก์ใหม่แล้ว ลิงก์เดิมใช้ไม่ได้อีกต่อไป คัดลอกลิงก์ด้านล่างไปใช้แทน'
        : 'สร้างลิงก์ปฏิทินแล้ว คัดลอกลิงก์ด้านล่างไปใช้';
    });
  };

  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied('คัดลอกลิงก์แล้ว');
    } catch {
      setCopied('คัดลอกอัตโนมัติไม่ได้ กรุณากดค้างที่ช่องลิงก์แล้วเลือกคัดลอก');
    }
  };

  return (
    <section class="card" aria-labelledby="calendar-heading" id="calendar">
      <h2 id="calendar-heading">ปฏิทินของหน่วยงาน</h2>
      <p>
        ปฏิทินกำหนดการและงานพัฒนาของหน่วยงานสมัครรับในปฏิทินของโทรศัพท์หรือคอมพิวเตอร์ได้ ลิงก์ปฏิทินมีรหัสเฉพาะของหน่วยงาน
        อย่าส่งต่อให้ผู้อื่น
      </p>
      {mayCreate ? (
        <div class="stack">
          <p class="muted" id="calendar-new-note">
            ระบบแสดงลิงก์เพียงครั้งเดียว หากลิงก์หายหรือหลุดไปถึงผู้อื่น ให้กดสร้างลิงก์ใหม่ ลิงก์เดิมจะใช้ไม่ได้ทันที
            และปฏิทินที่สมัครด้วยลิงก์เดิมต้องสมัครใหม่ด้วยลิงก์ใหม่
          </p>
          <button
            type="button"
            class={link ? 'secondary' : undefined}
            disabled={action.busy}
            aria-describedby="calendar-new-note"
            onClick={create}
          >
            {action.busy ? 'กำลังสร้างลิงก์…' : link ? 'สร้างลิงก์ใหม่' : 'สร้างลิงก์ปฏิทิน'}
          </button>
          <Notice message={action.message} />
          {link && (
            <div class="field wide">
              <label for={id}>ลิงก์ปฏิทิน (สร้างเมื่อ {thaiDateTime(link.createdAt)})</label>
              <input id={id} type="url" readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
              {typeof navigator.clipboard?.writeText === 'function' && (
                <button type="button" onClick={() => void copy()}>
                  คัดลอกลิงก์
                </button>
              )}
              <Notice message={copied ? { kind: 'info', text: copied } : null} />
            </div>
          )}
        </div>
      ) : (
        <p>กรุณาขอลิงก์ปฏิทินจากผู้ประสานงานของหน่วยงานหรือฝ่ายเลขานุการ</p>
      )}
      <h3>Google Calendar</h3>
      <ol>
        <li>เปิด Google Calendar บนคอมพิวเตอร์ เลือก "ปฏิทินอื่นๆ" แล้วกด +</li>
        <li>เลือก "จาก URL" วางลิงก์ปฏิทิน แล้วกด "เพิ่มปฏิทิน"</li>
        <li>Google จะปรับข้อมูลเองทุกไม่กี่ชั่วโมง</li>
      </ol>
      <h3>Outlook</h3>
      <ol>
        <li>ในปฏิทิน Outlook เลือก "เพิ่มปฏิทิน" แล้ว "สมัครใช้งานจากเว็บ"</li>
        <li>วางลิงก์ ตั้งชื่อปฏิทิน แล้วกด "นำเข้า"</li>
      </ol>
    </section>
  );
};
