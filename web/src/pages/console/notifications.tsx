import { useState } from 'preact/hooks';
import { notificationErrorTh, notificationKindTh } from '../../../../shared/domain/labels.ts';
import { ApiError, assessmentPath, type ErrorDetail, request } from '../../api.ts';
import { type Message, Notice, ScrollTable, useAction } from '../../components.tsx';
import { thaiDate, thaiDateTime } from '../../format.ts';
import { thaiError } from '../../messages.ts';
import type { Session } from '../../session.ts';
import { useLoaded } from './shared.ts';

type Settings = {
  secretariatEmails: string[];
  approverEmails: string[];
  viewerEmails: string[];
  escalation: { headAfterDaysBehind: number; headWhenOverdue: boolean; secretariatAfterDaysOverdue: number };
  behindReminderEveryDays: number;
  reminderDays?: number[];
  scheduleTime?: string;
  [other: string]: unknown;
};
type SettingsView = {
  settings: Settings;
  version: number;
  deploymentDefaults: { secretariatEmails: string[]; approverEmails: string[] };
  effective: {
    secretariatEmails: string[];
    approverEmails: string[];
    reminderDays: number[];
    scheduleTime: string;
  };
};
type Failed = {
  id: string;
  subject: string;
  kind: string;
  localDate: string;
  to: string[];
  cc: string[];
  failedAt?: string;
  error?: string;
};

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** A whole number as typed, or the text itself so the API names the field that is wrong. */
const whole = (text: string): number | string => (/^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : text);

/** The form's fields, by the first part of the API's `details[].path` they answer to. */
const FIELDS = {
  secretariatEmails: 'อีเมลฝ่ายเลขานุการ',
  viewerEmails: 'อีเมลผู้ติดตามผล',
  'escalation.headAfterDaysBehind': 'สำเนาถึงหัวหน้าส่วนราชการเมื่อล่าช้า (วัน)',
  'escalation.secretariatAfterDaysOverdue': 'สำเนาถึงฝ่ายเลขานุการเมื่อเลยกำหนด (วัน)',
  behindReminderEveryDays: 'เตือนซ้ำทุก (วัน)',
  reminderDays: 'เตือนก่อนครบกำหนด (วัน)',
  scheduleTime: 'เวลาส่งการแจ้งเตือน',
} as const;
type Field = keyof typeof FIELDS;

/** Which field an API detail is about: `secretariatEmails.1` → secretariatEmails, line 2. */
const fieldOf = (path: string): Field | undefined =>
  (Object.keys(FIELDS) as Field[])
    .sort((a, b) => b.length - a.length)
    .find((f) => path === f || path.startsWith(`${f}.`));

const detailText = (field: Field, detail: ErrorDetail) => {
  const rest = detail.path.slice(field.length + 1);
  const line = /^\d+$/.test(rest) ? `บรรทัดที่ ${Number(rest) + 1}: ` : '';
  return `${line}ไม่ถูกต้อง (${detail.message})`;
};

/**
 * Who gets the emails and when: the secretariat's and the viewers' addresses (the approvers are
 * the operator's, shown read-only), the escalation ladder, the repeat and due-soon days and the
 * time of day; and the notifications that failed, each with what it was, to whom, when, why in
 * plain words, and "ส่งใหม่".
 */
