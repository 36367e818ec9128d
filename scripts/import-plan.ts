import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { importPlanDocument, toPlanData } from '#domain/plan-import';

/**
 * Imports the province's plan document into `shared/data/phatthalung-2567.plan.json`. The source document is kept
 * in shared/data/source so a clone is self-contained; the JSON is
 * checked in and the seeder reads it, so running the system never depends on parsing the PDF
 * export; a test keeps the file equal to a fresh import.
 *
 * Usage: npm run import:plan [-- <path to plan .txt>]
 */

const repoRoot = resolve(import.meta.dirname, '..');
const sourcePath = resolve(process.argv[2] ?? join(repoRoot, 'shared/data/source/000_2a3c5341e523ff3b.txt'));
const outputPath = join(repoRoot, 'shared/data/phatthalung-2567.plan.json');

const imported = importPlanDocument(readFileSync(sourcePath, 'utf8'));
const data = toPlanData(imported, basename(sourcePath));

for (const defect of data.defects) {
  const where = defect.rowKind === 'printed' ? `row ${defect.row}` : `line-only row ${defect.row}`;
  const fix = defect.correction === undefined ? '' : ` -> ${defect.correction}`;
  console.log(`[${defect.table}] ${where} (line ${defect.line}): ${defect.message}${fix}`);
}
console.log(
  `FY${data.fiscalYear}: ${data.milestones.length} milestones, ${data.improvementTasks.length} improvement tasks, ` +
    `${data.results.length} year results, ${data.defects.length} defects`,
);

// JSON.stringify leaves non-ASCII as is, so the Thai stays readable in review.
writeFileSync(outputPath, `${JSON.stringify(data, null, 2)}\n`, 'utf8');
console.log(`wrote ${outputPath}`);
