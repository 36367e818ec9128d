import { describe, expect, it } from 'vitest';
import { renderEmail } from '#domain/emails/templates';
import type { EmailFacts, NotificationRequest } from '#domain/notifications';

const ctx = { publicBaseUrl: 'https://ita.example.org' };
const m7 = {
  number: 7,
  title: 'ส่วนราชการเผยแพร่ข้อมูลลงในเว็บไซต์ตามแบบวัด OIT',
  window: { start: '2024-01-01', end: '2024-03-31' },
};

/** The approver's reminder of step 10, with `pending` submissions of one agency waiting. */
const approval = (
  when: Pick<Extract<EmailFacts, { template: 'approval' }>, 'stage' | 'daysLeft' | 'asOf'>,
  pending: number,
): EmailFacts => ({
  template: 'approval',
  ...when,
  unitName: 'จังหวัดพัทลุง',
  milestone: {
    number: 10,
    title: 'อนุมัติการตอบแบบวัด OIT ในระบบ ITAS',
    window: { start: '2024-04-01', end: '2024-04-30' },
  },
  pending,
  agencies: [{ agencyName: 'สำนักงานจังหวัดพัทลุง', pending }],
});

const request = (email: EmailFacts, subject = 'pt-land'): NotificationRequest => ({
  assessmentId: 'phatthalung-2567',
  subject,
  kind: 'behind',
  localDate: '2024-02-15',
  to: ['ita.land@example.org'],
  cc: [],
  email,
});

const behind: EmailFacts = {
  template: 'behind',
  asOf: '2024-02-15',
  unitName: 'จังหวัดพัทลุง',
  agencyId: 'pt-land',
  agencyName: 'สำนักงานที่ดินจังหวัดพัทลุง',
  lines: [
    { what: 'oit-behind', done: 12, assigned: 20, expected: 15, deadline: '2024-03-31' },
    {
      what: 'survey-behind',
      tool: 'eit',
      responses: 40,
      required: 400,
      expected: 181,
      deadline: '2024-07-01',
      forecastAtDeadline: 150,
      reachDate: null,
      shortfall: 250,
    },
    { what: 'survey-stale', tool: 'iit', lastReported: null, days: 45 },
  ],
  daysBehind: 7,
  daysOverdue: 0,
  escalation: 1,
};

