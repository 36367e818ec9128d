import { PACE_STATE_TH } from '../labels.ts';
import { deadLinkLine } from '../link-list.ts';
import type { IsoDate } from '../model.ts';
import type { EmailFacts, NotificationRequest, WeeklyDeadLinks } from '../notifications.ts';
import type { PaceFinding } from '../pace.ts';
import { formatThaiDate, formatThaiDateTime, formatThaiWindow } from '../thai-date.ts';
import { type Block, type RenderedEmail, renderBlocks } from './blocks.ts';

/** What the templates need besides the facts: where the progress pages live. */
export type EmailContext = { publicBaseUrl: string };

const d = (date: IsoDate) => formatThaiDate(date, 'abbr');
const n = (value: number) => value.toLocaleString('en-US');
const TOOL = { iit: 'แบบวัด IIT (ผู้มีส่วนได้ส่วนเสียภายใน)', eit: 'แบบวัด EIT (ผู้มีส่วนได้ส่วนเสียภายนอก)' } as const;

/**
 * A page of the web app (web/, served at `/` of the public base URL). Hash routes: the app is one
 * index.html, so the route after `#` never reaches the server and a link opened while signed out
 * goes through sign-in and lands on the page it names.
 */
const appPageUrl = (ctx: EmailContext, assessmentId: string, ...page: string[]): string =>
  `${ctx.publicBaseUrl.replace(/\/$/, '')}/#/${[assessmentId, ...page].map(encodeURIComponent).join('/')}`;

/** The agency's own page: its OIT items, survey counts and tasks, where it does what is asked. */
export const progressUrl = (ctx: EmailContext, assessmentId: string, agencyId: string): string =>
  appPageUrl(ctx, assessmentId, 'agency', agencyId);

/** The approver's queue of submitted OIT items. */
export const reviewUrl = (ctx: EmailContext, assessmentId: string): string =>
  appPageUrl(ctx, assessmentId, 'review');

/** The province's dashboard: every agency's progress (the secretariat's and the committee's page). */
export const dashboardUrl = (ctx: EmailContext, assessmentId: string): string =>
  appPageUrl(ctx, assessmentId, 'dashboard');

/** One finding as one Thai sentence with its numbers. */
export const findingLine = (f: PaceFinding, asOf: IsoDate): string => {
  switch (f.what) {
    case 'oit-behind':
      return `ส่งหลักฐาน OIT แล้ว ${n(f.done)} จาก ${n(f.assigned)} ข้อ ควรส่งได้อย่างน้อย ${n(f.expected)} ข้อ ณ วันที่ ${d(asOf)} (กำหนดส่งครบ ${d(f.deadline)})`;
    case 'oit-incomplete':
      return `ส่งหลักฐาน OIT แล้ว ${n(f.done)} จาก ${n(f.assigned)} ข้อ ยังขาดอีก ${n(f.assigned - f.done)} ข้อ (กำหนดส่งครบ ${d(f.deadline)})`;
    case 'survey-behind': {
      const forecast = f.reachDate
        ? `ในอัตราปัจจุบันจะครบขั้นต่ำประมาณวันที่ ${d(f.reachDate)}`
        : `ในอัตราปัจจุบันคาดว่าจะได้ ${n(f.forecastAtDeadline)} คน ณ วันที่ ${d(f.deadline)} ขาดอีก ${n(f.shortfall)} คน`;
      return `${TOOL[f.tool]}: ตอบแล้ว ${n(f.responses)} จากขั้นต่ำ ${n(f.required)} คน ควรได้อย่างน้อย ${n(f.expected)} คน ณ วันที่ ${d(asOf)}; ${forecast}`;
    }
    case 'survey-incomplete':
      return `${TOOL[f.tool]}: ตอบแล้ว ${n(f.responses)} จากขั้นต่ำ ${n(f.required)} คน ยังขาดอีก ${n(f.required - f.responses)} คน (กำหนด ${d(f.deadline)})`;
    case 'survey-stale':
      return `${TOOL[f.tool]}: ไม่ได้รายงานยอดผู้ตอบมา ${n(f.days)} วัน (${f.lastReported ? `รายงานล่าสุด ${d(f.lastReported)}` : 'ยังไม่เคยรายงาน'}) กรุณารายงานยอดล่าสุด`;
    case 'task-behind':
      return `งานพัฒนา "${f.title}" (${f.taskId}): ความคืบหน้า ${f.progress}% ควรถึง ${f.expected}% (สิ้นสุด ${d(f.deadline)})`;
    case 'task-overdue':
      return `งานพัฒนา "${f.title}" (${f.taskId}): เลยกำหนด ${d(f.deadline)} แล้ว ความคืบหน้า ${f.progress}%`;
  }
};

