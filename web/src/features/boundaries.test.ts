import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * 1. No import cycles between features. ESLint's `import-x/no-cycle` catches cycles of
 *    run-time imports; this also counts `import type` (a type-only import back is still
 *    a feature depending on a feature that depends on it) and names the cycle by
 *    feature. Test files are left out: nothing imports them.
 * 2. Feature modules run nothing when imported, as vite.config.ts tells the bundler.
 */

// Every non-test source file of src, as text, by path (`/src/…`).
const sources = import.meta.glob<string>(['/src/**/*.{ts,tsx}', '!/src/**/*.test.{ts,tsx}', '!/src/**/*.d.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});
const featureSources = Object.fromEntries(Object.entries(sources).filter(([path]) => featureOf(path) !== undefined));

/** The feature a path such as `/src/features/inbox/store.ts` belongs to, if any. */
function featureOf(path: string): string | undefined {
  return /^\/src\/features\/([^/.]+)(?:\/|$)/.exec(path)?.[1];
}

/** Where an import specifier points, as `/src/…`; undefined for packages. */
function resolveSpecifier(specifier: string, fromPath: string): string | undefined {
  if (specifier.startsWith('@/')) return `/src/${specifier.slice(2)}`;
  if (specifier.startsWith('.')) return new URL(specifier, `file://${fromPath}`).pathname;
  return undefined;
}

/** Which features each feature imports, with one import that shows it. */
function featureGraph(files: Record<string, string>): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const [path, text] of Object.entries(files)) {
    const from = featureOf(path);
    if (from === undefined) continue;
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    // Static imports, `export … from`, `import type` and dynamic `import()`.
    for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
      const resolved = resolveSpecifier(specifier, path);
      const to = resolved === undefined ? undefined : featureOf(resolved);
      if (to !== undefined && to !== from && !edges.has(to)) edges.set(to, `${path} imports '${specifier}'`);
    }
  }
  return graph;
}

/** Every elementary cycle, each once, starting at its alphabetically first feature. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const walk = (start: string, path: string[]) => {
    for (const next of graph.get(path[path.length - 1] ?? start) ?? []) {
      if (next === start) {
        const at = path.indexOf([...path].sort()[0] ?? start);
        const rotated = [...path.slice(at), ...path.slice(0, at)];
        cycles.set(rotated.join(), [...rotated, rotated[0] ?? start]);
      } else if (!path.includes(next)) {
        walk(start, [...path, next]);
      }
    }
  };
  for (const start of graph.keys()) walk(start, [start]);
  return [...cycles.values()].sort((a, b) => a.join().localeCompare(b.join()));
}

const targets = (graph: Map<string, Map<string, string>>) => new Map([...graph].map(([f, to]) => [f, [...to.keys()]]));

describe('feature boundaries', () => {
  it('finds cycles, type-only and dynamic imports included', () => {
    const graph = featureGraph({
      '/src/features/a/x.ts': "import type { B } from '@/features/b';",
      '/src/features/b/y.tsx': "export const c = () => import('../c/z');",
      '/src/features/c/z.ts': "export { a } from '@/features/a/deep';\nimport { ok } from '@/lib/ok';",
      '/src/features/d/w.ts': "import { a } from '@/features/a';\nimport { d } from './w2';",
    });
    expect(findCycles(targets(graph))).toEqual([['a', 'b', 'c', 'a']]);
    expect(findCycles(new Map([['x', ['y']], ['y', ['x', 'z']], ['z', ['y']]]))).toEqual([
      ['x', 'y', 'x'],
      ['y', 'z', 'y'],
    ]);
  });

  it('has no import cycles between features', () => {
    const graph = featureGraph(featureSources);
    expect(graph.size).toBeGreaterThan(5);
    const cycles = findCycles(targets(graph));
    // Each cycle with the import behind every step.
    const explained = cycles.map((cycle) =>
      cycle
        .slice(1)
        .map((to, i) => {
          const from = cycle[i] ?? '';
          return `${from} → ${to} (${graph.get(from)?.get(to) ?? '?'})`;
        })
        .join('; '),
    );
    expect(explained).toEqual([]);
  });

  it('has feature modules that run nothing when imported', () => {
    // Declarations only at the top level: no statements that act on import.
    const acting = Object.entries(featureSources).flatMap(([path, text]) =>
      ts
        .createSourceFile(path, text, ts.ScriptTarget.Latest)
        .statements.filter((s) => !isDeclaration(s))
        .map((s) => `${path}: ${ts.SyntaxKind[s.kind]}`),
    );
    expect(acting).toEqual([]);
    // And nothing imports a feature module for its effects (`import './x'`): the bundler may drop it.
    const bare = Object.entries(sources).flatMap(([path, text]) =>
      ts
        .createSourceFile(path, text, ts.ScriptTarget.Latest)
        .statements.filter(ts.isImportDeclaration)
        .filter((s) => s.importClause === undefined && ts.isStringLiteral(s.moduleSpecifier))
        .map((s) => (s.moduleSpecifier as ts.StringLiteral).text)
        .filter((specifier) => featureOf(resolveSpecifier(specifier, path) ?? '') !== undefined)
        .map((specifier) => `${path} imports '${specifier}'`),
    );
    expect(bare).toEqual([]);
  });
});

function isDeclaration(s: ts.Statement): boolean {
  return (
    (ts.isImportDeclaration(s) && s.importClause !== undefined) ||
    ts.isExportDeclaration(s) ||
    ts.isVariableStatement(s) ||
    ts.isFunctionDeclaration(s) ||
    ts.isClassDeclaration(s) ||
    ts.isInterfaceDeclaration(s) ||
    ts.isTypeAliasDeclaration(s) ||
    ts.isEnumDeclaration(s) ||
    ts.isModuleDeclaration(s) ||
    ts.isEmptyStatement(s)
  );
}
