import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
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
