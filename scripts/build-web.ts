import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * `npm run build:web`: the people's app as static files in `web/dist/` (git-ignored), which the
 * local server serves at `/` and CDK uploads to S3. Every asset name carries a content hash, so
 * CloudFront may cache them for a year; only index.html must be revalidated.
 *
 * No inline script or style anywhere (the CSP of `shared/http/web-headers.ts` allows neither).
 * Fonts: Sarabun from `@fontsource/sarabun`, Thai and Latin subsets, weights 400 and 700 only,
 * with our own @font-face rules carrying each subset's unicode-range, so a page of Thai text
 * fetches the Thai files and a Latin file only for the Latin characters it shows.
 */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WEB_DIST = join(REPO_ROOT, 'web', 'dist');

const FONT_DIR = join(REPO_ROOT, 'node_modules', '@fontsource', 'sarabun');
const SUBSETS = ['thai', 'latin'] as const;
const WEIGHTS = [400, 700] as const;
/** Browsers that LINE's in-app browser and the phones of 2024 run. */
const TARGET = ['es2020', 'chrome87', 'safari15'];

const hashOf = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex').slice(0, 10);

export type WebBuild = { outdir: string; files: { path: string; bytes: number }[] };

export const buildWeb = async (outdir: string = WEB_DIST): Promise<WebBuild> => {
  rmSync(outdir, { recursive: true, force: true });
  const assets = join(outdir, 'assets');
  mkdirSync(assets, { recursive: true });

  const ranges = JSON.parse(readFileSync(join(FONT_DIR, 'unicode.json'), 'utf8')) as Record<string, string>;
  const fontFaces: string[] = [];
  const fonts: string[] = [];
  for (const subset of SUBSETS) {
    for (const weight of WEIGHTS) {
      const source = join(FONT_DIR, 'files', `sarabun-${subset}-${weight}-normal.woff2`);
      const bytes = readFileSync(source);
      const name = `sarabun-${subset}-${weight}-${hashOf(bytes)}.woff2`;
      copyFileSync(source, join(assets, name));
      fonts.push(name);
      fontFaces.push(
        `@font-face{font-family:Sarabun;font-style:normal;font-weight:${weight};font-display:swap;` +
          `src:url(./${name}) format("woff2");unicode-range:${ranges[subset]}}`,
      );
    }
  }

  const script = await build({
    entryPoints: [join(REPO_ROOT, 'web', 'src', 'main.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: TARGET,
    charset: 'utf8',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: 'app-[hash]',
    outdir: assets,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const css = readFileSync(join(REPO_ROOT, 'web', 'src', 'app.css'), 'utf8');
  const style = await build({
    stdin: { contents: `${fontFaces.join('\n')}\n${css}`, loader: 'css', resolveDir: assets },
    bundle: false,
    minify: true,
    target: TARGET,
    charset: 'utf8',
    write: false,
    logLevel: 'warning',
  });
  const cssText = style.outputFiles[0]!.text;
  const cssName = `app-${hashOf(cssText)}.css`;
  writeFileSync(join(assets, cssName), cssText);
  const jsName = basename(Object.keys(script.metafile.outputs).find((path) => path.endsWith('.js'))!);

  // The Thai regular face is needed for the first paint of every page; preloading it saves a round trip.
  const thaiRegular = fonts.find((name) => name.startsWith('sarabun-thai-400-'))!;
  const head = [
    `<link rel="preload" href="./assets/${thaiRegular}" as="font" type="font/woff2" crossorigin>`,
    `<link rel="stylesheet" href="./assets/${cssName}">`,
    `<script type="module" src="./assets/${jsName}"></script>`,
  ].join('\n');
  const html = readFileSync(join(REPO_ROOT, 'web', 'index.html'), 'utf8').replace('<!--assets-->', head);
  writeFileSync(join(outdir, 'index.html'), html);

  const files = [
    join(outdir, 'index.html'),
    ...[cssName, jsName, ...fonts].map((name) => join(assets, name)),
  ];
  return {
    outdir,
    files: files.map((path) => ({ path: relative(outdir, path), bytes: readFileSync(path).length })),
  };
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await buildWeb();
  for (const file of result.files) console.log(`${String(file.bytes).padStart(8)}  ${file.path}`);
  console.log(
    `${String(result.files.reduce((sum, f) => sum + f.bytes, 0)).padStart(8)}  total (${result.outdir})`,
  );
}