describe('Thai emails', () => {
  it('renders the behind email with its numbers, Thai BE dates, next steps and progress link', () => {
    // Act
    const mail = renderEmail(request(behind), ctx);

    // Assess
    expect(mail.text).toContain('ส่งหลักฐาน OIT แล้ว 12 จาก 20 ข้อ ควรส่งได้อย่างน้อย 15 ข้อ ณ วันที่ 15 ก.พ. 2567');
    // The agency's page of the web app, not the JSON route (which would answer 401).
    expect(mail.text).toContain(
      'ความก้าวหน้าของหน่วยงาน: https://ita.example.org/#/phatthalung-2567/agency/pt-land\n',
    );
    expect(mail.html).not.toContain('/agencies/pt-land/progress');
    expect(mail).toMatchSnapshot();
  });

  it('states the days past the deadline in calendar days (the first overdue day is 1 day)', () => {
    // Prepare: 1 Apr 2567, the first day after the 31 Mar deadline
    const overdue: EmailFacts = {
      ...behind,
      asOf: '2024-04-01',
      lines: [{ what: 'oit-incomplete', done: 12, assigned: 20, deadline: '2024-03-31' }],
      daysOverdue: 0,
    };

    // Act
    const mail = renderEmail(request(overdue), ctx);

    // Assess
    expect(mail.text).toContain('เลยกำหนดมาแล้ว 1 วัน');
  });

  it.each<[string, EmailFacts]>([
    [
      'kickoff',
      {
        template: 'kickoff',
        unitName: 'จังหวัดพัทลุง',
        milestone: m7,
        audienceName: 'สำนักงานที่ดินจังหวัดพัทลุง',
        agencyId: 'pt-land',
      },
    ],
    [
      'deadline',
      {
        template: 'deadline',
        stage: 'due-soon',
        daysLeft: 7,
        asOf: '2024-03-24',
        unitName: 'จังหวัดพัทลุง',
        milestone: m7,
        agencyId: 'pt-land',
        agencyName: 'สำนักงานที่ดินจังหวัดพัทลุง',
        lines: [{ what: 'oit-incomplete', done: 17, assigned: 20, deadline: '2024-03-31' }],
      },
    ],
    ['approval', approval({ stage: 'due', daysLeft: 0, asOf: '2024-04-30' }, 9)],
    [
      'weekly',
      {
        template: 'weekly',
        asOf: '2024-02-19',
        unitName: 'จังหวัดพัทลุง',
        rows: [
          {
            agencyId: 'pt-land',
            agencyName: 'สำนักงานที่ดินจังหวัดพัทลุง',
            oit: { done: 2, assigned: 4 },
            iit: { responses: 10, required: 30 },
            eit: { responses: 100, required: 400 },
            tasks: { open: 7, overdue: 0 },
            state: 'behind',
          },
        ],
      },
    ],
  ])('renders the %s email', (_name, facts) => {
    // Act
    const mail = renderEmail(request(facts), ctx);

    // Assess
    expect(mail).toMatchSnapshot();
  });

  it.each<[string, EmailFacts, NotificationRequest['audience'], string]>([
    [
      "an agency's kickoff opens the agency's page",
      {
        template: 'kickoff',
        unitName: 'จังหวัดพัทลุง',
        milestone: m7,
        audienceName: 'สำนักงานที่ดินจังหวัดพัทลุง',
        agencyId: 'pt-land',
      },
      undefined,
      'ความก้าวหน้าของหน่วยงาน: https://ita.example.org/#/phatthalung-2567/agency/pt-land\n',
    ],
    [
      "the approver's kickoff opens the approval queue",
      {
        template: 'kickoff',
        unitName: 'จังหวัดพัทลุง',
        milestone: m7,
        audienceName: 'ผู้ว่าราชการจังหวัดหรือผู้ที่ได้รับมอบหมาย',
      },
      'approver',
      'รายการรออนุมัติ OIT: https://ita.example.org/#/phatthalung-2567/review\n',
    ],
    [
      "the secretariat's kickoff opens the dashboard",
      { template: 'kickoff', unitName: 'จังหวัดพัทลุง', milestone: m7, audienceName: 'ฝ่ายเลขานุการ' },
      'secretariat',
      'ภาพรวมความก้าวหน้าของจังหวัด: https://ita.example.org/#/phatthalung-2567/dashboard\n',
    ],
    [
      'the approval reminder opens the approval queue',
      approval({ stage: 'due-soon', daysLeft: 3, asOf: '2024-04-27' }, 1),
      'approver',
      'รายการรออนุมัติ OIT: https://ita.example.org/#/phatthalung-2567/review\n',
    ],
    [
      'the weekly summary opens the dashboard',
      { template: 'weekly', asOf: '2024-02-19', unitName: 'จังหวัดพัทลุง', rows: [] },
      'secretariat',
      'ภาพรวมความก้าวหน้าของจังหวัด: https://ita.example.org/#/phatthalung-2567/dashboard\n',
    ],
  ])('links to the right page of the web app: %s', (_case, facts, audience, line) => {
    // Prepare: the base URL with a trailing slash, as a context value may carry one
    const withSlash = { publicBaseUrl: 'https://ita.example.org/' };
    const req = { ...request(facts, audience ? 'province' : 'pt-land'), ...(audience ? { audience } : {}) };

    // Act
    const mail = renderEmail(req, withSlash);

    // Assess: one link, in the text and as the HTML anchor
    expect(mail.text).toContain(line);
    const url = line.slice(line.indexOf('https://'), -1);
    expect(mail.html.match(/<a href="[^"]*"/g)).toEqual([`<a href="${url}"`]);
  });

  it('escapes every value that came from an agency, in HTML, and keeps the text readable', () => {
    // Prepare
    const hostile = '<script>alert("x")</script> & "ฝ่าย" <b>';
    const facts: EmailFacts = {
      ...behind,
      agencyName: hostile,
      lines: [
        {
          what: 'task-behind',
          taskId: 't01',
          title: '<img src=x onerror=alert(1)>',
          progress: 10,
          expected: 50,
          deadline: '2024-03-31',
        },
      ],
    } as EmailFacts;

    // Act
    const mail = renderEmail(request(facts), ctx);

    // Assess
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;ฝ่าย&quot; &lt;b&gt;',
    );
    expect(mail.text).toContain(hostile);
  });
});