const NEXT_STEP: Record<PaceFinding['what'], string> = {
  'oit-behind': 'เผยแพร่ข้อมูลบนเว็บไซต์ของหน่วยงาน แล้วส่ง URL หลักฐานของข้อที่เหลือในระบบ',
  'oit-incomplete': 'ส่ง URL หลักฐานของข้อที่ยังขาดโดยเร็ว แล้วแจ้งฝ่ายเลขานุการ',
  'survey-behind': 'ประชาสัมพันธ์ช่องทางตอบแบบวัด (URL / QR code) ให้ผู้มีส่วนได้ส่วนเสียเพิ่มเติม',
  'survey-incomplete': 'เร่งติดตามผู้มีส่วนได้ส่วนเสียให้ตอบแบบวัดจนครบขั้นต่ำ',
  'survey-stale': 'รายงานยอดผู้ตอบแบบวัดล่าสุดจากระบบ ITAS',
  'task-behind': 'ปรับปรุงความคืบหน้างานพัฒนาตามแผน',
  'task-overdue': 'ดำเนินงานพัฒนาที่เลยกำหนดให้แล้วเสร็จ แล้วรายงานความคืบหน้า',
};

const nextSteps = (lines: PaceFinding[]): Block => ({
  kind: 'list',
  items: [...new Set(lines.map((l) => NEXT_STEP[l.what]))],
});

const signature: Block = {
  kind: 'p',
  text: 'อีเมลฉบับนี้ส่งอัตโนมัติจากระบบติดตามการขับเคลื่อนการประเมิน ITA กรุณาอย่าตอบกลับ',
};

/**
 * The link of an email to a role rather than to an agency: the approver's queue for the approver,
 * the dashboard for the secretariat (and for a request naming no audience).
 */
const roleLink = (request: NotificationRequest, ctx: EmailContext): Block =>
  request.audience === 'approver'
    ? { kind: 'link', label: 'รายการรออนุมัติ OIT', url: reviewUrl(ctx, request.assessmentId) }
    : { kind: 'link', label: 'ภาพรวมความก้าวหน้าของจังหวัด', url: dashboardUrl(ctx, request.assessmentId) };

const step = (m: { number: number; title: string }) => `ขั้นตอนที่ ${m.number}: ${m.title}`;

type Rendered<T extends EmailFacts['template']> = (
  facts: Extract<EmailFacts, { template: T }>,
  request: NotificationRequest,
  ctx: EmailContext,
) => RenderedEmail;

export const kickoffEmail: Rendered<'kickoff'> = (f, request, ctx) =>
  renderBlocks(`[ITA ${f.unitName}] เริ่ม${step(f.milestone)}`, [
    { kind: 'p', text: `เรียน ${f.audienceName}` },
    {
      kind: 'p',
      text: `ตามแผนการขับเคลื่อนการประเมิน ITA ของ${f.unitName} ${step(f.milestone)} เริ่มวันนี้ ช่วงเวลา ${formatThaiWindow(f.milestone.window, 'abbr')}`,
    },
    ...(f.agencyId
      ? ([
          { kind: 'p', text: 'ติดตามความก้าวหน้าของหน่วยงานได้ที่ลิงก์ด้านล่าง' },
          {
            kind: 'link',
            label: 'ความก้าวหน้าของหน่วยงาน',
            url: progressUrl(ctx, request.assessmentId, f.agencyId),
          },
        ] as Block[])
      : [roleLink(request, ctx)]),
    signature,
  ]);

