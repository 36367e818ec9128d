import { useEffect, useState } from 'preact/hooks';
import { AUDIT_ACTION_FAMILY_TH, AUDIT_ACTION_TH, auditActionTh } from '../../../../shared/domain/labels.ts';
import { assessmentPath, request } from '../../api.ts';
import { type Message, Notice, ScrollTable, ThaiDateInput } from '../../components.tsx';
import { thaiDate, thaiDateTime } from '../../format.ts';
import { ROLE_LABEL, thaiError } from '../../messages.ts';
import type { Session } from '../../session.ts';
import { useLoaded } from './shared.ts';

type Entry = {
  id: string;
  at: string;
  agencyId?: string;
  tokenId: string;
  issuedBy?: string;
  role: string;
  action: string;
  target: string;
  changes: Record<string, unknown>;
};
type Filters = { agencyId: string; action: string; from: string; to: string; limit: string };
type Page = { entries: Entry[]; nextToken?: string };

const PAGE_SIZES = ['20', '50', '100', '200'];
const EMPTY: Filters = { agencyId: '', action: '', from: '', to: '', limit: '50' };

/** Who stood behind the token: the signed-in address, the system, the operator's CLI, or the token's id. */
const who = (entry: Entry): string => {
  const by = entry.issuedBy ?? '';
  const role = ROLE_LABEL[entry.role] ?? entry.role;
  if (by.startsWith('signin:')) return `${by.slice('signin:'.length)} (${role})`;
  if (by === 'system') return 'ระบบ';
  if (by === 'operator-cli') return 'ผู้ดูแลระบบ (คำสั่งในเครื่อง)';
  return `${role} · สิทธิ์ ${entry.tokenId.slice(0, 12)}`;
};

/** The API's query for the filters: whole Bangkok days, ISO instants with the +07:00 offset. */
const queryOf = (filters: Filters, nextToken?: string) => {
  const query = new URLSearchParams({ limit: filters.limit });
  if (filters.agencyId) query.set('agencyId', filters.agencyId);
  if (filters.action) query.set('action', filters.action);
  if (filters.from) query.set('since', `${filters.from}T00:00:00+07:00`);
  if (filters.to) query.set('until', `${filters.to}T23:59:59.999+07:00`);
  if (nextToken) query.set('nextToken', nextToken);
  return query.toString();
};

/**
 * The audit trail: who did what, when, to which agency, with the changes; filtered by agency,
 * action (one, or a family such as every OIT action) and BE dates, a page at a time (หน้าถัดไป
 * follows the API's nextToken; the tokens of the pages seen are kept for หน้าก่อนหน้า).
 */
