import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { escapeHtml } from '#domain/emails/blocks';
import { formatThaiDateTime } from '#domain/thai-date';

/** One push as LINE received it. */
export type StubPush = {
  to: string;
  messages: { type: string; text?: string }[];
  retryKey: string | null;
  at: string;
};
export type StubReply = { replyToken: string; messages: { type: string; text?: string }[]; at: string };

export type LineStubOptions = {
  /** 0 takes a free port (tests); `npm start` uses LINE_PORT, default 8006. */
  port: number;
  /** The channel access token the stub accepts (Authorization: Bearer …); anything else is a 401. */
  accessToken: string;
  /** LINE's free monthly quota as the stub reports it (messages; a group push counts per member). */
  quota?: number;
  /** Members per group when not set with `setMembers`. */
  defaultMembers?: number;
  /** The campaign clock, for the month the consumption counts. */
  now?: () => Date;
};

export type LineStub = {
  url: string;
  port: number;
  pushes: () => StubPush[];
  replies: () => StubReply[];
  /** The next `times` pushes answer `status` (429, 500, 503 …) instead of being accepted. */
  failNext: (status: number, times?: number) => void;
  /** The next push takes this long to answer (a timeout for the adapter). */
  delayNext: (ms: number) => void;
  /** The bot was removed from the group: pushes to it answer 404, its counts 404. */
  leaveGroup: (groupId: string) => void;
  setMembers: (groupId: string, count: number) => void;
  stop: () => Promise<void>;
};

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

const page = (pushes: StubPush[], replies: StubReply[]): string => {
  const byGroup = new Map<string, StubPush[]>();
  for (const p of pushes) byGroup.set(p.to, [...(byGroup.get(p.to) ?? []), p]);
  const text = (m: { type: string; text?: string }) => escapeHtml(m.text ?? `(${m.type})`);
  const groups = [...byGroup.entries()]
    .map(
      ([to, list]) =>
        `<section><h2>กลุ่ม ${escapeHtml(to)} (${list.length} ข้อความ)</h2>${list
          .map(
            (p) =>
              `<article><time>${escapeHtml(formatThaiDateTime(p.at))}</time>${p.messages.map((m) => `<pre>${text(m)}</pre>`).join('')}</article>`,
          )
          .join('')}</section>`,
    )
    .join('');
  const replied = replies
    .map(
      (r) =>
        `<article><time>${escapeHtml(formatThaiDateTime(r.at))}</time>${r.messages.map((m) => `<pre>${text(m)}</pre>`).join('')}</article>`,
    )
    .join('');
  return `<!doctype html><html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>LINE (จำลอง)</title>
<style>body{font-family:Sarabun,Tahoma,sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem}article{border-left:4px solid #06c755;margin:.5rem 0;padding:.25rem .75rem;background:#f6fff9}pre{white-space:pre-wrap;font-family:inherit;margin:.25rem 0}time{color:#555;font-size:.9em}</style></head>
<body><h1>LINE Messaging API (จำลองในเครื่อง)</h1><p>ข้อความที่ระบบส่งถึงกลุ่ม LINE ทั้งหมด ${pushes.length} ข้อความ ไม่มีข้อความใดออกไปยังเซิร์ฟเวอร์ของ LINE (JSON: <a href="/messages">/messages</a>)</p>
${groups || '<p>ยังไม่มีข้อความ</p>'}<h2>ข้อความตอบกลับในกลุ่ม (${replies.length})</h2>${replied || '<p>ยังไม่มี</p>'}</body></html>`;
};

/**
 * A stand-in for the LINE Messaging API on 127.0.0.1, answering what `MessagingApiClient` calls:
 * push (with `X-Line-Retry-Key`; a key seen before answers 409 like LINE), reply, quota and its
 * consumption (a push counts once per group member), a group's summary and member count. It
 * records every push: `GET /messages` as JSON, `/` as a Thai page like the mail inbox.
 */
