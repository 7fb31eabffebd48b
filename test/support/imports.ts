/**
 * The project's import graph, read with TypeScript's own pre-processor (every `import`,
 * `import type`, `export ... from` and `import()` with a literal), for the architecture test.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Every .ts file under the folders, as paths relative to the root ('src/app/start.ts'). */
export function sourceFiles(folders: readonly string[], skip: (rel: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (skip(rel)) continue;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const f of folders) walk(f);
  return out.sort();
}

/** The specifiers a file imports, as written. */
export function importsOf(rel: string): string[] {
  const info = ts.preProcessFile(readFileSync(path.join(ROOT, rel), 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** A relative specifier resolved to the project file it names, or null for a package. */
export function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`, base]) {
    if (existsSync(path.join(ROOT, candidate)) && candidate.endsWith('.ts')) return candidate;
  }
  return null;
}

/** Edges between project files. */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(files.map((f) => [f, importsOf(f).flatMap((s) => { const r = resolveImport(f, s); return r && known.has(r) ? [r] : []; })]));
}

/** Every cycle's files (strongly connected components of more than one file, or a self-import), by Tarjan's algorithm. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}
