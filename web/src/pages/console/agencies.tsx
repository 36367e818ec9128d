import { useEffect, useRef, useState } from 'preact/hooks';
import type { SampleRule } from '../../../../shared/domain/model.ts';
import { minimumSample } from '../../../../shared/domain/sample.ts';
import { ApiError, agencyPath, assessmentPath, request } from '../../api.ts';
import { type Message, Notice, ScrollTable, useAction } from '../../components.tsx';
import { thaiDate } from '../../format.ts';
import { IMPORT_ACTION, PACE_STATE, thaiError } from '../../messages.ts';
import type { Session } from '../../session.ts';
import type { Progress, ProgressRow } from '../../types.ts';
import { downloadFile, useLoaded } from './shared.ts';

/** The answers this section reads (the OpenAPI document is the full contract). */
type Contact = { name?: string; email: string };
type AgencyProfile = {
  id: string;
  nameTh: string;
  coordinator: Contact;
  head: Contact;
  internalStaff: number;
  externalStakeholders: number;
};
type AgencyView = { agency: AgencyProfile; required: { iit: number; eit: number }; version: number };
type ImportRow = {
  row: number;
  agencyId: string | null;
  action: 'create' | 'update' | 'unchanged' | 'refuse';
  problems: { column: string; message: string }[];
};
type ImportAnswer = {
  applied: boolean;
  counts: Record<ImportRow['action'], number>;
  ignoredColumns: string[];
  rows: ImportRow[];
};
type Loaded = { progress: Progress; sampleRule: SampleRule | null };

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The secretariat's agencies (seed steps 2–3): the list with each agency's state, add and edit
 * with the minimum samples shown as the framework's rule computes them, the import of a sheet
 * (dry run first, then the sound rows), and the two workbooks to download.
 */
export const AgenciesSection = ({ session }: { session: Session }) => {
  const aid = session.assessmentId;
  const [editing, setEditing] = useState<AgencyView | null>(null);
  // A conflict reloads the agency into a fresh form (a new round), with the reason kept above it.
  const [editRound, setEditRound] = useState(0);
  const [editNotice, setEditNotice] = useState<Message | null>(null);
  const [listMessage, setListMessage] = useState<Message | null>(null);
  const loaded = useLoaded<Loaded>(async () => {
    const [progress, assessment] = await Promise.all([
      request<Progress>('GET', assessmentPath(aid, '/progress'), { token: session.token }),
      request<{ sampleRule?: SampleRule }>('GET', assessmentPath(aid), { token: session.token }),
    ]);
    return { progress, sampleRule: assessment.sampleRule ?? null };
  }, [aid, session.token]);

  const openEditor = async (agencyId: string, notice: Message | null = null) => {
    setListMessage(null);
    try {
      setEditing(await request<AgencyView>('GET', agencyPath(aid, agencyId), { token: session.token }));
      setEditNotice(notice);
      setEditRound((round) => round + 1);
    } catch (error) {
      setListMessage({ kind: 'error', text: thaiError(error) });
    }
  };

  const rows = loaded.data?.progress.agencies ?? [];
  const rule = loaded.data?.sampleRule ?? null;
  return (
    <>
      <section class="card" aria-labelledby="section-heading">
        <h2 id="section-heading">ส่วนราชการ</h2>
        <Notice message={loaded.error ? { kind: 'error', text: loaded.error } : listMessage} />
        <Downloads session={session} />
        {loaded.data && (
          <ScrollTable
            class="data-table"
            data-agency-list
            captionId="agency-list-caption"
            caption={
              <>
                ส่วนราชการ {rows.length} แห่ง สถานะ ณ วันที่ {thaiDate(loaded.data.progress.date)}
              </>
            }
            columns={[
              'ส่วนราชการ',
              'สถานะ',
              'OIT ส่งแล้ว/ที่มอบหมาย',
              'IIT ผู้ตอบ/ขั้นต่ำ',
              'EIT ผู้ตอบ/ขั้นต่ำ',
              'งานปรับปรุงที่ยังไม่เสร็จ',
              { hidden: 'แก้ไข' },
            ]}
          >
            {rows.map((row) => (
              <AgencyRow key={row.agencyId} row={row} onEdit={() => void openEditor(row.agencyId)} />
            ))}
          </ScrollTable>
        )}
      </section>
      {editing && (
        <AgencyForm
          key={`${editing.agency.id}-${editRound}`}
          session={session}
          rule={rule}
          current={editing}
          notice={editNotice}
          onSaved={(view) => {
            setEditing(view);
            setEditNotice(null);
            void loaded.reload();
          }}
          onConflict={(error) =>
            void openEditor(editing.agency.id, { kind: 'error', text: thaiError(error) })
          }
          onClose={() => setEditing(null)}
        />
      )}
      <AgencyForm
        session={session}
        rule={rule}
        current={null}
        onSaved={() => void loaded.reload()}
        onConflict={() => void loaded.reload()}
      />
      <ImportPanel session={session} onApplied={() => void loaded.reload()} />
    </>
  );
};

