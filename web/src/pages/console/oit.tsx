import { useEffect, useRef, useState } from 'preact/hooks';
import type { OitMatrixAnswer } from '../../../../shared/domain/oit-matrix.ts';
import { ApiError, agencyPath, assessmentPath, request } from '../../api.ts';
import { type Message, Notice, useAction } from '../../components.tsx';
import { ITEM_STATUS } from '../../messages.ts';
import type { Session } from '../../session.ts';
import { useLoaded } from './shared.ts';

type Agency = OitMatrixAnswer['agencies'][number];
type Item = OitMatrixAnswer['catalog'][number];
type Cell = OitMatrixAnswer['cells'][number];

/** What the confirmation dialog asks about: an item holding evidence, before it is taken back. */
type PendingRemoval = { item: Item; agency: Agency; cell: Cell };

/**
 * A column's heading: the agency's name without what every column repeats (`สำนักงาน…จังหวัด<province>`),
 * so thirty columns fit; the full name stays in each cell's accessible name and the heading's title.
 */
export const shortAgencyName = (nameTh: string): string => {
  const short = nameTh
    .replace(/^สำนักงาน/, '')
    .replace(/จังหวัด\S*$/, '')
    .trim();
  return short.length >= 2 ? short : nameTh.replace(/^สำนักงาน/, 'สนง.').replace(/(จังหวัด)\S+$/, '$1');
};

const itemLabel = (item: Item) => `${item.id} ${item.nameTh}`;

/**
 * The OIT assignment matrix: catalog items (rows) x agencies (columns), one toggle per cell, totals
 * per item and per agency. Assigning is `PUT …/oit-assignments`; taking an item back is `DELETE
 * …/oit-assignments/{itemId}`, after a confirmation in a dialog when the agency has already
 * submitted evidence (the evidence then leaves the agency's page and stays in the audit trail).
 * One read for the whole matrix (`GET …/oit-assignments`), again after every change.
 */
