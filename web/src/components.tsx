import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  beToCe,
  ceToBe,
  daysInMonth,
  formatThaiDate,
  isIsoDate,
  isoFromParts,
  isoParts,
  THAI_MONTHS,
  thaiMonthName,
} from '../../shared/domain/thai-date.ts';
import { newIdempotencyKey } from './api.ts';
import { thaiError } from './messages.ts';

/**
 * The page's one heading. It takes focus when the page opens, so a screen reader announces the
 * new page after a hash navigation and keyboard users start from the top of it.
 */
export const PageHeading = ({ children }: { children: ComponentChildren }) => {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1} id="page-heading">
      {children}
    </h1>
  );
};

export type Message = { kind: 'ok' | 'error' | 'info'; text: string };

/**
 * A message region that screen readers read out when its text changes. It is always in the
 * document (an aria-live region added together with its text is often not announced).
 */
export const Notice = ({ message, id }: { message: Message | null; id?: string }) => (
  <p
    id={id}
    class={message ? `notice ${message.kind}` : 'notice empty'}
    role={message?.kind === 'error' ? 'alert' : 'status'}
    aria-live={message?.kind === 'error' ? 'assertive' : 'polite'}
  >
    {message?.text ?? ''}
  </p>
);

/**
 * One user action = one request with one Idempotency-Key. The key is kept when the request got
 * no answer (network error: it may have been applied), so pressing the button again replays the
 * first answer instead of writing twice; it is renewed once the API has answered either way.
 */