const STAGE_SUBJECT = {
  'due-soon': (days: number) => `อีก ${days} วันครบกำหนด`,
  due: () => 'ครบกำหนดวันนี้',
  overdue: () => 'เลยกำหนดแล้ว',
} as const;

export const deadlineEmail: Rendered<'deadline'> = (f, request, ctx) =>
  renderBlocks(`[ITA] ${STAGE_SUBJECT[f.stage](f.daysLeft)}: ${step(f.milestone)} — ${f.agencyName}`, [
    { kind: 'p', text: `เรียน ผู้ประสานงาน ITA ${f.agencyName}` },
    {
      kind: 'p',
      text:
        f.stage === 'overdue'
          ? `${step(f.milestone)} ครบกำหนดเมื่อ ${d(f.milestone.window.end)} ณ วันที่ ${d(f.asOf)} หน่วยงานยังดำเนินการไม่ครบ:`
          : `${step(f.milestone)} ครบกำหนด ${d(f.milestone.window.end)} ณ วันที่ ${d(f.asOf)} หน่วยงานยังดำเนินการไม่ครบ:`,
    },
    { kind: 'list', items: f.lines.map((l) => findingLine(l, f.asOf)) },
    { kind: 'p', text: 'สิ่งที่ควรทำต่อไป:' },
    nextSteps(f.lines),
    { kind: 'link', label: 'ความก้าวหน้าของหน่วยงาน', url: progressUrl(ctx, request.assessmentId, f.agencyId) },
    signature,
  ]);

const LEVEL_NOTE = [
  null,
  'สำเนาเรียนหัวหน้าส่วนราชการเพื่อโปรดทราบ',
  'สำเนาเรียนหัวหน้าส่วนราชการและฝ่ายเลขานุการคณะกรรมการขับเคลื่อนการประเมิน ITA',
] as const;

export const behindEmail: Rendered<'behind'> = (f, request, ctx) => {
  const onlyStale = f.lines.every((l) => l.what === 'survey-stale');
  const overdue = f.lines.some(
    (l) => l.what === 'oit-incomplete' || l.what === 'survey-incomplete' || l.what === 'task-overdue',
  );
  // daysOverdue counts from the first overdue day (0 on it); people count days past the deadline.
  const since = overdue
    ? `เลยกำหนดมาแล้ว ${f.daysOverdue + 1} วัน`
    : f.daysBehind > 0
      ? `ล่าช้ากว่าแผนต่อเนื่องมา ${f.daysBehind} วัน`
      : 'ล่าช้ากว่าแผน';
  const note = LEVEL_NOTE[f.escalation];
  return renderBlocks(
    onlyStale
      ? `[ITA] ${f.agencyName} กรุณารายงานยอดผู้ตอบแบบวัด ณ วันที่ ${d(f.asOf)}`
      : `[ITA] ${f.agencyName} ล่าช้ากว่าแผน ณ วันที่ ${d(f.asOf)}`,
    [
      { kind: 'p', text: `เรียน ผู้ประสานงาน ITA ${f.agencyName}` },
      {
        kind: 'p',
        text: onlyStale
          ? `ณ วันที่ ${d(f.asOf)} ข้อมูลของหน่วยงานต้องปรับปรุง:`
          : `ณ วันที่ ${d(f.asOf)} หน่วยงาน${since} ในเรื่องต่อไปนี้:`,
      },
      { kind: 'list', items: f.lines.map((l) => findingLine(l, f.asOf)) },
      { kind: 'p', text: 'สิ่งที่ควรทำต่อไป:' },
      nextSteps(f.lines),
      {
        kind: 'link',
        label: 'ความก้าวหน้าของหน่วยงาน',
        url: progressUrl(ctx, request.assessmentId, f.agencyId),
      },
      ...(note ? [{ kind: 'p', text: note } as Block] : []),
      signature,
    ],
  );
};

