import { useEffect, useState } from 'preact/hooks';
import { ApiError, agencyPath, assessmentPath, request } from '../api.ts';
import { type Message, Notice, PageHeading, textValue, useAction } from '../components.tsx';
import { thaiDateTime } from '../format.ts';
import { EvidenceLinks } from '../link-health.tsx';
import { thaiError } from '../messages.ts';
import type { Session } from '../session.ts';
import type { QueueItem } from '../types.ts';

type Queue = { items: QueueItem[]; names: Map<string, string> };

/**
 * The approver's queue: every submitted OIT item across the agencies, oldest first. Each decision
 * carries the version the approver saw (`If-Match`); evidence replaced meanwhile is a 409, shown
 * in Thai with the queue reloaded, so nobody approves links they have not seen.
 */
export const ReviewPage = ({ session }: { session: Session }) => {
  const [queue, setQueue] = useState<Queue | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const aid = session.assessmentId;

  const load = async () => {
    try {
      const [submitted, agencies] = await Promise.all([
        request<{ items: QueueItem[] }>('GET', assessmentPath(aid, '/oit?status=submitted'), {
          token: session.token,
        }),
        request<{ agencies: { id: string; nameTh: string }[] }>('GET', assessmentPath(aid, '/agencies'), {
          token: session.token,
        }),
      ]);
      const items = [...submitted.items].sort((a, b) =>
        (a.submittedAt ?? '').localeCompare(b.submittedAt ?? ''),
      );
      setQueue({ items, names: new Map(agencies.agencies.map((a) => [a.id, a.nameTh])) });
    } catch (error) {
      setMessage({ kind: 'error', text: thaiError(error) });
    }
  };

  useEffect(() => {
    void load();
  }, [session.token]);

  if (session.role !== 'approver')
    return (
      <section class="card" aria-labelledby="page-heading">
        <PageHeading>รายการรออนุมัติ</PageHeading>
        <p>หน้านี้สำหรับผู้อนุมัติ (ผู้ว่าราชการจังหวัดหรือผู้ที่ได้รับมอบหมาย) เท่านั้น</p>
      </section>
    );

  return (
    <div class="page">
      <section class="card" aria-labelledby="page-heading">
        <PageHeading>รายการรออนุมัติ</PageHeading>
        <p class="muted">หลักฐาน OIT ที่ส่วนราชการส่งแล้วและรอการพิจารณา เปิดลิงก์เพื่อตรวจ แล้วอนุมัติ หรือไม่อนุมัติพร้อมเหตุผล</p>
        <Notice id="review-message" message={message} />
        {queue && <p id="queue-count">รออนุมัติ {queue.items.length} รายการ</p>}
      </section>
      {queue?.items.length === 0 && (
        <section class="card">
          <p>ไม่มีรายการรออนุมัติ</p>
        </section>
      )}
      <ul class="queue">
        {queue?.items.map((item) => (
          <ReviewItem
            key={`${item.agencyId}/${item.itemId}/${item.version ?? item.updatedAt}`}
            item={item}
            agencyName={queue.names.get(item.agencyId) ?? item.agencyId}
            session={session}
            onDone={(text) => {
              setMessage(text);
              void load();
            }}
          />
        ))}
      </ul>
    </div>
  );
};

const ReviewItem = ({
  item,
  agencyName,
  session,
  onDone,
}: {
  item: QueueItem;
  agencyName: string;
  session: Session;
  onDone: (message: Message) => void;
}) => {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction();
  const id = `review-${item.agencyId}-${item.itemId}`;
  const what = `ข้อ ${item.itemId} ของ${agencyName}`;
  const dead = (item.links ?? []).filter((l) => l.state === 'dead').length;

  const decide = (body: { decision: 'approve' } | { decision: 'reject'; reason: string }, done: string) =>
    action.run(
      async (key) => {
        await request(
          'POST',
          agencyPath(session.assessmentId, item.agencyId, `/oit/${encodeURIComponent(item.itemId)}/review`),
          { token: session.token, idempotencyKey: key, ifMatch: item.version, body },
        );
        onDone({ kind: 'ok', text: done });
        return done;
      },
      (error) => {
        if (error instanceof ApiError && (error.status === 409 || error.status === 422))
          onDone({ kind: 'error', text: `${what}: ${thaiError(error)}` });
      },
    );

  const approve = () => void decide({ decision: 'approve' }, `อนุมัติ${what}แล้ว`);

  const reject = (event: Event) => {
    event.preventDefault();
    if (!reason.trim()) {
      action.setMessage({ kind: 'error', text: 'กรุณาระบุเหตุผลที่ไม่อนุมัติ เพื่อให้หน่วยงานแก้ไขได้ถูกต้อง' });
      return;
    }
    void decide({ decision: 'reject', reason: reason.trim() }, `ไม่อนุมัติ${what} และแจ้งเหตุผลแล้ว`);
  };

  return (
    <li class="card item" data-review={`${item.agencyId}/${item.itemId}`}>
      <h2 class="item-title">
        {item.itemId} {item.nameTh}
      </h2>
      <p>
        <strong>{agencyName}</strong>
        {/* The queue names the token that submitted; only an address (a sign-in token's label) means anything to a person. */}
        {item.submittedBy?.includes('@') ? ` · ส่งโดย ${item.submittedBy}` : ''}
        {item.submittedAt ? ` · ส่งเมื่อ ${thaiDateTime(item.submittedAt)}` : ''}
      </p>
      {dead > 0 && (
        <p class="reason" data-dead-links={dead}>
          ลิงก์เสีย {dead} ลิงก์: ระบบเปิดลิงก์นี้ไม่ได้ติดต่อกันเกิน 24 ชั่วโมง ผู้ประเมินของ ป.ป.ช. อาจไม่ให้คะแนนข้อนี้ ตรวจก่อนอนุมัติ
        </p>
      )}
      <EvidenceLinks urls={item.urls ?? []} links={item.links} />
      {item.note && <p class="note">หมายเหตุ: {item.note}</p>}
      <div class="actions">
        <button type="button" class="approve" disabled={action.busy} onClick={approve}>
          อนุมัติ
        </button>
        <button
          type="button"
          class="secondary"
          aria-expanded={rejecting}
          aria-controls={`${id}-form`}
          onClick={() => setRejecting(!rejecting)}
        >
          ไม่อนุมัติ…
        </button>
      </div>
      {rejecting && (
        <form id={`${id}-form`} class="stack" onSubmit={reject}>
          <label for={`${id}-reason`}>เหตุผลที่ไม่อนุมัติ (จำเป็น หน่วยงานจะเห็นข้อความนี้)</label>
          <textarea id={`${id}-reason`} rows={2} required {...textValue(reason, setReason)} />
          <button type="submit" class="reject" disabled={action.busy}>
            ยืนยันไม่อนุมัติ
          </button>
        </form>
      )}
      <Notice message={action.message} />
    </li>
  );
};
