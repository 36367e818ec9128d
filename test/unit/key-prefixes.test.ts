import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT as ROOT, sourceFiles } from '#test/source-files';

/** The one file allowed to spell the table's key prefixes. */
const KEYS_FILE = 'shared/adapters/dynamo/keys.ts';
const SCANNED = ['shared', 'functions', 'scripts', 'test/support'];

/** An upper-case word right before `#`: `A#`, `AGENCY#`, `LINE#GROUP#`, as the table's keys are spelt. */
const KEY_PREFIX = /(?:^|[^A-Za-z0-9_])[A-Z][A-Z0-9]*#/;

/** The text of every string and template literal in a file (comments are not literals, so they pass). */
const literals = (file: string): { text: string; line: number }[] => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  // Parsing is the slow part: a file with no upper-case letter before a `#` has nothing to find.
  if (!/[A-Z]#/.test(text)) return [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: { text: string; line: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
      found.push({ text: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
};

const offences = (files: string[]) =>
  files.flatMap((file) =>
    literals(file)
      .filter(({ text }) => KEY_PREFIX.test(text))
      .map(({ text, line }) => `${file}:${line} ${JSON.stringify(text)}`),
  );

describe('table key prefixes', () => {
  it('are spelt only in keys.ts', () => {
    // Prepare
    const files = SCANNED.flatMap(sourceFiles)
      .map((path) => relative(ROOT, join(ROOT, path)))
      .filter((path) => path !== KEYS_FILE);

    // Act
    const found = offences(files);

    // Assess
    expect(files.length).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });

  it('finds a prefix in a string or a template, and not in a comment', () => {
    // Prepare: keys.ts itself spells them all, in both forms.
    const inKeys = literals(KEYS_FILE).filter(({ text }) => KEY_PREFIX.test(text));

    // Act
    const texts = inKeys.map(({ text }) => text);

    // Assess
    expect(texts).toContain('AGENCY#');
    expect(texts).toContain('A#');
    expect(texts.some((text) => text.startsWith('LINK#'))).toBe(true);
    expect(offences([KEYS_FILE]).length).toBe(inKeys.length);
    expect(KEY_PREFIX.test('&#')).toBe(false);
    expect(KEY_PREFIX.test('a1#OIT')).toBe(false);
  });
});
