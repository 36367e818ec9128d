import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root, from which `sourceFiles` and the tests that scan sources name files. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** Every `.ts` and `.tsx` file below `dir` (relative to the root), node_modules left out. */
export const sourceFiles = (dir: string): string[] =>
  readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
