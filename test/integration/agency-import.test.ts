import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { strToU8, zipSync } from 'fflate';
import readExcelFile, { readSheet } from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import writeExcelFile from 'write-excel-file/node';
import { newAgencySummary } from '#domain/agency';
import { IMPORT_COLUMNS, IMPORT_FIELDS, MAX_IMPORT_ROWS } from '#domain/agency-import';
import { PACE_STATE_TH } from '#domain/labels';
import type { Cell } from '#domain/spreadsheet';
import { XLSX_MEDIA_TYPE } from '#http/upload';
import { httpEvent } from '#test/events';
import { agencyImportRow, audit, makeAgency, makeAssessment, makeMilestones, NOW } from '#test/fixtures';
import { type LocalApi, startLocalApi } from '#test/local-api';
import { freshTable } from '#test/table';
import { issueOperatorSecrets } from '#test/tokens';
import { bundleSource, runBundle } from '../infra/bundle.ts';

/**
 * The Excel import and export through the local server (base64 bodies as API Gateway passes
 * them), the real authorizer and handlers, on DynamoDB Local. Every workbook is made here with
 * write-excel-file; every download is read back with read-excel-file.
 */

const AID = 'import-2567';
const THAI = IMPORT_FIELDS.map((f) => IMPORT_COLUMNS[f].th);
const ENGLISH: string[] = [...IMPORT_FIELDS];

/** A workbook made the way a secretariat's Excel would hold it: the first sheet, header in row 1. */
const workbook = async (rows: Cell[][], formulaAt?: { row: number; column: number }) =>
  writeExcelFile([
    {
      sheet: 'รายชื่อ',
      dateFormat: 'dd/mm/yyyy',
      data: rows.map((cells, r) =>
        cells.map((value, c) =>
          formulaAt && formulaAt.row === r && formulaAt.column === c
            ? { type: 'Formula' as const, value: '=30+5' }
            : value,
        ),
      ),
    },
    { sheet: 'หมายเหตุ', data: [['สรุป'], [{ type: 'Formula' as const, value: '=COUNTA(รายชื่อ!A:A)' }]] },
  ]).toBuffer();

let api: LocalApi | undefined;
let baseUrl = '';
let secrets: Record<'admin' | 'viewer' | 'agency', string>;
let table: Awaited<ReturnType<typeof freshTable>>;

