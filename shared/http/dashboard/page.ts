import { createHash } from 'node:crypto';
import type { HttpResult } from '../types.ts';
import { DASHBOARD_JS } from './script.ts';
import { DASHBOARD_CSS } from './style.ts';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Nothing but this page's own inline script and style (by hash) and requests to its own origin:
 * no external scripts, fonts or images can load, and the page cannot be framed.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `script-src ${sha256(DASHBOARD_JS)}`,
  `style-src ${sha256(DASHBOARD_CSS)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HTML = `<!doctype html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>แดชบอร์ดการประเมิน ITA</title>
<style>${DASHBOARD_CSS}</style>
</head>
<body>
<header>
<h1 id="title">แดชบอร์ดการประเมิน ITA</h1>
<p id="asof">ติดตามความก้าวหน้าการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ</p>
<button id="logout" class="link hidden" type="button">ล้างโทเคน</button>
</header>
<main>
<section id="login">
<h2>เข้าดูข้อมูล</h2>
<form id="token-form" autocomplete="off">
<input id="token" type="password" aria-label="โทเคน" placeholder="วางโทเคนสำหรับดูข้อมูล (ita_…)">
<button type="submit">เข้าดู</button>
</form>
<p class="muted">โทเคนเก็บไว้ในแท็บนี้เท่านั้น (sessionStorage) และส่งในส่วนหัว Authorization ไม่อยู่ใน URL</p>
</section>
<p id="status" class="error" role="status"></p>
<div id="content" class="hidden grid">
<section id="forecast"><h2>คะแนนคาดการณ์ปีนี้</h2><div id="forecast-body"></div></section>
<section id="behind"><h2>สิ่งที่ล่าช้า</h2><div id="behind-body"></div></section>
<section id="agencies" class="wide"><h2>ความก้าวหน้ารายหน่วยงาน (OIT / IIT / EIT)</h2><div id="agencies-body"></div></section>
<section id="timeline" class="wide"><h2>ปฏิทินการขับเคลื่อน</h2><div id="timeline-body" class="scroll"></div></section>
<section id="pace" class="wide"><h2>การเก็บแบบวัด IIT และ EIT เทียบกับแผน</h2><div id="pace-body" class="score"></div></section>
<section id="agency-view" class="wide hidden"><h2>ความก้าวหน้าของหน่วยงาน</h2><div id="agency-body"></div></section>
</div>
</main>
<script>${DASHBOARD_JS}</script>
</body>
</html>
`;

/**
 * The dashboard's static shell: the same bytes for everyone; the data comes from the API with the
 * token pasted in (province view for viewer, approver, admin; one agency for an agency token).
 */
export const dashboardResponse = (): HttpResult => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': DASHBOARD_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  },
  body: HTML,
});