export const OitMatrixSection = ({ session }: { session: Session }) => {
  const aid = session.assessmentId;
  const { data, error, reload } = useLoaded(
    () => request<OitMatrixAnswer>('GET', assessmentPath(aid, '/oit-assignments'), { token: session.token }),
    [aid, session.token],
  );
  const action = useAction();
  const [pending, setPending] = useState<PendingRemoval | null>(null);

  const cellOf = (agencyId: string, itemId: string) =>
    data?.cells.find((c) => c.agencyId === agencyId && c.itemId === itemId);

  /** A refusal that means "the matrix you see is old" reloads it, so the next press acts on the truth. */
  const reloadOnConflict = (failure: unknown) => {
    if (failure instanceof ApiError && (failure.status === 404 || failure.status === 409)) void reload();
  };

  const assign = (item: Item, agencies: readonly Agency[]) =>
    action.run(
      async (key) => {
        // One agency at a time: each assignment moves the assessment's version the next is checked against.
        for (const agency of agencies)
          await request('PUT', agencyPath(aid, agency.id, '/oit-assignments'), {
            token: session.token,
            idempotencyKey: agencies.length === 1 ? key : `${key}-${agency.id}`,
            body: { items: [item.id] },
          });
        await reload();
        return agencies.length === 1
          ? `มอบหมายข้อ ${item.id} ให้${agencies[0]!.nameTh}แล้ว`
          : `มอบหมายข้อ ${item.id} ให้อีก ${agencies.length} ส่วนราชการแล้ว`;
      },
      (failure) => {
        // Some agencies of an assign-to-all may be done: show the matrix as it now is (a network error
        // keeps the key, so pressing again replays what was done and finishes the rest).
        if (failure instanceof ApiError && failure.status !== 0) void reload();
      },
    );

  const unassign = (item: Item, agency: Agency, confirm: boolean) =>
    action.run(
      async (key) => {
        await request(
          'DELETE',
          agencyPath(
            aid,
            agency.id,
            `/oit-assignments/${encodeURIComponent(item.id)}${confirm ? '?confirm=true' : ''}`,
          ),
          { token: session.token, idempotencyKey: key },
        );
        await reload();
        return confirm
          ? `ยกเลิกการมอบหมายข้อ ${item.id} ของ${agency.nameTh}แล้ว หลักฐานเดิมเก็บไว้ในประวัติการทำรายการ`
          : `ยกเลิกการมอบหมายข้อ ${item.id} ของ${agency.nameTh}แล้ว`;
      },
      (failure) => {
        // The agency submitted meanwhile: ask, as if the cell had shown it (the refusal says what it holds).
        if (failure instanceof ApiError && failure.code === 'evidence_exists') {
          const held = (path: string) => failure.details.find((d) => d.path === path)?.message ?? '';
          const status = held('evidence.status') as Cell['status'];
          void reload();
          setPending({
            item,
            agency,
            cell: {
              agencyId: agency.id,
              itemId: item.id,
              status: status in ITEM_STATUS ? status : 'submitted',
              urls: Number(held('evidence.urls')) || 0,
              hasEvidence: true,
              deadLinks: 0,
            },
          });
          action.setMessage({ kind: 'info', text: 'ส่วนราชการส่งหลักฐานข้อนี้แล้วระหว่างนั้น กรุณายืนยันอีกครั้ง' });
          return;
        }
        reloadOnConflict(failure);
      },
    );

  const toggle = (item: Item, agency: Agency) => {
    const cell = cellOf(agency.id, item.id);
    if (!cell) return void assign(item, [agency]);
    if (cell.hasEvidence) return setPending({ item, agency, cell });
    return void unassign(item, agency, false);
  };

  if (!data)
    return (
      <section class="card" aria-labelledby="section-heading">
        <h2 id="section-heading">มอบหมายข้อ OIT</h2>
        {error ? <Notice message={{ kind: 'error', text: error }} /> : <p class="muted">กำลังโหลด…</p>}
      </section>
    );

  const itemTotal = (itemId: string) => data.cells.filter((c) => c.itemId === itemId).length;
  const agencyTotal = (agencyId: string) => data.cells.filter((c) => c.agencyId === agencyId).length;

  return (
    <section class="card" aria-labelledby="section-heading" id="oit-matrix">
      <h2 id="section-heading">มอบหมายข้อ OIT</h2>
      <p class="muted">
        กดช่องเพื่อมอบหมายข้อให้ส่วนราชการ กดอีกครั้งเพื่อยกเลิก ช่องที่มอบหมายแล้วแสดงสถานะหลักฐาน (✓) ข้อที่ส่งหลักฐานแล้ว
        ระบบจะถามก่อนยกเลิก
      </p>
      <Notice id="oit-message" message={action.message} />
      {error && <Notice message={{ kind: 'error', text: error }} />}
      <p id="oit-totals">
        มอบหมายแล้วทั้งหมด <strong>{data.cells.length}</strong> รายการ ใน {data.agencies.length} ส่วนราชการ
      </p>
      <div class="scroll matrix-scroll">
        <table class="oit-matrix">
          <caption>ข้อ OIT (แถว) กับส่วนราชการ (คอลัมน์) พร้อมจำนวนรวมต่อข้อและต่อส่วนราชการ</caption>
          <thead>
            <tr>
              <th scope="col" class="matrix-item">
                ข้อ
              </th>
              {data.agencies.map((agency) => (
                <th key={agency.id} scope="col" title={agency.nameTh} data-agency={agency.id}>
                  {shortAgencyName(agency.nameTh)}
                </th>
              ))}
              <th scope="col">รวม (ส่วนราชการ)</th>
            </tr>
          </thead>
          <tbody>
            {data.catalog.map((item) => {
              const missing = data.agencies.filter((a) => !cellOf(a.id, item.id));
              return (
                <tr key={item.id} data-item={item.id}>
                  <th scope="row" class="matrix-item">
                    <span class="matrix-item-name">{itemLabel(item)}</span>
                    {missing.length > 0 && data.agencies.length > 1 && (
                      <button
                        type="button"
                        class="secondary matrix-all"
                        disabled={action.busy}
                        aria-label={`มอบหมายทุกส่วนราชการ: ข้อ ${itemLabel(item)} (อีก ${missing.length} ส่วนราชการ)`}
                        onClick={() => void assign(item, missing)}
                      >
                        มอบหมายทุกส่วนราชการ
                      </button>
                    )}
                  </th>
                  {data.agencies.map((agency) => {
                    const cell = cellOf(agency.id, item.id);
                    const statusId = `status-${agency.id}-${item.id}`;
                    return (
                      <td key={agency.id}>
                        <button
                          type="button"
                          class={cell ? `matrix-cell on ${cell.status}` : 'matrix-cell'}
                          aria-pressed={cell ? 'true' : 'false'}
                          aria-label={`มอบหมาย ${itemLabel(item)} ให้ ${agency.nameTh}`}
                          aria-describedby={cell ? statusId : undefined}
                          data-cell={`${agency.id}/${item.id}`}
                          disabled={action.busy}
                          onClick={() => toggle(item, agency)}
                        >
                          <span aria-hidden="true">{cell ? '✓' : '–'}</span>
                        </button>
                        {/* The status beside the toggle (its description), so the toggle's name stays what it does. */}
                        {cell && (
                          <span id={statusId} class="matrix-status">
                            {ITEM_STATUS[cell.status]}
                            {cell.deadLinks > 0 ? ` · ลิงก์เสีย ${cell.deadLinks}` : ''}
                          </span>
                        )}
                      </td>
                    );
                  })}
                  <td class="num" data-item-total={item.id}>
                    {itemTotal(item.id)}
                  </td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" class="matrix-item">
                รวม (ข้อ)
              </th>
              {data.agencies.map((agency) => (
                <td key={agency.id} class="num" data-agency-total={agency.id}>
                  {agencyTotal(agency.id)}
                </td>
              ))}
              <td class="num">{data.cells.length}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <ConfirmRemoval
        pending={pending}
        onCancel={() => setPending(null)}
        onConfirm={(removal) => {
          setPending(null);
          void unassign(removal.item, removal.agency, true);
        }}
      />
    </section>
  );
};

/**
 * The confirmation before an item holding evidence is taken back: a modal `<dialog>` (focus moves
 * into it, Escape cancels, the page behind is inert), the consequence in Thai, cancel first.
 */
const ConfirmRemoval = ({
  pending,
  onCancel,
  onConfirm,
}: {
  pending: PendingRemoval | null;
  onCancel: () => void;
  onConfirm: (removal: PendingRemoval) => void;
}) => {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (pending && !dialog.open) dialog.showModal();
    if (!pending && dialog.open) dialog.close();
  }, [pending]);
  const message: Message | null = pending
    ? {
        kind: 'info',
        text: `ข้อนี้มีหลักฐานแล้ว (สถานะ ${ITEM_STATUS[pending.cell.status]}, ลิงก์ ${pending.cell.urls} รายการ) หากยกเลิกการมอบหมาย หลักฐานจะถูกนำออกจากหน้าของส่วนราชการ และหลักฐานจะถูกเก็บไว้ในประวัติการทำรายการ`,
      }
    : null;
  return (
    <dialog ref={ref} class="confirm" aria-labelledby="confirm-heading" onCancel={onCancel} id="oit-confirm">
      {pending && (
        <>
          <h3 id="confirm-heading">
            ยกเลิกการมอบหมายข้อ {pending.item.id} ของ{pending.agency.nameTh}?
          </h3>
          <p>{message?.text}</p>
          <div class="actions">
            <button type="button" class="secondary" onClick={onCancel} autofocus>
              ไม่ยกเลิก
            </button>
            <button type="button" class="reject" onClick={() => onConfirm(pending)}>
              ยกเลิกการมอบหมายและนำหลักฐานออก
            </button>
          </div>
        </>
      )}
    </dialog>
  );
};
