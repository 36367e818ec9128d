import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { IIT_CODES } from '#domain/analysis';
import type { Principal } from '#domain/principal';
import type { httpHandler } from '#http/handler';
import type { HttpEvent, HttpResult } from '#http/types';
import { SEEDED_ASSESSMENT_ID as AID, seedPhatthalung } from '#local/seed';
import { httpEvent } from '#test/events';
import { freshTable } from '#test/table';
import { handler as calendarHandler } from '../../functions/calendar.ts';
import { handler as exportsHandler } from '../../functions/exports.ts';
import { handler as forecastHandler } from '../../functions/forecast.ts';
import { handler as putOitEvidenceHandler } from '../../functions/put-oit-evidence.ts';
import { handler as resultsHandler } from '../../functions/results.ts';

const viewer: Principal = { tokenId: 'tok-viewer', role: 'viewer', assessmentId: AID };
const admin: Principal = { tokenId: 'tok-admin', role: 'admin', assessmentId: AID };
const feed: Principal = { tokenId: 'tok-feed', role: 'feed', assessmentId: AID };
const treasury: Principal = { tokenId: 'tok-t', role: 'agency', assessmentId: AID, agencyId: 'pt-treasury' };
const context = {} as Parameters<ReturnType<typeof httpHandler>>[1];

type Handler = (event: HttpEvent, ctx: typeof context) => Promise<HttpResult>;

/** Calls an entry point's exported `handler`: route dispatch and error mapping as deployed. */
const call = (handler: Handler, event: HttpEvent) => handler(event, context);

const get = (
  fn: Handler,
  routeKey: string,
  principal: Principal,
  pathParameters: Record<string, string> = {},
  queryStringParameters?: Record<string, string>,
) =>
  call(
    fn,
    httpEvent({
      routeKey,
      pathParameters: { id: AID, ...pathParameters },
      principal,
      ...(queryStringParameters ? { queryStringParameters } : {}),
    }),
  );

/** The seed's FY2566 weak questions at the scores the plan printed; everything else 90, OIT full. */
const questions2566 = {
  iit: {
    ...Object.fromEntries(IIT_CODES.map((c) => [c, 90])),
    i7: 76.59,
    i8: 63.58,
    i15: 82.27,
    i19: 80.09,
    i20: 80.11,
    i28: 81.97,
  },
  eit: { e1: 78.84, e2: 90, e6: 82.95, e7: 81.67, e14: 75.48, e15: 74.84 },
  oit: { o1: 100, o14: 100, o32: 100 },
  texts: { i8: 'ท่านเคยเข้าไปมีส่วนร่วมในกระบวนการงบประมาณมากน้อยเพียงใด' },
};

const putQuestions = (principal: Principal, body: unknown, fiscalYear = '2566') =>
  call(
    resultsHandler,
    httpEvent({
      method: 'PUT',
      routeKey: 'PUT /assessments/{id}/results/{fiscalYear}/questions',
      pathParameters: { id: AID, fiscalYear },
      body: body as object,
      principal,
    }),
  );

const postTasks = (principal: Principal) =>
  call(
    resultsHandler,
    httpEvent({
      method: 'POST',
      routeKey: 'POST /assessments/{id}/results/{fiscalYear}/analysis/tasks',
      pathParameters: { id: AID, fiscalYear: '2566' },
      principal,
    }),
  );