const AgencyRow = ({ row, onEdit }: { row: ProgressRow; onEdit: () => void }) => (
  <tr data-agency={row.agencyId} data-state={row.state}>
    <th scope="row">
      {row.nameTh}
      <br />
      <span class="muted">{row.agencyId}</span>
    </th>
    <td>{PACE_STATE[row.state] ?? row.state}</td>
    <td>
      {row.oit.done}/{row.oit.assigned}
    </td>
    <td>
      {row.surveys.iit.responses}/{row.surveys.iit.required}
    </td>
    <td>
      {row.surveys.eit.responses}/{row.surveys.eit.required}
    </td>
    <td>{row.openTasks}</td>
    <td>
      <button type="button" class="secondary" onClick={onEdit} aria-label={`แก้ไข ${row.nameTh}`}>
        แก้ไข
      </button>
    </td>
  </tr>
);

const Downloads = ({ session }: { session: Session }) => {
  const [message, setMessage] = useState<Message | null>(null);
  const aid = session.assessmentId;
  const download = async (path: string, fileName: string) => {
    setMessage(null);
    try {
      await downloadFile(assessmentPath(aid, path), session.token, fileName);
      setMessage({ kind: 'ok', text: `ดาวน์โหลด ${fileName} แล้ว` });
    } catch (error) {
      setMessage({ kind: 'error', text: thaiError(error) });
    }
  };
  return (
    <div class="stack">
      <div class="actions">
        <button
          type="button"
          class="secondary"
          data-download="template"
          onClick={() => void download('/agencies/template.xlsx', `agencies-template-${aid}.xlsx`)}
        >
          ดาวน์โหลดแบบฟอร์มนำเข้า (.xlsx)
        </button>
        <button
          type="button"
          class="secondary"
          data-download="progress"
          onClick={() => void download('/progress.xlsx', `progress-${aid}.xlsx`)}
        >
          ดาวน์โหลดรายงานความคืบหน้า (.xlsx)
        </button>
      </div>
      <Notice message={message} />
    </div>
  );
};

/** The minimum by the framework's rule, or null while the number typed is not a whole count. */
const minimumOf = (rule: SampleRule | null, tool: 'iit' | 'eit', typed: string): number | null => {
  if (!rule || !/^\d{1,9}$/.test(typed.trim())) return null;
  return minimumSample(rule, tool, Number(typed.trim()));
};

type FormValues = {
  id: string;
  nameTh: string;
  coordinatorName: string;
  coordinatorEmail: string;
  headName: string;
  headEmail: string;
  internalStaff: string;
  externalStakeholders: string;
};

const valuesOf = (agency: AgencyProfile | null): FormValues => ({
  id: agency?.id ?? '',
  nameTh: agency?.nameTh ?? '',
  coordinatorName: agency?.coordinator.name ?? '',
  coordinatorEmail: agency?.coordinator.email ?? '',
  headName: agency?.head.name ?? '',
  headEmail: agency?.head.email ?? '',
  internalStaff: agency ? String(agency.internalStaff) : '',
  externalStakeholders: agency ? String(agency.externalStakeholders) : '',
});

const contact = (name: string, email: string): Contact => ({
  ...(name.trim() ? { name: name.trim() } : {}),
  email: email.trim(),
});