export const approvalEmail: Rendered<'approval'> = (f, request, ctx) =>
  renderBlocks(`[ITA] รออนุมัติ OIT ${n(f.pending)} ข้อ — ${STAGE_SUBJECT[f.stage](f.daysLeft)}`, [
    { kind: 'p', text: 'เรียน ผู้ว่าราชการจังหวัดหรือผู้ที่ได้รับมอบหมาย' },
    {
      kind: 'p',
      text: `${step(f.milestone)} ครบกำหนด ${d(f.milestone.window.end)} ณ วันที่ ${d(f.asOf)} มีคำตอบแบบวัด OIT ที่ส่งแล้วรออนุมัติ ${n(f.pending)} ข้อ:`,
    },
    {
      kind: 'table',
      head: ['ส่วนราชการ', 'รออนุมัติ (ข้อ)'],
      rows: f.agencies.map((a) => [a.agencyName, n(a.pending)]),
    },
    { kind: 'p', text: 'สิ่งที่ควรทำต่อไป: ตรวจสอบและอนุมัติการตอบแบบวัด OIT ในระบบ ITAS ก่อนครบกำหนด' },
    { kind: 'link', label: 'รายการรออนุมัติ OIT', url: reviewUrl(ctx, request.assessmentId) },
    signature,
  ]);

/**
 * The weekly list of dead evidence links: each with its agency, item, since when and why, and what
 * the secretariat does about it. A week without any says so, so its absence is not a doubt.
 */
const deadLinkBlocks = (dead: WeeklyDeadLinks | undefined): Block[] => {
  if (!dead) return [];
  if (dead.total === 0) return [{ kind: 'p', text: 'ลิงก์หลักฐาน OIT: สัปดาห์นี้ไม่มีลิงก์เสีย' }];
  const more = dead.total - dead.rows.length;
  return [
    {
      kind: 'p',
      text: `ลิงก์หลักฐาน OIT ที่เสีย ${n(dead.total)} ลิงก์ (ระบบเปิดไม่ได้ติดต่อกันเกิน 24 ชั่วโมง ผู้ประเมินของ ป.ป.ช. จะเปิดไม่ได้เช่นกัน) แยกตามส่วนราชการ:`,
    },
    { kind: 'list', items: dead.rows.map(deadLinkLine) },
    ...(more > 0 ? [{ kind: 'p' as const, text: `และอีก ${n(more)} ลิงก์ ดูรายการทั้งหมดในแดชบอร์ด` }] : []),
    {
      kind: 'p',
      text: 'สิ่งที่ควรทำต่อไป: ติดตามให้ส่วนราชการแก้หน้าเว็บให้เปิดได้ หรือส่งลิงก์ใหม่ในระบบ (เว็บไซต์ที่หน่วยงานต้นสังกัดดูแลอาจใช้เวลาแก้หลายสัปดาห์ ควรแจ้งโดยเร็ว)',
    },
  ];
};