const importFile = async (body: Uint8Array | string, contentType: string, apply = false) => {
  const response = await fetch(
    new URL(`/assessments/${AID}/agencies/import${apply ? '?apply=true' : ''}`, baseUrl),
    {
      method: 'POST',
      headers: { authorization: `Bearer ${secrets.admin}`, 'content-type': contentType },
      body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
    },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

type ImportAnswer = {
  applied: boolean;
  counts: Record<string, number>;
  ignoredColumns: string[];
  rows: {
    row: number;
    agencyId: string | null;
    action: string;
    problems: { column: string; message: string }[];
  }[];
};

const download = async (path: string, token = secrets.admin) => {
  const response = await fetch(new URL(`/assessments/${AID}${path}`, baseUrl), {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
};

/** Every agency item and audit entry of the assessment: what a refused import must leave as it was. */
const snapshot = async () => {
  const query = async (pk: string) =>
    (
      await table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
  return { items: await query(`A#${AID}`), audit: (await query(`AUDIT#${AID}`)).length };
};

beforeAll(async () => {
  table = await freshTable('import');
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  const assessment = makeAssessment(AID);
  await table.assessments.create(
    { assessment, milestones: makeMilestones(), tasks: [], results: [] },
    audit(AID),
  );
  await table.agencies.create(
    newAgencySummary(AID, makeAgency('pt-existing', { nameTh: 'สำนักงานที่มีอยู่แล้ว' }), assessment.framework, NOW),
    audit(AID, 'pt-existing'),
  );
  secrets = await issueOperatorSecrets(table, AID, 'import', {
    admin: ['admin'],
    viewer: ['viewer'],
    agency: ['agency', 'pt-existing'],
  });
  api = await startLocalApi();
  baseUrl = api.baseUrl;
});

afterAll(async () => {
  await api?.close();
});

describe('POST /assessments/{id}/agencies/import', () => {
  it('answers a dry run with every row and its reasons in Thai, and writes nothing', async () => {
    // Prepare
    const before = await snapshot();
    const file = await workbook([
      ['ลำดับ', ...THAI],
      [1, ...agencyImportRow('pt-culture')],
      [2, ...agencyImportRow('pt-bad', { coordinatorEmail: 'not-an-email' })],
      [3, ...agencyImportRow('pt-twice')],
      [4, ...agencyImportRow('pt-twice', { nameTh: 'สำนักงานอีกแห่ง' })],
      [5, ...agencyImportRow('pt-lookalike', { nameTh: 'สำนักงาน\u200bที่มีอยู่แล้ว' })],
      [6, ...agencyImportRow('pt-existing', { nameTh: 'สำนักงานที่มีอยู่แล้ว' })],
      [7, ...agencyImportRow('Bad Id')],
    ]);

    // Act
    const { status, body } = await importFile(file, XLSX_MEDIA_TYPE);

    // Assess
    expect(status).toBe(200);
    const answer = body as ImportAnswer;
    expect(answer.applied).toBe(false);
    expect(answer.ignoredColumns).toEqual(['ลำดับ']);
    expect(answer.rows.map((r) => [r.row, r.agencyId, r.action])).toEqual([
      [2, 'pt-culture', 'create'],
      [3, 'pt-bad', 'refuse'],
      [4, 'pt-twice', 'refuse'],
      [5, 'pt-twice', 'refuse'],
      [6, 'pt-lookalike', 'refuse'],
      [7, 'pt-existing', 'refuse'],
      [8, 'Bad Id', 'refuse'],
    ]);
    expect(answer.rows[1]!.problems).toEqual([{ column: 'อีเมลผู้ประสานงาน ITA', message: 'อีเมลไม่ถูกต้อง' }]);
    expect(answer.rows[2]!.problems).toEqual([{ column: 'รหัสหน่วยงาน', message: 'รหัสซ้ำกับแถวที่ 5 ในไฟล์' }]);
    expect(answer.rows[3]!.problems).toEqual([{ column: 'รหัสหน่วยงาน', message: 'รหัสซ้ำกับแถวที่ 4 ในไฟล์' }]);
    expect(answer.rows[4]!.problems).toEqual([
      { column: 'ชื่อหน่วยงาน', message: 'ชื่อซ้ำกับแถวที่ 7 ในไฟล์' },
      { column: 'ชื่อหน่วยงาน', message: 'ชื่อซ้ำกับหน่วยงาน pt-existing' },
    ]);
    // The stored agency's own row is refused too: the file gives its name to another row as well.
    expect(answer.rows[5]!.problems).toEqual([{ column: 'ชื่อหน่วยงาน', message: 'ชื่อซ้ำกับแถวที่ 6 ในไฟล์' }]);
    expect(answer.rows[6]!.problems[0]).toMatchObject({ column: 'รหัสหน่วยงาน' });
    expect(answer.counts).toEqual({ create: 1, update: 0, unchanged: 0, refuse: 6 });
    expect(await snapshot()).toEqual(before);
  });

  it('applies the sound rows (audited, minimums recomputed) and a second import of the same file changes nothing', async () => {
    // Prepare
    const file = await workbook([
      ENGLISH,
      agencyImportRow('pt-applied-a', { internalStaff: 120, externalStakeholders: 5000 }),
      agencyImportRow('pt-applied-b'),
      agencyImportRow('pt-applied-bad', { headEmail: 'nobody' }),
    ]);

    // Act
    const first = await importFile(file, XLSX_MEDIA_TYPE, true);
    const afterFirst = await snapshot();
    const second = await importFile(file, XLSX_MEDIA_TYPE, true);

    // Assess
    expect(first.status).toBe(200);
    expect((first.body as ImportAnswer).rows.map((r) => r.action)).toEqual(['create', 'create', 'refuse']);
    const summary = await table.agencies.getSummary(AID, 'pt-applied-a');
    expect(summary?.agency).toMatchObject({ nameTh: 'สำนักงานนำเข้า pt-applied-a', internalStaff: 120 });
    expect(summary?.surveys.iit.required).toBeGreaterThan(0);
    expect(summary?.surveys.eit.required).toBeGreaterThan(summary!.surveys.iit.required);
    const audits = afterFirst.audit;
    expect(await table.agencies.getSummary(AID, 'pt-applied-bad')).toBeNull();
    expect((second.body as ImportAnswer).rows.map((r) => r.action)).toEqual([
      'unchanged',
      'unchanged',
      'refuse',
    ]);
    expect(await snapshot()).toEqual(afterFirst);
    expect(audits).toBeGreaterThan(0);
  });

  it('updates an agency from CSV (UTF-8 with a BOM), recomputing its minimums under its version', async () => {
    // Prepare
    const before = await table.agencies.getSummary(AID, 'pt-applied-b');
    const csv = `\uFEFF${ENGLISH.join(',')}\r\n${agencyImportRow('pt-applied-b', {
      internalStaff: 400,
      coordinatorName: 'นายใหม่, ผู้ประสาน',
    })
      .map((v) =>
        v === null ? '' : /[",]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v),
      )
      .join(',')}\r\n`;

    // Act
    const { status, body } = await importFile(csv, 'text/csv; charset=utf-8', true);

    // Assess
    expect(status).toBe(200);
    expect((body as ImportAnswer).rows).toEqual([
      { row: 2, agencyId: 'pt-applied-b', action: 'update', problems: [] },
    ]);
    const after = await table.agencies.getSummary(AID, 'pt-applied-b');
    expect(after?.version).toBe(before!.version + 1);
    expect(after?.agency.coordinator.name).toBe('นายใหม่, ผู้ประสาน');
    expect(after?.surveys.iit.required).toBeGreaterThan(before!.surveys.iit.required);
  });

  it(`takes ${MAX_IMPORT_ROWS} rows and refuses ${MAX_IMPORT_ROWS + 1} without writing`, async () => {
    // Prepare
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => agencyImportRow(`bulk-${i}`));
    const within = await workbook([ENGLISH, ...rows.slice(0, MAX_IMPORT_ROWS)]);
    const over = await workbook([ENGLISH, ...rows]);
    const before = await snapshot();

    // Act
    const accepted = await importFile(within, XLSX_MEDIA_TYPE);
    const refused = await importFile(over, XLSX_MEDIA_TYPE, true);

    // Assess
    expect(accepted.status).toBe(200);
    expect((accepted.body as ImportAnswer).counts).toEqual({
      create: MAX_IMPORT_ROWS,
      update: 0,
      unchanged: 0,
      refuse: 0,
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain(String(MAX_IMPORT_ROWS));
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a formula, a wrong type, a missing column, a macro-enabled or corrupt file, and writes nothing', async () => {
    // Prepare
    const before = await snapshot();
    const sound = await workbook([ENGLISH, agencyImportRow('pt-never')]);
    const withVba = zipSync({
      '[Content_Types].xml': strToU8('<Types/>'),
      'xl/vbaProject.bin': strToU8('VBA'),
    });
    const cases: [string, Uint8Array | string, string, number, string][] = [
      [
        'formula',
        await workbook([ENGLISH, agencyImportRow('pt-never')], { row: 1, column: 6 }),
        XLSX_MEDIA_TYPE,
        422,
        'G2',
      ],
      [
        'wrong type',
        await workbook([ENGLISH, agencyImportRow('pt-never', { internalStaff: 'สามสิบห้า' })]),
        XLSX_MEDIA_TYPE,
        422,
        'G2',
      ],
      [
        'date in a text column',
        await workbook([ENGLISH, agencyImportRow('pt-never', { nameTh: new Date() })]),
        XLSX_MEDIA_TYPE,
        422,
        'B2',
      ],
      [
        'missing column',
        await workbook([ENGLISH.slice(1), agencyImportRow('pt-never').slice(1)]),
        XLSX_MEDIA_TYPE,
        422,
        'id',
      ],
      [
        'macro content type',
        sound,
        'application/vnd.ms-excel.sheet.macroEnabled.12',
        422,
        'headers.content-type',
      ],
      ['vbaProject.bin', withVba, XLSX_MEDIA_TYPE, 422, '(body)'],
      ['corrupt', sound.subarray(0, sound.length / 2), XLSX_MEDIA_TYPE, 400, '(body)'],
      ['not a zip', 'id,nameTh', XLSX_MEDIA_TYPE, 400, '(body)'],
      ['legacy .xls', Buffer.from('d0cf11e0a1b11ae1000000000000', 'hex'), XLSX_MEDIA_TYPE, 400, '(body)'],
      ['CSV not UTF-8', Buffer.from('id,nameTh\r\n\xff\xfe', 'latin1'), 'text/csv', 400, '(body)'],
      [
        'CSV formula',
        `${ENGLISH.join(',')}\r\n=1+1,${agencyImportRow('x').slice(1).join(',')}\r\n`,
        'text/csv',
        422,
        'A2',
      ],
      ['JSON', '{"id":"x"}', 'application/json', 415, ''],
      ['over 2 MB', Buffer.alloc(2 * 1024 * 1024 + 1), XLSX_MEDIA_TYPE, 413, ''],
    ];

    // Act
    const outcomes = [];
    for (const [name, body, type] of cases) outcomes.push({ name, ...(await importFile(body, type, true)) });

    // Assess
    for (const [i, [name, , , status, path]] of cases.entries()) {
      const outcome = outcomes[i]!;
      expect(outcome.status, `${name}: ${JSON.stringify(outcome.body)}`).toBe(status);
      const error = (outcome.body as { error: { details: { path: string }[] } }).error;
      if (path)
        expect(
          error.details.map((d) => d.path),
          name,
        ).toContain(path);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('is for the secretariat only', async () => {
    // Act
    const response = await fetch(new URL(`/assessments/${AID}/agencies/import`, baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${secrets.viewer}`, 'content-type': 'text/csv' },
      body: `${ENGLISH.join(',')}\r\n`,
    });

    // Assess
    expect(response.status).toBe(403);
  });
});

describe('GET /assessments/{id}/agencies/template.xlsx', () => {
  it('holds the Thai headers over the agencies as they are, and imports back unchanged', async () => {
    // Act
    const template = await download('/agencies/template.xlsx');
    const sheets = await readExcelFile(template.bytes);
    const again = await importFile(template.bytes, XLSX_MEDIA_TYPE);

    // Assess
    expect(template.status).toBe(200);
    expect(template.type).toBe(XLSX_MEDIA_TYPE);
    expect(sheets.map((s) => s.sheet)).toEqual(['หน่วยงาน', 'คำอธิบาย']);
    expect(sheets[0]!.data[0]).toEqual(THAI);
    expect(sheets[1]!.data.slice(1, 1 + IMPORT_FIELDS.length).map((r) => r[1])).toEqual(ENGLISH);
    const answer = again.body as ImportAnswer;
    expect(again.status).toBe(200);
    expect(answer.rows.length).toBeGreaterThan(1);
    expect(answer.rows.every((r) => r.action === 'unchanged')).toBe(true);
  });

  it('takes rows added under its headers', async () => {
    // Prepare
    const template = await download('/agencies/template.xlsx');
    const rows = (await readSheet(template.bytes)) as Cell[][];
    const edited = await writeExcelFile([...rows, agencyImportRow('pt-from-template')]).toBuffer();

    // Act
    const answer = (await importFile(edited, XLSX_MEDIA_TYPE)).body as ImportAnswer;

    // Assess
    expect(answer.rows.at(-1)).toEqual({
      row: rows.length + 1,
      agencyId: 'pt-from-template',
      action: 'create',
      problems: [],
    });
    expect(answer.counts.create).toBe(1);
  });
});

describe('GET /assessments/{id}/progress.xlsx', () => {
  it('re-read by read-excel-file, its agencies sheet equals GET …/progress, dates as real dates', async () => {
    // Prepare
    const progress = (await (
      await fetch(new URL(`/assessments/${AID}/progress`, baseUrl), {
        headers: { authorization: `Bearer ${secrets.viewer}` },
      })
    ).json()) as {
      agencies: {
        agencyId: string;
        nameTh: string;
        state: keyof typeof PACE_STATE_TH;
        oit: Record<string, number>;
        surveys: Record<'iit' | 'eit', { required: number; responses: number; asOf: string | null }>;
        openTasks: number;
        daysOverdue: number;
      }[];
    };

    // Act
    const file = await download('/progress.xlsx', secrets.viewer);
    const sheets = await readExcelFile(file.bytes);

    // Assess
    expect(file.status).toBe(200);
    expect(sheets.map((s) => s.sheet)).toEqual([
      'ความคืบหน้ารายหน่วยงาน',
      'OIT รายหน่วยงาน',
      'งานพัฒนารายหน่วยงาน',
    ]);
    const [header, ...rows] = sheets[0]!.data;
    expect(header?.slice(0, 3)).toEqual(['รหัสหน่วยงาน', 'ชื่อหน่วยงาน', 'สถานะ']);
    const dateOrNull = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : v);
    expect(rows.map((r) => r.map(dateOrNull))).toEqual(
      progress.agencies.map((a) => [
        a.agencyId,
        a.nameTh,
        PACE_STATE_TH[a.state],
        a.oit.assigned,
        a.oit.submitted,
        a.oit.approved,
        a.oit.rejected,
        a.surveys.iit.responses,
        a.surveys.iit.required,
        a.surveys.iit.asOf,
        a.surveys.eit.responses,
        a.surveys.eit.required,
        a.surveys.eit.asOf,
        a.openTasks,
        a.daysOverdue,
      ]),
    );
  });

  it('is refused to an agency token: it lists every agency', async () => {
    // Act
    const file = await download('/progress.xlsx', secrets.agency);

    // Assess
    expect(file.status).toBe(403);
  });
});

describe('the bundled Lambdas (esbuild, as deployed)', () => {
  it('write the template and read it back as a base64 body in plain Node', async () => {
    // Prepare: the two bundles, one program; the workbook crosses as API Gateway would carry it.
    const admin = { tokenId: 'tok-bundle', role: 'admin' as const, assessmentId: AID };
    const templateEvent = httpEvent({
      routeKey: 'GET /assessments/{id}/agencies/template.xlsx',
      pathParameters: { id: AID },
      principal: admin,
    });
    const importEvent = httpEvent({
      method: 'POST',
      routeKey: 'POST /assessments/{id}/agencies/import',
      pathParameters: { id: AID },
      headers: { 'content-type': XLSX_MEDIA_TYPE },
      principal: admin,
    });
    const code = await bundleSource(`
      import { handler as workbooks } from './functions/workbooks.ts';
      import { handler as agencyImport } from './functions/agency-import.ts';
      const context = { getRemainingTimeInMillis: () => 10000 };
      const template = await workbooks(JSON.parse(process.env.TEMPLATE), context);
      const event = { ...JSON.parse(process.env.IMPORT), body: template.body, isBase64Encoded: true };
      const answer = await agencyImport(event, context);
      process.stdout.write(JSON.stringify({ template: { ...template, body: template.body.length }, answer }));
    `);

    // Act
    const out = JSON.parse(
      await runBundle(code, {
        TABLE_NAME: table.tableName,
        DDB_ENDPOINT: table.endpoint,
        AWS_REGION: 'ap-southeast-1',
        TEMPLATE: JSON.stringify(templateEvent),
        IMPORT: JSON.stringify(importEvent),
      }),
    ) as {
      template: { statusCode: number; isBase64Encoded: boolean };
      answer: { statusCode: number; body: string };
    };

    // Assess
    expect(out.template).toMatchObject({ statusCode: 200, isBase64Encoded: true });
    expect(out.answer.statusCode).toBe(200);
    const answer = JSON.parse(out.answer.body) as ImportAnswer;
    expect(answer.rows.length).toBeGreaterThan(0);
    expect(answer.rows.every((r) => r.action === 'unchanged')).toBe(true);
  });
});