export const NotificationsSection = ({ session }: { session: Session }) => {
  const aid = session.assessmentId;
  const settings = useLoaded(
    () =>
      request<SettingsView>('GET', assessmentPath(aid, '/notification-settings'), { token: session.token }),
    [aid, session.token],
  );
  // The form is keyed by the settings' version, so a save's reload mounts a new one: the "saved"
  // message lives here, or it would vanish with the form that showed it.
  const [saved, setSaved] = useState<Message | null>(null);
  const failed = useLoaded(async () => {
    const [list, agencies] = await Promise.all([
      request<{ items: Failed[] }>('GET', assessmentPath(aid, '/notifications?status=failed'), {
        token: session.token,
      }),
      request<{ agencies: { id: string; nameTh: string }[] }>('GET', assessmentPath(aid, '/agencies'), {
        token: session.token,
      }),
    ]);
    return { items: list.items, names: new Map(agencies.agencies.map((a) => [a.id, a.nameTh])) };
  }, [aid, session.token]);
  return (
    <>
      <section class="card" aria-labelledby="section-heading">
        <h2 id="section-heading">การแจ้งเตือน</h2>
        <p class="muted">ผู้รับอีเมล ลำดับการแจ้งสำเนาเมื่อส่วนราชการล่าช้า วันที่เตือนล่วงหน้า และเวลาส่ง</p>
        {settings.error && <Notice message={{ kind: 'error', text: settings.error }} />}
        {settings.data && (
          <SettingsForm
            key={settings.data.version}
            session={session}
            view={settings.data}
            reload={settings.reload}
            saved={saved}
            setSaved={setSaved}
            onSaved={() => void failed.reload()}
          />
        )}
      </section>
      <section class="card" aria-labelledby="failed-heading">
        <h2 id="failed-heading">การแจ้งเตือนที่ส่งไม่สำเร็จ</h2>
        {failed.error && <Notice message={{ kind: 'error', text: failed.error }} />}
        {failed.data && (
          <FailedList
            session={session}
            items={failed.data.items}
            names={failed.data.names}
            reload={failed.reload}
          />
        )}
      </section>
    </>
  );
};