export const weeklyEmail: Rendered<'weekly'> = (f, request, ctx) =>
  renderBlocks(
    `[ITA ${f.unitName}] สรุปความก้าวหน้ารายสัปดาห์ ณ วันที่ ${d(f.asOf)}${
      f.deadLinks?.total ? ` (ลิงก์หลักฐานเสีย ${n(f.deadLinks.total)} ลิงก์)` : ''
    }`,
    [
      { kind: 'p', text: 'เรียน ฝ่ายเลขานุการคณะกรรมการขับเคลื่อนการประเมิน ITA' },
      { kind: 'p', text: `สรุปความก้าวหน้าของส่วนราชการ ${n(f.rows.length)} แห่ง ณ วันที่ ${d(f.asOf)}:` },
      {
        kind: 'table',
        head: [
          'ส่วนราชการ',
          'OIT (ส่งแล้ว/ทั้งหมด)',
          'IIT (ตอบ/ขั้นต่ำ)',
          'EIT (ตอบ/ขั้นต่ำ)',
          'งานพัฒนา (ค้าง/เลยกำหนด)',
          'สถานะ',
        ],
        rows: f.rows.map((r) => [
          r.agencyName,
          `${n(r.oit.done)}/${n(r.oit.assigned)}`,
          `${n(r.iit.responses)}/${n(r.iit.required)}`,
          `${n(r.eit.responses)}/${n(r.eit.required)}`,
          `${n(r.tasks.open)}/${n(r.tasks.overdue)}`,
          PACE_STATE_TH[r.state],
        ]),
      },
      {
        kind: 'p',
        text: `ล่าช้าหรือเลยกำหนด ${n(f.rows.filter((r) => r.state === 'behind' || r.state === 'overdue').length)} แห่ง สิ่งที่ควรทำต่อไป: ติดตามส่วนราชการที่ล่าช้าตามลำดับการแจ้งเตือน`,
      },
      ...deadLinkBlocks(f.deadLinks),
      { kind: 'link', label: 'ภาพรวมความก้าวหน้าของจังหวัด', url: dashboardUrl(ctx, request.assessmentId) },
      signature,
    ],
  );

/**
 * One evidence link turned dead (two failed checks at least 24 hours apart): the item, the URL,
 * the cause in plain words, what is at stake in NACC's scoring, and what to do.
 */
export const linkDeadEmail: Rendered<'link-dead'> = (f, request, ctx) =>
  renderBlocks(`[ITA] ลิงก์หลักฐาน OIT ข้อ ${f.itemId} ของ ${f.agencyName} เปิดไม่ได้`, [
    { kind: 'p', text: `เรียน ผู้ประสานงาน ITA ${f.agencyName}` },
    {
      kind: 'p',
      text: `ระบบตรวจลิงก์หลักฐานของข้อ ${f.itemId} ${f.itemNameTh} แล้วเปิดไม่ได้ติดต่อกันเกิน 24 ชั่วโมง (ตั้งแต่ ${formatThaiDateTime(f.failingSince)})`,
    },
    {
      kind: 'list',
      items: [`ลิงก์: ${f.url}`, ...(f.finalUrl ? [`ส่งต่อไปที่: ${f.finalUrl}`] : []), `สาเหตุ: ${f.reasonTh}`],
    },
    {
      kind: 'p',
      text: 'ผู้ประเมินของสำนักงาน ป.ป.ช. จะเปิดลิงก์นี้เมื่อตรวจให้คะแนน หากเปิดไม่ได้ ข้อนี้อาจไม่ได้คะแนน',
    },
    { kind: 'p', text: 'สิ่งที่ควรทำต่อไป (อย่างใดอย่างหนึ่ง):' },
    {
      kind: 'list',
      items: [
        'แก้ไขหน้าเว็บให้เปิดได้ที่ลิงก์เดิม (หากเว็บไซต์ดูแลโดยหน่วยงานต้นสังกัด โปรดแจ้งผู้ดูแลโดยเร็ว) ระบบจะตรวจซ้ำทุกวัน',
        `หรือเผยแพร่ข้อมูลในหน้าใหม่ แล้วส่งลิงก์ใหม่ของข้อ ${f.itemId} ในระบบ`,
      ],
    },
    { kind: 'link', label: 'หน้าของหน่วยงานในระบบ', url: progressUrl(ctx, request.assessmentId, f.agencyId) },
    signature,
  ]);

/** The email of a notification request, Thai, HTML and text. */
export const renderEmail = (request: NotificationRequest, ctx: EmailContext): RenderedEmail => {
  const f = request.email;
  switch (f.template) {
    case 'kickoff':
      return kickoffEmail(f, request, ctx);
    case 'deadline':
      return deadlineEmail(f, request, ctx);
    case 'behind':
      return behindEmail(f, request, ctx);
    case 'approval':
      return approvalEmail(f, request, ctx);
    case 'weekly':
      return weeklyEmail(f, request, ctx);
    case 'link-dead':
      return linkDeadEmail(f, request, ctx);
  }
};
