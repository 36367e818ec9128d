import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeWorkbook } from '#adapters/xlsx-writer';
import { IMPORT_COLUMNS, IMPORT_FIELDS, type ImportField } from '#domain/agency-import';
import type { ReportValue } from '#domain/progress-report';

/**
 * The checked-in sample for the console's import walk-through (issue 15): 30 **sample** agencies
 * of Phatthalung (`example.org` addresses, made-up headcounts) in the template's Thai columns, two
 * of them deliberately bad so the dry run shows refusals: an invalid coordinator email and a
 * missing name. None reads like a seeded agency's name, so the other 28 are created.
 *
 * Usage: npx tsx scripts/sample-agencies.ts   (rewrites docs/samples/agencies-30.xlsx)
 */

export const SAMPLE_FILE = 'docs/samples/agencies-30.xlsx';

const NAMES: readonly [string, string][] = [
  ['pt-culture', 'สำนักงานวัฒนธรรมจังหวัดพัทลุง'],
  ['pt-tourism', 'สำนักงานการท่องเที่ยวและกีฬาจังหวัดพัทลุง'],
  ['pt-commerce', 'สำนักงานพาณิชย์จังหวัดพัทลุง'],
  ['pt-industry', 'สำนักงานอุตสาหกรรมจังหวัดพัทลุง'],
  ['pt-energy', 'สำนักงานพลังงานจังหวัดพัทลุง'],
  ['pt-natural-resources', 'สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดพัทลุง'],
  ['pt-fisheries', 'สำนักงานประมงจังหวัดพัทลุง'],
  ['pt-livestock', 'สำนักงานปศุสัตว์จังหวัดพัทลุง'],
  ['pt-cooperatives', 'สำนักงานสหกรณ์จังหวัดพัทลุง'],
  ['pt-revenue', 'สำนักงานสรรพากรพื้นที่พัทลุง'],
  ['pt-statistics', 'สำนักงานสถิติจังหวัดพัทลุง'],
  ['pt-employment', 'สำนักงานจัดหางานจังหวัดพัทลุง'],
  ['pt-social-security', 'สำนักงานประกันสังคมจังหวัดพัทลุง'],
  ['pt-skill-development', 'สำนักงานพัฒนาฝีมือแรงงานพัทลุง'],
  ['pt-labour-protection', 'สำนักงานสวัสดิการและคุ้มครองแรงงานจังหวัดพัทลุง'],
  ['pt-education', 'สำนักงานศึกษาธิการจังหวัดพัทลุง'],
  ['pt-community-development', 'สำนักงานพัฒนาชุมชนจังหวัดพัทลุง'],
  ['pt-disaster', 'สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดพัทลุง'],
  ['pt-local-admin', 'สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดพัทลุง'],
  ['pt-public-works', 'สำนักงานโยธาธิการและผังเมืองจังหวัดพัทลุง'],
  ['pt-transport', 'สำนักงานขนส่งจังหวัดพัทลุง'],
  ['pt-highways', 'แขวงทางหลวงพัทลุง'],
  ['pt-rural-roads', 'สำนักงานทางหลวงชนบทจังหวัดพัทลุง'],
  ['pt-comptroller', 'สำนักงานบัญชีกลางจังหวัดพัทลุง'],
  ['pt-probation', 'สำนักงานคุมประพฤติจังหวัดพัทลุง'],
  ['pt-justice', 'สำนักงานยุติธรรมจังหวัดพัทลุง'],
  ['pt-enforcement', 'สำนักงานบังคับคดีจังหวัดพัทลุง'],
  ['pt-rice-seed', 'ศูนย์เมล็ดพันธุ์ข้าวพัทลุง'],
  ['pt-buddhism', 'สำนักงานพระพุทธศาสนาจังหวัดพัทลุง'],
  ['pt-land-development', 'สถานีพัฒนาที่ดินพัทลุง'],
];

/** The two bad rows, by the row number Excel shows (the header is row 1), and the column refused. */
export const SAMPLE_BAD_ROWS = [
  { row: 11, agencyId: 'pt-revenue', column: IMPORT_COLUMNS.coordinatorEmail.th },
  { row: 25, agencyId: 'pt-comptroller', column: IMPORT_COLUMNS.nameTh.th },
] as const;

/** Each sample agency as the import's fields; the bad ones broken as `SAMPLE_BAD_ROWS` says. */
export const sampleAgencyRows = (): Record<ImportField, string | number>[] =>
  NAMES.map(([id, nameTh], index) => {
    const short = id.replace(/^pt-/, '');
    const bad = SAMPLE_BAD_ROWS.find((b) => b.agencyId === id);
    return {
      id,
      nameTh: bad?.column === IMPORT_COLUMNS.nameTh.th ? '' : nameTh,
      coordinatorName: index % 3 === 0 ? '' : `นางสาวตัวอย่าง ${short}`,
      coordinatorEmail:
        bad?.column === IMPORT_COLUMNS.coordinatorEmail.th
          ? `ita.${short}.example.org`
          : `ita.${short}@example.org`,
      headName: `นายตัวอย่าง ${short}`,
      headEmail: `head.${short}@example.org`,
      internalStaff: 12 + ((index * 37) % 160),
      externalStakeholders: 150 + ((index * 911) % 4800),
    };
  });

const cell = (value: string | number): ReportValue =>
  typeof value === 'number' ? { kind: 'number', value } : { kind: 'text', value };

/** The sample as an `.xlsx`: the template's Thai headers in row 1, one agency a row. */
export const sampleWorkbook = (): Promise<Buffer> =>
  writeWorkbook([
    {
      name: 'ส่วนราชการ',
      headers: IMPORT_FIELDS.map((field) => IMPORT_COLUMNS[field].th),
      widths: IMPORT_FIELDS.map((field) => IMPORT_COLUMNS[field].width),
      rows: sampleAgencyRows().map((row) => IMPORT_FIELDS.map((field) => cell(row[field]))),
    },
  ]);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(dirname(SAMPLE_FILE), { recursive: true });
  writeFileSync(SAMPLE_FILE, await sampleWorkbook());
  console.log(
    `${SAMPLE_FILE}: 30 sample agencies, bad rows ${SAMPLE_BAD_ROWS.map((b) => b.row).join(' and ')}`,
  );
}