describe('forecast, results and reports on DynamoDB Local', () => {
  beforeAll(async () => {
    const table = await freshTable('reports');
    process.env.TABLE_NAME = table.tableName;
    process.env.DDB_ENDPOINT = table.endpoint;
    await seedPhatthalung(table);
  });

  it('forecasts from last year’s IIT and EIT with nothing published yet: 51.98, 22 items to 85', async () => {
    // Act
    const response = await get(forecastHandler, 'GET /assessments/{id}/forecast', viewer);

    // Assess
    const body = JSON.parse(response.body);
    expect(response.statusCode).toBe(200);
    expect(body.surveys).toEqual({ iit: 26.6, eit: 25.38, source: 'previous', fromFiscalYear: 2566 });
    expect(body.conservative).toMatchObject({ oit: 0, total: 51.98, label: 'ไม่ผ่าน' });
    expect(body.conservative.targets[0]).toMatchObject({ target: 85, itemsNeeded: 22 });
    expect(body.conservative.targets[1]).toMatchObject({ target: 95, reachableWithOitAlone: false });
    expect(body.items.find((i: { itemId: string }) => i.itemId === 'o12').assignedTo).toEqual([
      'pt-agriculture',
      'pt-land',
      'pt-public-health',
    ]);
  });

  it('moves the optimistic end, not the conservative one, when an agency submits evidence', async () => {
    // Prepare: the treasury holds every 9.3 item alone, so its four submissions complete 9.3.
    for (const itemId of ['o14', 'o15', 'o16', 'o17']) {
      const put = await call(
        putOitEvidenceHandler,
        httpEvent({
          method: 'PUT',
          routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}',
          pathParameters: { id: AID, agencyId: 'pt-treasury', itemId },
          body: { urls: [`https://treasury.example.org/ita/${itemId}`] },
          principal: treasury,
        }),
      );
      expect(put.statusCode).toBe(200);
    }

    // Act
    const body = JSON.parse((await get(forecastHandler, 'GET /assessments/{id}/forecast', viewer)).body);

    // Assess
    expect(body.optimistic).toMatchObject({ passingItems: 4, oit: 4, total: 55.98 });
    expect(body.conservative).toMatchObject({ passingItems: 0, total: 51.98 });
  });

  it('refuses the forecast to an agency token (403)', async () => {
    // Act
    const response = await get(forecastHandler, 'GET /assessments/{id}/forecast', treasury);

    // Assess
    expect(response.statusCode).toBe(403);
  });

  it('lists every year with computed and published totals and the deltas', async () => {
    // Act
    const body = JSON.parse((await get(resultsHandler, 'GET /assessments/{id}/results', viewer)).body);

    // Assess
    expect(body.years).toHaveLength(2);
    expect(body.years[1]).toMatchObject({
      fiscalYear: 2566,
      computed: { total: 91.98, grade: 'A', label: 'ผ่าน' },
      published: { total: 91.98, label: 'ผ่าน' },
      delta: { iit: 0.93, eit: -0.4, oit: 0, total: 0.53 },
    });
  });

  it('imports question results for admins only, refusing bad scores with the field named', async () => {
    // Act
    const asViewer = await putQuestions(viewer, questions2566);
    const bad = await putQuestions(admin, { ...questions2566, oit: { o1: 50 } });
    const first = await putQuestions(admin, questions2566);
    const again = await putQuestions(admin, questions2566);

    // Assess
    expect(asViewer.statusCode).toBe(403);
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).error.details.map((d: { path: string }) => d.path)).toContain('oit.o1');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body).results.version).toBe(2);
  });

  it('analyses the year by theme at the default threshold of 85 and at a given one', async () => {
    // Act
    const byDefault = await get(
      resultsHandler,
      'GET /assessments/{id}/results/{fiscalYear}/analysis',
      viewer,
      {
        fiscalYear: '2566',
      },
    );
    const strict = await get(
      resultsHandler,
      'GET /assessments/{id}/results/{fiscalYear}/analysis',
      viewer,
      { fiscalYear: '2566' },
      { threshold: '70' },
    );
    const missingYear = await get(
      resultsHandler,
      'GET /assessments/{id}/results/{fiscalYear}/analysis',
      viewer,
      {
        fiscalYear: '2560',
      },
    );

    // Assess
    const body = JSON.parse(byDefault.body);
    expect(body.threshold).toBe(85);
    expect(body.groups.map((g: { theme: { number: number } }) => g.theme.number)).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
    const theme5 = body.groups.find((g: { theme: { number: number } }) => g.theme.number === 5);
    expect(theme5.questions.find((q: { code: string }) => q.code === 'i8')).toMatchObject({
      score: 63.58,
      text: 'ท่านเคยเข้าไปมีส่วนร่วมในกระบวนการงบประมาณมากน้อยเพียงใด',
    });
    expect(JSON.parse(strict.body).weak).toBe(1);
    expect(missingYear.statusCode).toBe(404);
  });

  it('drafts tasks once: a second call creates nothing and the task list holds each draft once', async () => {
    // Act
    const first = await postTasks(admin);
    const second = await postTasks(admin);
    const csv = await get(exportsHandler, 'GET /assessments/{id}/tasks.csv', viewer);

    // Assess
    const created = JSON.parse(first.body);
    expect(first.statusCode).toBe(201);
    expect(created.created).toContain('r2566-i8');
    expect(created.created).toHaveLength(11);
    expect(second.statusCode).toBe(200);
    expect(JSON.parse(second.body)).toMatchObject({ created: [], existing: created.created });
    const records = csv.body.split('\r\n').filter((line: string) => line.startsWith('r2566-i8,'));
    expect(records).toHaveLength(1);
    expect(records[0]).toContain('ต.ค. 2566 – มี.ค. 2567');
  });

  it('compares two years per tool and per indicator', async () => {
    // Act
    const response = await get(
      resultsHandler,
      'GET /assessments/{id}/results/compare',
      viewer,
      {},
      {
        from: '2565',
        to: '2566',
      },
    );

    // Assess
    const body = JSON.parse(response.body);
    expect(response.statusCode).toBe(200);
    expect(body.total).toEqual({ from: 91.45, to: 91.98, delta: 0.53 });
    expect(body.indicators.find((i: { number: number }) => i.number === 2)).toMatchObject({ from: null });
  });

  it('exports results as CSV with a BOM, Thai headers and CRLF', async () => {
    // Act
    const response = await get(exportsHandler, 'GET /assessments/{id}/results.csv', viewer);

    // Assess
    expect(response.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers?.['content-disposition']).toContain(`attachment; filename="results-${AID}.csv"`);
    expect(response.body.startsWith('\uFEFFปีงบประมาณ,IIT,EIT,OIT,คะแนนรวม (คำนวณ)')).toBe(true);
    expect(response.body.split('\r\n')[2]).toBe('2566,26.6,25.38,40,91.98,A,ผ่าน,91.98,ผ่าน,0.93,-0.4,0,0.53');
  });

  it('serves the province and agency calendars that an independent parser reads', async () => {
    // Act
    const province = await get(calendarHandler, 'GET /assessments/{id}/calendar.ics', feed);
    const agency = await get(
      calendarHandler,
      'GET /assessments/{id}/agencies/{agencyId}/calendar.ics',
      feed,
      {
        agencyId: 'pt-treasury',
      },
    );

    // Assess
    expect(province.statusCode).toBe(200);
    expect(province.headers?.['content-type']).toBe('text/calendar; charset=utf-8');
    const events = (text: string) =>
      new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const plan = events(province.body);
    expect(plan).toHaveLength(15);
    const seventh = plan[6]!;
    expect(seventh.summary).toBe(
      'ITA ขั้นตอนที่ 7: ส่วนราชการดำเนินการจัดทำข้อมูลและเผยแพร่ข้อมูลลงในเว็บไซต์ตามแบบวัด OIT ตามภารกิจที่ได้รับมอบหมาย',
    );
    expect(seventh.startDate.isDate).toBe(true);
    expect(seventh.startDate.toString()).toBe('2024-01-01');
    expect(seventh.endDate.toString()).toBe('2024-04-01');
    const own = events(agency.body);
    expect(own.length).toBeGreaterThan(15);
    expect(own.map((e) => e.uid)).toContain(`task-r2566-i8@${AID}.ita-campaign`);
    expect(own.map((e) => e.uid)).not.toContain(`task-t01-i1@${AID}.ita-campaign`);
  });

  it('refuses an agency-bound feed token on another agency’s calendar (404) and the province one (403)', async () => {
    // Prepare
    const ownFeed: Principal = { ...feed, agencyId: 'pt-treasury' };

    // Act
    const other = await get(
      calendarHandler,
      'GET /assessments/{id}/agencies/{agencyId}/calendar.ics',
      ownFeed,
      {
        agencyId: 'pt-land',
      },
    );
    const province = await get(calendarHandler, 'GET /assessments/{id}/calendar.ics', ownFeed);

    // Assess
    expect([other.statusCode, province.statusCode]).toEqual([404, 403]);
  });
});