export const startLineStub = async (options: LineStubOptions): Promise<LineStub> => {
  const pushes: StubPush[] = [];
  const replies: StubReply[] = [];
  const accepted = new Map<string, string>();
  const left = new Set<string>();
  const members = new Map<string, number>();
  const defaultMembers = options.defaultMembers ?? 5;
  const now = options.now ?? (() => new Date());
  let failures: { status: number; times: number } | null = null;
  let delayMs = 0;
  const membersOf = (groupId: string) => members.get(groupId) ?? defaultMembers;

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      if (req.method === 'GET' && path === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page(pushes, replies));
        return;
      }
      if (req.method === 'GET' && path === '/messages') {
        send(res, 200, { messages: pushes, replies });
        return;
      }
      if (req.headers.authorization !== `Bearer ${options.accessToken}`) {
        send(res, 401, {
          message:
            'Authentication failed. Confirm that the access token in the authorization header is valid.',
        });
        return;
      }
      if (req.method === 'POST' && path === '/v2/bot/message/push') {
        const body = JSON.parse(await readBody(req)) as Omit<StubPush, 'retryKey' | 'at'>;
        const retryKey = (req.headers['x-line-retry-key'] as string | undefined) ?? null;
        if (delayMs > 0) {
          const wait = delayMs;
          delayMs = 0;
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
        if (failures && failures.times > 0) {
          failures.times -= 1;
          const status = failures.status;
          if (failures.times === 0) failures = null;
          send(res, status, {
            message:
              status === 429 ? 'You have reached your monthly limit.' : 'An error occurred in the stub',
          });
          return;
        }
        if (left.has(body.to)) {
          send(res, 404, { message: 'Not found' });
          return;
        }
        if (retryKey && accepted.has(retryKey)) {
          send(
            res,
            409,
            { message: 'The retry key is already accepted' },
            { 'x-line-accepted-request-id': accepted.get(retryKey)! },
          );
          return;
        }
        const requestId = randomUUID();
        if (retryKey) accepted.set(retryKey, requestId);
        pushes.push({ to: body.to, messages: body.messages, retryKey, at: now().toISOString() });
        send(
          res,
          200,
          {
            sentMessages: body.messages.map(() => ({
              id: String(Date.now()) + String(pushes.length),
              quoteToken: randomUUID(),
            })),
          },
          { 'x-line-request-id': requestId },
        );
        return;
      }
      if (req.method === 'POST' && path === '/v2/bot/message/reply') {
        const body = JSON.parse(await readBody(req)) as Omit<StubReply, 'at'>;
        replies.push({ replyToken: body.replyToken, messages: body.messages, at: now().toISOString() });
        send(res, 200, { sentMessages: body.messages.map(() => ({ id: randomUUID() })) });
        return;
      }
      if (req.method === 'GET' && path === '/v2/bot/message/quota') {
        send(res, 200, { type: 'limited', value: options.quota ?? 300 });
        return;
      }
      if (req.method === 'GET' && path === '/v2/bot/message/quota/consumption') {
        const month = now().toISOString().slice(0, 7);
        const totalUsage = pushes
          .filter((p) => p.at.startsWith(month))
          .reduce((sum, p) => sum + p.messages.length * membersOf(p.to), 0);
        send(res, 200, { totalUsage });
        return;
      }
      const group = /^\/v2\/bot\/group\/([^/]+)\/(summary|members\/count)$/.exec(path);
      if (req.method === 'GET' && group) {
        const groupId = decodeURIComponent(group[1]!);
        if (left.has(groupId)) {
          send(res, 404, { message: 'Not found' });
          return;
        }
        send(
          res,
          200,
          group[2] === 'summary'
            ? { groupId, groupName: `กลุ่ม ${groupId}`, pictureUrl: '' }
            : { count: membersOf(groupId) },
        );
        return;
      }
      send(res, 404, { message: 'Not found' });
    } catch (error) {
      send(res, 400, { message: error instanceof Error ? error.message : 'bad request' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pushes: () => [...pushes],
    replies: () => [...replies],
    failNext: (status, times = 1) => {
      failures = { status, times };
    },
    delayNext: (ms) => {
      delayMs = ms;
    },
    leaveGroup: (groupId) => {
      left.add(groupId);
    },
    setMembers: (groupId, count) => {
      members.set(groupId, count);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
