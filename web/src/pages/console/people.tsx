import { useEffect, useRef, useState } from 'preact/hooks';
import { assessmentPath, request } from '../../api.ts';
import { type Message, Notice, ScrollTable, textValue, useAction } from '../../components.tsx';
import { thaiDateTime } from '../../format.ts';
import { AGENCY_CONTACT, ROLE_LABEL } from '../../messages.ts';
import type { Session } from '../../session.ts';
import { useLoaded } from './shared.ts';

/** The answer of `GET /assessments/{id}/people` as this page reads it. */
type PersonRole = { role: string; agencyId?: string; label: string; contact?: string[] };
type PersonSession = {
  tokenId: string;
  role: string;
  agencyId?: string;
  createdAt: string;
  expiresAt: string;
};
type Person = {
  email: string;
  roles: PersonRole[];
  lastSignIn: { at: string; role: string; agencyId?: string } | null;
  sessions: PersonSession[];
};

const roleText = (role: PersonRole): string =>
  role.role === 'agency'
    ? `${role.label} (${(role.contact ?? []).map((c) => AGENCY_CONTACT[c] ?? c).join(' และ ') || 'ส่วนราชการ'})`
    : (ROLE_LABEL[role.role] ?? role.label);

/**
 * Who can sign in and as what: derived by the API from the agencies' contacts and the settings'
 * lists (nothing here is a second copy of that rule), with each address's last sign-in and its
 * live sessions. A session is ended with a confirm step; its token then fails at once.
 */
export const PeopleSection = ({ session }: { session: Session }) => {
  const aid = session.assessmentId;
  const [message, setMessage] = useState<Message | null>(null);
  const [filter, setFilter] = useState('');
  const loaded = useLoaded(
    () => request<{ people: Person[] }>('GET', assessmentPath(aid, '/people'), { token: session.token }),
    [aid, session.token],
  );
  const people = loaded.data?.people ?? [];
  const wanted = filter.trim().toLowerCase();
  const shown = wanted
    ? people.filter(
        (p) =>
          p.email.includes(wanted) ||
          p.roles.some((r) => `${r.label} ${r.agencyId ?? ''}`.toLowerCase().includes(wanted)),
      )
    : people;
  const agencyName = (person: Person, agencyId?: string) =>
    agencyId ? (person.roles.find((r) => r.agencyId === agencyId)?.label ?? agencyId) : '';

  return (
    <section class="card" aria-labelledby="section-heading">
      <h2 id="section-heading">ผู้ใช้งาน</h2>
      <p class="muted">
        ผู้ที่เข้าสู่ระบบได้และในบทบาทใด ตามอีเมลผู้ประสานงานและหัวหน้าส่วนราชการ (หน้าส่วนราชการ) และรายชื่อฝ่ายเลขานุการ ผู้อนุมัติ
        และผู้ติดตามผล (การตั้งค่าการแจ้งเตือน) การเข้าสู่ระบบแต่ละครั้งใช้ได้ 12 ชั่วโมง
      </p>
      <Notice id="people-message" message={loaded.error ? { kind: 'error', text: loaded.error } : message} />
      <div class="field">
        <label for="people-filter">ค้นหาอีเมลหรือส่วนราชการ</label>
        <input id="people-filter" type="search" {...textValue(filter, setFilter)} />
      </div>
      {loaded.data && (
        <ScrollTable
          class="data-table"
          data-people
          captionId="people-caption"
          caption={
            <>
              ผู้ที่เข้าสู่ระบบได้ {shown.length} จาก {people.length} คน
            </>
          }
          columns={['อีเมล', 'บทบาท', 'เข้าสู่ระบบล่าสุด', 'การเข้าสู่ระบบที่ยังใช้งานอยู่']}
        >
          {shown.map((person) => (
            <tr key={person.email} data-person={person.email}>
              <th scope="row">{person.email}</th>
              <td>
                {person.roles.length ? (
                  <ul>
                    {person.roles.map((role) => (
                      <li key={`${role.role}-${role.agencyId ?? ''}`}>{roleText(role)}</li>
                    ))}
                  </ul>
                ) : (
                  'ไม่มีสิทธิ์แล้ว'
                )}
              </td>
              <td data-last-signin={person.lastSignIn?.at ?? ''}>
                {person.lastSignIn
                  ? `${thaiDateTime(person.lastSignIn.at)} (${ROLE_LABEL[person.lastSignIn.role] ?? person.lastSignIn.role}${
                      person.lastSignIn.agencyId ? ` ${agencyName(person, person.lastSignIn.agencyId)}` : ''
                    })`
                  : 'ยังไม่เคยเข้าสู่ระบบ'}
              </td>
              <td>
                {person.sessions.length === 0 ? (
                  'ไม่มี'
                ) : (
                  <ul class="session-list">
                    {person.sessions.map((s) => (
                      <SessionItem
                        key={s.tokenId}
                        session={session}
                        email={person.email}
                        item={s}
                        agency={agencyName(person, s.agencyId)}
                        onRevoked={(text) => {
                          setMessage({ kind: 'ok', text });
                          void loaded.reload();
                        }}
                      />
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}
    </section>
  );
};

/** One live session with its revoke button, then an inline confirm step (keyboard reachable, no popup). */
const SessionItem = ({
  session,
  email,
  item,
  agency,
  onRevoked,
}: {
  session: Session;
  email: string;
  item: PersonSession;
  agency: string;
  onRevoked: (text: string) => void;
}) => {
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  // The button pressed is replaced by the confirm step: focus follows it, so the keyboard stays in place.
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  const action = useAction();
  const what = `${ROLE_LABEL[item.role] ?? item.role}${agency ? ` ${agency}` : ''}`;
  const revoke = () =>
    void action.run(async (key) => {
      await request(
        'DELETE',
        assessmentPath(session.assessmentId, `/tokens/${encodeURIComponent(item.tokenId)}`),
        { token: session.token, idempotencyKey: key },
      );
      const text = `ยกเลิกการเข้าสู่ระบบของ ${email} (${what}) แล้ว`;
      onRevoked(text);
      return text;
    });
  return (
    <li data-session={item.tokenId}>
      {what} · เข้าเมื่อ {thaiDateTime(item.createdAt)} · ใช้ได้ถึง {thaiDateTime(item.expiresAt)}
      <div class="actions">
        {confirming ? (
          <>
            <button
              ref={confirmButton}
              type="button"
              class="reject"
              disabled={action.busy}
              onClick={revoke}
              data-confirm-revoke
            >
              ยืนยันยกเลิกการเข้าสู่ระบบ
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              ไม่ยกเลิก
            </button>
          </>
        ) : (
          <button
            type="button"
            class="secondary"
            onClick={() => setConfirming(true)}
            aria-label={`ยกเลิกการเข้าสู่ระบบ ${email} ${what}`}
          >
            ยกเลิกการเข้าสู่ระบบ
          </button>
        )}
      </div>
      <Notice message={action.message} />
    </li>
  );
};