const SettingsForm = ({
  session,
  view,
  reload,
  saved,
  setSaved,
  onSaved,
}: {
  session: Session;
  view: SettingsView;
  reload: () => Promise<void>;
  /** The last save's message, kept by the section across the reload that remounts this form. */
  saved: Message | null;
  setSaved: (message: Message | null) => void;
  onSaved: () => void;
}) => {
  const s = view.settings;
  const [values, setValues] = useState<Record<Field, string>>({
    secretariatEmails: s.secretariatEmails.join('\n'),
    viewerEmails: s.viewerEmails.join('\n'),
    'escalation.headAfterDaysBehind': String(s.escalation.headAfterDaysBehind),
    'escalation.secretariatAfterDaysOverdue': String(s.escalation.secretariatAfterDaysOverdue),
    behindReminderEveryDays: String(s.behindReminderEveryDays),
    reminderDays: (s.reminderDays ?? []).join(', '),
    scheduleTime: s.scheduleTime ?? '',
  });
  const [headWhenOverdue, setHeadWhenOverdue] = useState(s.escalation.headWhenOverdue);
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const action = useAction();
  const set = (field: Field) => (e: { currentTarget: { value: string } }) =>
    setValues({ ...values, [field]: e.currentTarget.value });

  const save = (event: Event) => {
    event.preventDefault();
    setProblems({});
    setSaved(null);
    // A PUT replaces the whole set: what the form does not show (pace margins …) is sent back as it was.
    const body = {
      ...s,
      secretariatEmails: lines(values.secretariatEmails),
      viewerEmails: lines(values.viewerEmails),
      escalation: {
        headAfterDaysBehind: whole(values['escalation.headAfterDaysBehind']),
        headWhenOverdue,
        secretariatAfterDaysOverdue: whole(values['escalation.secretariatAfterDaysOverdue']),
      },
      behindReminderEveryDays: whole(values.behindReminderEveryDays),
      reminderDays: lines(values.reminderDays).map(whole),
      scheduleTime: values.scheduleTime.trim(),
    };
    if (body.reminderDays.length === 0) delete (body as Partial<typeof body>).reminderDays;
    if (!body.scheduleTime) delete (body as Partial<typeof body>).scheduleTime;
    void action.run(
      async (key) => {
        await request<SettingsView>('PUT', assessmentPath(session.assessmentId, '/notification-settings'), {
          token: session.token,
          idempotencyKey: key,
          ifMatch: view.version,
          body,
        });
        // The schedule sync is committed with the settings (the outbox): the answer is always sync-requested.
        const text = 'บันทึกการตั้งค่าการแจ้งเตือนแล้ว กำหนดการแจ้งเตือนจะปรับตามภายในไม่กี่นาที';
        setSaved({ kind: 'ok', text });
        onSaved();
        void reload();
        return text;
      },
      (error) => {
        if (!(error instanceof ApiError)) return;
        if (error.status === 409) void reload();
        const beside: Partial<Record<Field, string>> = {};
        for (const detail of error.details) {
          const field = fieldOf(detail.path);
          if (field && !beside[field]) beside[field] = detailText(field, detail);
        }
        setProblems(beside);
      },
    );
  };

  const input = (field: Field, props: Record<string, unknown> = {}) => (
    <div class="field" key={field}>
      <label for={`ns-${field}`}>{FIELDS[field]}</label>
      <input
        id={`ns-${field}`}
        value={values[field]}
        onInput={set(field)}
        aria-invalid={problems[field] ? true : undefined}
        aria-describedby={problems[field] ? `ns-${field}-problem` : undefined}
        {...props}
      />
      <FieldProblem field={field} problems={problems} />
    </div>
  );

  return (
    <form id="settings-form" class="stack" onSubmit={save} noValidate>
      <div class="row">
        {(['secretariatEmails', 'viewerEmails'] as const).map((field) => (
          <div class="field" key={field}>
            <label for={`ns-${field}`}>{FIELDS[field]} (บรรทัดละ 1 อีเมล ไม่เกิน 10)</label>
            <textarea
              id={`ns-${field}`}
              rows={3}
              value={values[field]}
              onInput={set(field)}
              aria-invalid={problems[field] ? true : undefined}
              aria-describedby={problems[field] ? `ns-${field}-problem` : undefined}
            />
            <FieldProblem field={field} problems={problems} />
          </div>
        ))}
      </div>
      <p class="muted">
        ถ้าไม่กรอกอีเมลฝ่ายเลขานุการ ระบบใช้อีเมลตั้งต้นของระบบ:{' '}
        {view.deploymentDefaults.secretariatEmails.join(', ') || 'ไม่มี (การแจ้งเตือนจะส่งไม่สำเร็จ)'}
      </p>
      <p id="approvers">
        ผู้อนุมัติ (ผู้ว่าราชการจังหวัดหรือผู้ที่ได้รับมอบหมาย): {view.effective.approverEmails.join(', ') || 'ยังไม่กำหนด'}
        <span class="muted"> · กำหนดโดยผู้ดูแลระบบเท่านั้น (npm run approver) หน้านี้แก้ไขไม่ได้</span>
      </p>
      <fieldset>
        <legend>ลำดับการแจ้งสำเนาเมื่อส่วนราชการล่าช้า</legend>
        <div class="row">
          {input('escalation.headAfterDaysBehind', { inputMode: 'numeric' })}
          {input('escalation.secretariatAfterDaysOverdue', { inputMode: 'numeric' })}
          {input('behindReminderEveryDays', { inputMode: 'numeric' })}
        </div>
        <label class="check">
          <input
            type="checkbox"
            checked={headWhenOverdue}
            onChange={(e) => setHeadWhenOverdue(e.currentTarget.checked)}
          />
          สำเนาถึงหัวหน้าส่วนราชการทันทีเมื่อมีงานเลยกำหนด
        </label>
      </fieldset>
      <div class="row">
        {input('reminderDays', {
          inputMode: 'numeric',
          placeholder: view.effective.reminderDays.join(', '),
          'aria-describedby': `ns-reminderDays-hint${problems.reminderDays ? ' ns-reminderDays-problem' : ''}`,
        })}
        {input('scheduleTime', { type: 'time', placeholder: view.effective.scheduleTime })}
      </div>
      <p class="muted" id="ns-reminderDays-hint">
        คั่นด้วยจุลภาค เช่น 14, 7, 1 ว่างไว้ = ค่าตั้งต้น ({view.effective.reminderDays.join(', ')} วัน เวลา{' '}
        {view.effective.scheduleTime} น.)
      </p>
      <button type="submit" disabled={action.busy}>
        บันทึกการตั้งค่า
      </button>
      <Notice id="settings-message" message={action.message ?? saved} />
    </form>
  );
};