/**
 * Add (current = null) or edit an agency. The minimums follow the numbers as they are typed, by
 * the same rule the API applies (`minimumSample` with the assessment's `sampleRule`); after a save
 * the page shows what the API answered. An edit sends `If-Match`: a 409 reloads the agency.
 */
const AgencyForm = ({
  session,
  rule,
  current,
  notice = null,
  onSaved,
  onConflict,
  onClose,
}: {
  session: Session;
  rule: SampleRule | null;
  current: AgencyView | null;
  notice?: Message | null;
  onSaved: (view: AgencyView) => void;
  onConflict: (error: ApiError) => void;
  onClose?: () => void;
}) => {
  const creating = current === null;
  const prefix = creating ? 'new-agency' : 'edit-agency';
  const [values, setValues] = useState<FormValues>(valuesOf(current?.agency ?? null));
  const [saved, setSaved] = useState<AgencyView | null>(null);
  const action = useAction();
  const heading = useRef<HTMLHeadingElement>(null);
  // The edit form opens below a long list: its heading takes focus, which also scrolls it into view.
  useEffect(() => {
    if (!creating) heading.current?.focus();
  }, []);
  const set = (field: keyof FormValues) => (event: { currentTarget: HTMLInputElement }) =>
    setValues({ ...values, [field]: event.currentTarget.value });
  const iit = minimumOf(rule, 'iit', values.internalStaff);
  const eit = minimumOf(rule, 'eit', values.externalStakeholders);

  const submit = (event: Event) => {
    event.preventDefault();
    const profile = {
      nameTh: values.nameTh.trim(),
      coordinator: contact(values.coordinatorName, values.coordinatorEmail),
      head: contact(values.headName, values.headEmail),
      internalStaff: Number(values.internalStaff),
      externalStakeholders: Number(values.externalStakeholders),
    };
    void action.run(
      async (key) => {
        const view = creating
          ? await request<AgencyView>('POST', assessmentPath(session.assessmentId, '/agencies'), {
              token: session.token,
              idempotencyKey: key,
              body: { id: values.id.trim(), ...profile },
            })
          : await request<AgencyView>('PUT', agencyPath(session.assessmentId, current.agency.id), {
              token: session.token,
              idempotencyKey: key,
              ifMatch: current.version,
              body: profile,
            });
        setSaved(view);
        if (creating) setValues(valuesOf(null));
        onSaved(view);
        return `บันทึก${view.agency.nameTh}แล้ว ขั้นต่ำที่ระบบกำหนด: IIT ${view.required.iit} คน EIT ${view.required.eit} คน`;
      },
      (error) => {
        if (error instanceof ApiError && error.status === 409) onConflict(error);
      },
    );
  };

  const field = (name: keyof FormValues, label: string, extra: Record<string, unknown> = {}) => (
    <div class="field">
      <label for={`${prefix}-${name}`}>{label}</label>
      <input id={`${prefix}-${name}`} name={name} value={values[name]} onInput={set(name)} {...extra} />
    </div>
  );

  return (
    <section
      class="card"
      aria-labelledby={`${prefix}-heading`}
      data-agency-form={creating ? 'new' : current.agency.id}
    >
      <h2 id={`${prefix}-heading`} ref={heading} tabIndex={-1}>
        {creating ? 'เพิ่มส่วนราชการ' : `แก้ไข ${current.agency.nameTh}`}
      </h2>
      {notice && (
        <div data-form-notice>
          <Notice message={notice} />
        </div>
      )}
      <form class="stack" onSubmit={submit}>
        <div class="row">
          {creating &&
            field('id', 'รหัสหน่วยงาน (อักษรอังกฤษตัวเล็ก ตัวเลข และขีด)', {
              required: true,
              pattern: '[a-z0-9][a-z0-9\\-]{0,63}',
              autocomplete: 'off',
            })}
          {field('nameTh', 'ชื่อหน่วยงาน (ภาษาไทย)', { required: true })}
        </div>
        <div class="row">
          {field('coordinatorName', 'ชื่อผู้ประสานงาน ITA (ถ้ามี)')}
          {field('coordinatorEmail', 'อีเมลผู้ประสานงาน ITA', { type: 'email', required: true })}
        </div>
        <div class="row">
          {field('headName', 'ชื่อหัวหน้าส่วนราชการ (ถ้ามี)')}
          {field('headEmail', 'อีเมลหัวหน้าส่วนราชการ', { type: 'email', required: true })}
        </div>
        <div class="row">
          {field('internalStaff', 'จำนวนบุคลากร (IIT)', {
            inputMode: 'numeric',
            pattern: '[0-9]*',
            required: true,
          })}
          {field('externalStakeholders', 'จำนวนผู้มีส่วนได้ส่วนเสียภายนอก (EIT)', {
            inputMode: 'numeric',
            pattern: '[0-9]*',
            required: true,
          })}
        </div>
        <p class="minimums" aria-live="polite" data-minimums={`${iit ?? ''}/${eit ?? ''}`}>
          {rule
            ? `ขั้นต่ำตามเกณฑ์: IIT ${iit ?? '–'} คน, EIT ${eit ?? '–'} คน (ร้อยละ ${rule.percent} ไม่น้อยกว่า ${rule.minimum} คน; EIT เกิน ${rule.eitCapAbove.toLocaleString('th-TH')} คนใช้ ${rule.eitCap} คน)`
            : 'ขั้นต่ำจะแสดงเมื่อโหลดเกณฑ์ของการประเมินแล้ว'}
        </p>
        {saved && (
          <p class="muted" data-saved-minimums={`${saved.required.iit}/${saved.required.eit}`}>
            ระบบบันทึกขั้นต่ำไว้: IIT {saved.required.iit} คน, EIT {saved.required.eit} คน
          </p>
        )}
        <div class="actions">
          <button type="submit" disabled={action.busy}>
            {creating ? 'เพิ่มส่วนราชการ' : 'บันทึกการแก้ไข'}
          </button>
          {onClose && (
            <button type="button" class="secondary" onClick={onClose}>
              ปิด
            </button>
          )}
        </div>
      </form>
      <Notice message={action.message} />
    </section>
  );
};