export const AuditSection = ({ session }: { session: Session }) => {
  const aid = session.assessmentId;
  const agencies = useLoaded(
    () =>
      request<{ agencies: { id: string; nameTh: string }[] }>('GET', assessmentPath(aid, '/agencies'), {
        token: session.token,
      }),
    [aid, session.token],
  );
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  // The nextToken that opened each page seen so far; the first page has none.
  const [trail, setTrail] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<Page | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const names = new Map((agencies.data?.agencies ?? []).map((a) => [a.id, a.nameTh]));

  const load = async (filters: Filters, tokens: (string | undefined)[]) => {
    setBusy(true);
    try {
      const found = await request<Page>(
        'GET',
        assessmentPath(aid, `/audit?${queryOf(filters, tokens.at(-1))}`),
        {
          token: session.token,
        },
      );
      setPage(found);
      setApplied(filters);
      setTrail(tokens);
      setMessage(
        found.entries.length === 0 && !found.nextToken
          ? { kind: 'info', text: 'ไม่พบรายการตามเงื่อนไขที่เลือก' }
          : null,
      );
    } catch (error) {
      setMessage({ kind: 'error', text: thaiError(error) });
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void load(EMPTY, [undefined]);
  }, [aid, session.token]);

  const submit = (event: Event) => {
    event.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setMessage({ kind: 'error', text: 'วันที่เริ่มต้องไม่หลังวันที่สิ้นสุด' });
      return;
    }
    void load(draft, [undefined]);
  };

  return (
    <section class="card" aria-labelledby="section-heading">
      <h2 id="section-heading">ประวัติการทำรายการ</h2>
      <p class="muted">ทุกการเปลี่ยนแปลงในระบบ: ใครทำ ทำอะไร เมื่อไร กับส่วนราชการใด และเปลี่ยนอะไร เรียงจากเก่าไปใหม่</p>
      <form id="audit-filters" class="stack" onSubmit={submit} aria-label="ตัวกรองประวัติ">
        <div class="row">
          <div class="field">
            <label for="audit-agency">ส่วนราชการ</label>
            <select
              id="audit-agency"
              value={draft.agencyId}
              onChange={(e) => setDraft({ ...draft, agencyId: e.currentTarget.value })}
            >
              <option value="">ทุกส่วนราชการและทั้งจังหวัด</option>
              {(agencies.data?.agencies ?? []).map((a) => (
                <option key={a.id} value={a.id}>
                  {a.nameTh}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="audit-action">รายการ</label>
            <select
              id="audit-action"
              value={draft.action}
              onChange={(e) => setDraft({ ...draft, action: e.currentTarget.value })}
            >
              <option value="">ทุกรายการ</option>
              <optgroup label="ทั้งหมวด">
                {Object.entries(AUDIT_ACTION_FAMILY_TH).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </optgroup>
              <optgroup label="รายการเดียว">
                {Object.entries(AUDIT_ACTION_TH).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </optgroup>
            </select>
          </div>
          <div class="field">
            <label for="audit-limit">จำนวนต่อหน้า</label>
            <select
              id="audit-limit"
              value={draft.limit}
              onChange={(e) => setDraft({ ...draft, limit: e.currentTarget.value })}
            >
              {PAGE_SIZES.map((size) => (
                <option key={size} value={size}>
                  {size} รายการ
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="row">
          <ThaiDateInput
            id="audit-from"
            legend="ตั้งแต่วันที่"
            value={draft.from}
            onChange={(from) => setDraft({ ...draft, from })}
          />
          <ThaiDateInput
            id="audit-to"
            legend="ถึงวันที่"
            value={draft.to}
            onChange={(to) => setDraft({ ...draft, to })}
          />
        </div>
        <div class="actions">
          <button type="submit" disabled={busy}>
            แสดงประวัติ
          </button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft(EMPTY);
              void load(EMPTY, [undefined]);
            }}
          >
            ล้างตัวกรอง
          </button>
        </div>
      </form>
      <Notice id="audit-message" message={message} />
      {page && (
        <>
          <p id="audit-page" aria-live="polite">
            หน้า {trail.length} · {page.entries.length} รายการ
            {applied.from || applied.to
              ? ` · ${applied.from ? thaiDate(applied.from) : 'เริ่มต้น'} ถึง ${applied.to ? thaiDate(applied.to) : 'ปัจจุบัน'}`
              : ''}
          </p>
          <ScrollTable
            class="console-table"
            id="audit-table"
            captionId="audit-caption"
            caption={<>ประวัติการทำรายการ หน้า {trail.length}</>}
            columns={['เวลา', 'ผู้ทำรายการ', 'รายการ', 'ส่วนราชการ', 'รายละเอียด']}
          >
            {page.entries.map((entry) => (
              <tr key={entry.id} data-action={entry.action}>
                <th scope="row">{thaiDateTime(entry.at)}</th>
                <td>{who(entry)}</td>
                <td>{auditActionTh(entry.action)}</td>
                <td>{entry.agencyId ? (names.get(entry.agencyId) ?? entry.agencyId) : 'ทั้งจังหวัด'}</td>
                <td>
                  <details>
                    <summary>{entry.target}</summary>
                    <pre class="changes">{JSON.stringify(entry.changes, null, 2)}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </ScrollTable>
          <div class="actions">
            {trail.length > 1 && (
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() => void load(applied, trail.slice(0, -1))}
              >
                หน้าก่อนหน้า
              </button>
            )}
            {page.nextToken && (
              <button
                type="button"
                id="audit-next"
                disabled={busy}
                onClick={() => void load(applied, [...trail, page.nextToken])}
              >
                หน้าถัดไป
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
};