const FieldProblem = ({ field, problems }: { field: Field; problems: Partial<Record<Field, string>> }) =>
  problems[field] ? (
    <span class="field-problem" id={`ns-${field}-problem`} data-problem={field}>
      {problems[field]}
    </span>
  ) : null;

const subjectTh = (subject: string, names: Map<string, string>) =>
  subject === 'province' ? 'ฝ่ายเลขานุการ (ทั้งจังหวัด)' : (names.get(subject) ?? subject);

const FailedList = ({
  session,
  items,
  names,
  reload,
}: {
  session: Session;
  items: Failed[];
  names: Map<string, string>;
  reload: () => Promise<void>;
}) => {
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const sorted = [...items].sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''));
  if (sorted.length === 0)
    return (
      <>
        <Notice id="resend-message" message={message} />
        <p id="no-failed">ไม่มีการแจ้งเตือนที่ส่งไม่สำเร็จ</p>
      </>
    );
  return (
    <>
      <Notice id="resend-message" message={message} />
      <ScrollTable
        class="console-table"
        id="failed-table"
        captionId="failed-caption"
        caption={<>ล่าสุดอยู่บน กด "ส่งใหม่" หลังแก้ไขสาเหตุแล้ว ระบบจะส่งซ้ำเพียงครั้งเดียว</>}
        columns={['การแจ้งเตือน', 'เรื่องของ', 'ถึง', 'เมื่อ', 'สาเหตุ', 'จัดการ']}
      >
        {sorted.map((item) => (
          <FailedRow
            key={item.id}
            session={session}
            item={item}
            subject={subjectTh(item.subject, names)}
            onDone={(text) => {
              setMessage(text);
              void reload();
            }}
          />
        ))}
      </ScrollTable>
    </>
  );
};

const FailedRow = ({
  session,
  item,
  subject,
  onDone,
}: {
  session: Session;
  item: Failed;
  subject: string;
  onDone: (message: { kind: 'ok' | 'error'; text: string }) => void;
}) => {
  const action = useAction();
  const what = notificationKindTh(item.kind, item.id);
  const resend = () =>
    void action.run(
      async (key) => {
        await request(
          'POST',
          assessmentPath(session.assessmentId, `/notifications/${encodeURIComponent(item.id)}/resend`),
          { token: session.token, idempotencyKey: key },
        );
        const text = `ส่ง "${what}" ใหม่แล้ว ระบบกำลังส่ง`;
        onDone({ kind: 'ok', text });
        return text;
      },
      (error) => {
        if (error instanceof ApiError && error.status !== 0)
          onDone({ kind: 'error', text: `${what}: ${thaiError(error)}` });
      },
    );
  return (
    <tr data-notification={item.id}>
      <th scope="row">{what}</th>
      <td>{subject}</td>
      <td>{item.to.length ? [...item.to, ...item.cc].join(', ') : 'ยังไม่มีผู้รับ'}</td>
      <td>{item.failedAt ? thaiDateTime(item.failedAt) : thaiDate(item.localDate)}</td>
      <td>
        {notificationErrorTh(item.error)}
        {item.error && (
          <details>
            <summary>ข้อความจากระบบ</summary>
            <code>{item.error}</code>
          </details>
        )}
      </td>
      <td>
        <button type="button" disabled={action.busy} onClick={resend}>
          ส่งใหม่<span class="visually-hidden"> {what}</span>
        </button>
      </td>
    </tr>
  );
};