/** The import's refusals of a whole file, in words about the file rather than about a form. */
const importError = (error: unknown): string => {
  if (error instanceof ApiError && error.status === 413)
    return 'ไฟล์ใหญ่เกิน 2 MB กรุณาแบ่งเป็นหลายไฟล์ หรือลบแผ่นงานและรูปภาพที่ไม่ใช้ แล้วนำเข้าอีกครั้ง';
  if (error instanceof ApiError && error.status === 415)
    return 'รับเฉพาะไฟล์ Excel (.xlsx) หรือ CSV แบบ UTF-8 กรุณาบันทึกไฟล์เป็นชนิดนี้ แล้วเลือกไฟล์ใหม่';
  if (error instanceof ApiError && (error.status === 400 || error.status === 422)) {
    const cells = error.details.map((d) => `${d.path}: ${d.message}`).join('; ');
    return `นำเข้าไฟล์นี้ไม่ได้ ยังไม่มีการบันทึกใด ๆ: ${error.message}${cells ? ` (${cells})` : ''}`;
  }
  return thaiError(error);
};

const contentTypeOf = (file: File): string | null => {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return XLSX_TYPE;
  if (name.endsWith('.csv')) return 'text/csv';
  return null;
};

/**
 * The agency import: the chosen file goes to `POST …/agencies/import` as the raw body, first as
 * a dry run (nothing written), then with `?apply=true` for the sound rows. Refused rows stay
 * listed with their row, column and reason after the apply, so the sheet can be fixed and sent
 * again (a second run of the same file changes nothing).
 */
