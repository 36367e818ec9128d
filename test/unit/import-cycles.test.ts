import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, sourceFiles } from '#test/source-files';

/**
 * A module that imports a value from a module that (through others) imports it back can see that
 * value still undefined while the two load: `NotificationSettings.parse` was undefined in
 * shared/local/seed.ts once. `import type` and `export type` vanish at run time, so they do not count.
 */
const SCANNED = ['shared', 'functions', 'scripts', 'infra', 'web/src'];

const compilerOptions: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
};

/** Shared by every resolution: most files import the same few dozen modules. */
const resolutionCache = ts.createModuleResolutionCache(REPO_ROOT, (name) => name, compilerOptions);

/** The repository files a file imports values from (relative paths; packages left out). */
const valueImports = (file: string): string[] => {
  const source = ts.createSourceFile(
    file,
    readFileSync(join(REPO_ROOT, file), 'utf8'),
    ts.ScriptTarget.Latest,
  );
  const specifiers = source.statements.flatMap((statement) => {
    if (ts.isImportDeclaration(statement)) {
      // `import { type A } from` still loads its module (verbatimModuleSyntax keeps `import {} from`).
      if (statement.importClause?.isTypeOnly) return [];
      return [(statement.moduleSpecifier as ts.StringLiteral).text];
    }
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly)
      return [(statement.moduleSpecifier as ts.StringLiteral).text];
    return [];
  });
  return specifiers.flatMap((specifier) => {
    const resolved = ts.resolveModuleName(
      specifier,
      join(REPO_ROOT, file),
      compilerOptions,
      ts.sys,
      resolutionCache,
    ).resolvedModule?.resolvedFileName;
    if (!resolved || resolved.includes('node_modules') || !/\.tsx?$/.test(resolved)) return [];
    return [relative(REPO_ROOT, resolved)];
  });
};

/** The strongly connected components of more than one module (Tarjan): each is an import cycle. */
const importCycles = (graph: ReadonlyMap<string, readonly string[]>): string[][] => {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (from: string) => {
    index.set(from, next);
    low.set(from, next);
    next++;
    stack.push(from);
    onStack.add(from);
    for (const to of graph.get(from) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(from, Math.min(low.get(from) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) low.set(from, Math.min(low.get(from) ?? 0, index.get(to) ?? 0));
    }
    if (low.get(from) !== index.get(from)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== from);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
};

describe('value imports', () => {
  it('form no cycle among the modules of shared, functions, scripts, infra and the web app', () => {
    // Prepare
    const files = SCANNED.flatMap(sourceFiles);
    const graph = new Map(files.map((file) => [file, valueImports(file)]));

    // Act
    const cycles = importCycles(graph);

    // Assess: the graph is the repository's (the aliases resolved), and acyclic.
    expect(files.length).toBeGreaterThan(200);
    expect(graph.get('functions/notifier.ts')).toContain('shared/domain/notification-settings.ts');
    expect(cycles).toEqual([]);
  });

  it('finds a cycle through several modules, and none through a type-only import', () => {
    // Prepare: a → b → c → a, and d → a alone; the seed's case, seed → settings → seed.
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
      ['seed', ['settings']],
      ['settings', ['seed']],
    ]);

    // Act
    const cycles = importCycles(graph);

    // Assess
    expect(cycles).toEqual([
      ['a', 'b', 'c'],
      ['seed', 'settings'],
    ]);
    expect(valueImports('shared/domain/notifications.ts')).not.toContain('shared/domain/improvement.ts');
  });
});
