import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for an agency's website on 127.0.0.1, for trying the link watch on `npm start`: a
 * home page and one page per OIT item (`/ita/<itemId>`, any id), in Thai. An operator switches it
 * off and on (`npm run testsite -- off|on`) through its local-only control path; switched off,
 * every page answers 404 with a Thai "page not found", as a site whose pages were taken down.
 * The link checker reaches it only through the loopback allowance of the local configuration.
 */

export type TestSiteState = 'on' | 'off';

/** The control path: `GET` reads the state, `POST {"state":"on"|"off"}` sets it. Never a page of the site. */
export const TEST_SITE_CONTROL_PATH = '/_local/testsite';

export type TestSite = {
  /** The site's origin, e.g. `http://127.0.0.1:8007`. */
  url: string;
  /** A page for one OIT item: the URL an agency submits. */
  pageUrl: (itemId: string) => string;
  controlUrl: string;
  state: () => TestSiteState;
  setState: (state: TestSiteState) => void;
  stop: () => Promise<void>;
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) =>
  `<!doctype html><html lang="th"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
  `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

const home = page(
  'สำนักงานตัวอย่างจังหวัดพัทลุง (เว็บไซต์ทดสอบ)',
  '<p>เว็บไซต์ทดสอบในเครื่อง สำหรับลองระบบตรวจลิงก์หลักฐาน OIT</p>' +
    '<ul><li><a href="/ita/o1">ข้อ o1 โครงสร้าง</a></li><li><a href="/ita/o14">ข้อ o14 แผนการจัดซื้อจัดจ้าง</a></li></ul>',
);

const itemPage = (itemId: string) =>
  page(
    `การเปิดเผยข้อมูลสาธารณะ ข้อ ${itemId}`,
    `<p>หน้านี้เผยแพร่ข้อมูลตามแบบวัด OIT ข้อ ${escapeHtml(itemId)} ของหน่วยงานทดสอบ</p>`,
  );

const NOT_FOUND = page('ไม่พบหน้าที่คุณต้องการ', '<p>หน้านี้ถูกปิดหรือย้ายไปแล้ว (เว็บไซต์ทดสอบถูกปิด)</p>');

export const startTestSite = async (options: { port?: number; host?: string } = {}): Promise<TestSite> => {
  const host = options.host ?? '127.0.0.1';
  let state: TestSiteState = 'on';
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', `http://${host}`).pathname;
    const html = (status: number, body: string) =>
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    if (path === TEST_SITE_CONTROL_PATH) {
      if (req.method === 'GET') return json(200, { state });
      if (req.method !== 'POST') return json(405, { error: 'use GET or POST' });
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      try {
        const wanted = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { state?: unknown }).state;
        if (wanted !== 'on' && wanted !== 'off') return json(400, { error: 'state must be "on" or "off"' });
        state = wanted;
        return json(200, { state });
      } catch {
        return json(400, { error: 'send {"state":"on"} or {"state":"off"}' });
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return html(405, NOT_FOUND);
    if (state === 'off') return html(404, NOT_FOUND);
    if (path === '/') return html(200, home);
    const item = /^\/ita\/([a-z0-9-]{1,20})\/?$/.exec(path);
    return item ? html(200, itemPage(item[1]!)) : html(404, NOT_FOUND);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    pageUrl: (itemId) => `${url}/ita/${encodeURIComponent(itemId)}`,
    controlUrl: `${url}${TEST_SITE_CONTROL_PATH}`,
    state: () => state,
    setState: (next) => {
      state = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