const ImportPanel = ({ session, onApplied }: { session: Session; onApplied: () => void }) => {
  const [file, setFile] = useState<File | null>(null);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const action = useAction();

  const send = (apply: boolean) => {
    if (!file) return;
    const contentType = contentTypeOf(file);
    if (!contentType) {
      action.setMessage({ kind: 'error', text: 'เลือกไฟล์ .xlsx หรือ .csv เท่านั้น' });
      return;
    }
    void action.run(
      async (key) => {
        const result = await request<ImportAnswer>(
          'POST',
          assessmentPath(session.assessmentId, `/agencies/import${apply ? '?apply=true' : ''}`),
          { token: session.token, idempotencyKey: key, file: { body: file, contentType } },
        );
        setAnswer(result);
        const { create, update, unchanged, refuse } = result.counts;
        if (!apply)
          return `ตรวจไฟล์แล้ว ยังไม่บันทึก: สร้างใหม่ ${create} แก้ไข ${update} ไม่เปลี่ยน ${unchanged} ไม่รับ ${refuse} แถว`;
        onApplied();
        return create + update === 0
          ? `นำเข้าแล้ว ไม่มีการเปลี่ยนแปลง (ไม่เปลี่ยน ${unchanged} แถว ไม่รับ ${refuse} แถว)`
          : `นำเข้าแล้ว: สร้างใหม่ ${create} แห่ง แก้ไข ${update} แห่ง ไม่เปลี่ยน ${unchanged} แถว ไม่รับ ${refuse} แถว`;
      },
      (error) => {
        setAnswer(null);
        action.setMessage({ kind: 'error', text: importError(error) });
      },
    );
  };

  const sound = answer ? answer.rows.filter((r) => r.action !== 'refuse').length : 0;
  return (
    <section class="card" aria-labelledby="import-heading" data-import>
      <h2 id="import-heading">นำเข้ารายชื่อส่วนราชการจาก Excel หรือ CSV</h2>
      <p class="muted">
        แถวที่ 1 เป็นหัวคอลัมน์ (ตามแบบฟอร์มนำเข้า) หนึ่งแถวต่อหนึ่งหน่วยงาน ไม่เกิน 2,000 แถว ไฟล์ไม่เกิน 2 MB
        ระบบตรวจไฟล์ก่อนโดยยังไม่บันทึก แล้วจึงนำเข้าเฉพาะแถวที่ถูกต้อง
      </p>
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          send(false);
        }}
      >
        <label for="import-file">ไฟล์รายชื่อส่วนราชการ (.xlsx หรือ .csv)</label>
        <input
          id="import-file"
          type="file"
          accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          required
          onChange={(event) => {
            setFile(event.currentTarget.files?.[0] ?? null);
            setAnswer(null);
            action.setMessage(null);
          }}
        />
        <button type="submit" disabled={action.busy || !file}>
          ตรวจสอบไฟล์ (ยังไม่บันทึก)
        </button>
      </form>
      <Notice id="import-message" message={action.message} />
      {answer && (
        <>
          {answer.ignoredColumns.length > 0 && (
            <p class="muted">คอลัมน์ที่ไม่ได้อ่าน: {answer.ignoredColumns.join(', ')}</p>
          )}
          <ScrollTable
            class="data-table"
            data-import-rows={answer.applied ? 'applied' : 'dry-run'}
            captionId="import-rows-caption"
            caption={
              <>
                {answer.applied ? 'ผลการนำเข้า' : 'ผลการตรวจไฟล์ (ยังไม่บันทึก)'} {answer.rows.length} แถว
              </>
            }
            columns={['แถวที่', 'รหัสหน่วยงาน', 'ผล', 'ปัญหา']}
          >
            {answer.rows.map((row) => (
              <tr key={row.row} data-import-row={row.row} data-action={row.action}>
                <th scope="row">{row.row}</th>
                <td>{row.agencyId ?? '–'}</td>
                <td>
                  <span class={`badge import-${row.action}`}>{IMPORT_ACTION[row.action]}</span>
                </td>
                <td>
                  {row.problems.length > 0 && (
                    <ul class="problems">
                      {row.problems.map((p) => (
                        <li key={`${p.column}-${p.message}`}>
                          คอลัมน์ "{p.column}": {p.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </ScrollTable>
          <div class="actions">
            <button
              type="button"
              class="approve"
              disabled={action.busy || sound === 0}
              onClick={() => send(true)}
            >
              นำเข้าแถวที่ถูกต้อง {sound} แถว
            </button>
          </div>
        </>
      )}
    </section>
  );
};