export const useAction = () => {
  const key = useRef<string>(newIdempotencyKey());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const run = async (
    act: (idempotencyKey: string) => Promise<string>,
    onError?: (error: unknown) => void,
  ): Promise<boolean> => {
    if (busy) return false;
    setBusy(true);
    setMessage(null);
    try {
      const text = await act(key.current);
      key.current = newIdempotencyKey();
      setMessage({ kind: 'ok', text });
      return true;
    } catch (error) {
      if ((error as { status?: number }).status !== 0) key.current = newIdempotencyKey();
      setMessage({ kind: 'error', text: thaiError(error) });
      onError?.(error);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, message, setMessage };
};

/**
 * A form's submit button while its action runs: disabled, so a second press cannot send the form
 * again, and saying what it is doing (`busyLabel`) instead of `children`.
 */
export const SubmitButton = ({
  busy,
  busyLabel,
  children,
}: {
  busy: boolean;
  busyLabel: string;
  children: ComponentChildren;
}) => (
  <button type="submit" disabled={busy}>
    {busy ? busyLabel : children}
  </button>
);

/**
 * A text control bound to a `useState` pair: its value, and every keystroke stored back.
 * `<input {...textValue(email, setEmail)} />`.
 */
export const textValue = (value: string, set: (value: string) => void) => ({
  value,
  onInput: (e: { currentTarget: { value: string } }) => set(e.currentTarget.value),
});

/** A labelled progress bar: `done / total`, the fill capped at 100 %, an optional expected mark. */
export const Bar = ({
  label,
  done,
  total,
  expected,
  name,
}: {
  label: string;
  done: number;
  total: number;
  expected?: number | undefined;
  name: string;
}) => {
  const share = total > 0 ? Math.min(100, (done / total) * 100) : 100;
  const fill = useRef<HTMLSpanElement>(null);
  const mark = useRef<HTMLSpanElement>(null);
  // Widths set from script: the CSP forbids style attributes, not the CSSOM.
  useEffect(() => {
    if (fill.current) fill.current.style.width = `${share}%`;
    if (mark.current && expected !== undefined && total > 0)
      mark.current.style.left = `${Math.min(100, (expected / total) * 100)}%`;
  }, [share, expected, total]);
  return (
    <div class="bar" data-bar={name}>
      <span class="bar-label">{label}</span>
      <span
        class="track"
        role="img"
        aria-label={`${label} ${done} จาก ${total}${expected !== undefined ? ` ควรถึง ${expected}` : ''}`}
      >
        <span ref={fill} class={share < 50 ? 'fill low' : 'fill'} />
        {expected !== undefined && <span ref={mark} class="expected" />}
      </span>
      <span class="num">
        {done}/{total}
      </span>
    </div>
  );
};

export const Badge = ({ kind, children }: { kind: string; children: ComponentChildren }) => (
  <span class={`badge ${kind}`}>{children}</span>
);

/** A column heading; `{ hidden }` is read by screen readers only (a column of buttons). */
export type TableColumn = string | { hidden: string };

/**
 * A data table that scrolls sideways inside its box on a phone. The box is named by the table's
 * caption and takes focus, so a keyboard can scroll it too (axe: scrollable-region-focusable).
 * The other props (class, id, data-*) are the table's; `children` are its body rows.
 */
export const ScrollTable = ({
  captionId,
  caption,
  columns,
  children,
  ...table
}: {
  captionId: string;
  caption: ComponentChildren;
  columns: readonly TableColumn[];
  children: ComponentChildren;
} & Omit<JSX.HTMLAttributes<HTMLTableElement>, 'children'>) => (
  // biome-ignore lint/a11y/noNoninteractiveTabindex: the table scrolls sideways on a phone; focus lets a keyboard scroll it (axe: scrollable-region-focusable)
  <section class="scroll" tabIndex={0} aria-labelledby={captionId}>
    <table {...table}>
      <caption id={captionId}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) =>
            typeof column === 'string' ? (
              <th key={column} scope="col">
                {column}
              </th>
            ) : (
              <th key={column.hidden} scope="col">
                <span class="visually-hidden">{column.hidden}</span>
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  </section>
);

/**
 * A date typed in the Buddhist era: day, Thai month and BE year as three labelled controls in one
 * fieldset (a native date picker shows the Gregorian year in most browsers, and people here write
 * 2567). `value` and `onChange` carry the ISO date the API takes; an impossible date (31 เม.ย.) or
 * a part left empty gives `''`, and the fieldset says which date it reads.
 */
export const ThaiDateInput = ({
  id,
  legend,
  value,
  onChange,
  required = false,
}: {
  id: string;
  legend: string;
  value: string;
  onChange: (iso: string) => void;
  required?: boolean;
}) => {
  const parts = isIsoDate(value) ? isoParts(value) : null;
  const [day, setDay] = useState(parts ? String(parts.day) : '');
  const [month, setMonth] = useState(parts ? String(parts.month) : '');
  const [year, setYear] = useState(parts ? String(ceToBe(parts.year)) : '');
  useEffect(() => {
    if (!isIsoDate(value)) return;
    const next = isoParts(value);
    setDay(String(next.day));
    setMonth(String(next.month));
    setYear(String(ceToBe(next.year)));
  }, [value]);
  const compose = (d: string, m: string, y: string) => {
    const be = Number(y);
    if (!/^\d{4}$/.test(y) || !d || !m || be < 2400 || be > 2700) return '';
    const ce = beToCe(be);
    return Number(d) <= daysInMonth(ce, Number(m)) ? isoFromParts(ce, Number(m), Number(d)) : '';
  };
  const update = (d: string, m: string, y: string) => {
    setDay(d);
    setMonth(m);
    setYear(y);
    onChange(compose(d, m, y));
  };
  const composed = compose(day, month, year);
  const incomplete = (day || month || year) && !composed;
  return (
    <fieldset class="thai-date" aria-describedby={`${id}-read`}>
      <legend>{legend}</legend>
      <div class="thai-date-parts">
        <label for={`${id}-day`}>
          วันที่
          <select
            id={`${id}-day`}
            value={day}
            required={required}
            onChange={(e) => update(e.currentTarget.value, month, year)}
          >
            <option value="">–</option>
            {Array.from({ length: 31 }, (_, i) => (
              <option key={i} value={String(i + 1)}>
                {i + 1}
              </option>
            ))}
          </select>
        </label>
        <label for={`${id}-month`}>
          เดือน
          <select
            id={`${id}-month`}
            value={month}
            required={required}
            onChange={(e) => update(day, e.currentTarget.value, year)}
          >
            <option value="">–</option>
            {THAI_MONTHS.map((_, i) => (
              <option key={i} value={String(i + 1)}>
                {thaiMonthName(i + 1)}
              </option>
            ))}
          </select>
        </label>
        <label for={`${id}-year`}>
          ปี พ.ศ.
          <input
            id={`${id}-year`}
            inputMode="numeric"
            pattern="[0-9]{4}"
            maxLength={4}
            size={5}
            required={required}
            value={year}
            onInput={(e) => update(day, month, e.currentTarget.value.trim())}
          />
        </label>
      </div>
      <span id={`${id}-read`} class={incomplete ? 'thai-date-read bad' : 'thai-date-read muted'}>
        {composed
          ? formatThaiDate(composed)
          : incomplete
            ? 'วันที่นี้ไม่มีในปฏิทิน หรือยังกรอกไม่ครบ (ปี พ.ศ. 4 หลัก)'
            : ''}
      </span>
    </fieldset>
  );
};
