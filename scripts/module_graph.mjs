// The JS files a page loads from an entry point: the entry and every web/src module it imports,
// statically or dynamically (relative .js specifiers, followed transitively). Returns
// [{file, specifiers}] with repo-relative paths, entry first; `specifiers` lists everything
// each file imports (including bare and node: specifiers, which are not followed).
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

export function moduleGraph(root, entry) {
  const seen = new Map();
  const visit = (file) => {
    if (seen.has(file)) return;
    const specifiers = [...readFileSync(join(root, file), 'utf8').matchAll(IMPORT)].map((m) => m[1]);
    seen.set(file, specifiers);
    for (const s of specifiers) {
      if (s.startsWith('.') && s.endsWith('.js')) visit(relative(root, join(root, dirname(file), s)));
    }
  };
  visit(entry);
  return [...seen].map(([file, specifiers]) => ({ file, specifiers }));
}

/**
 * Import cycles among the modules reachable from `entries`: each as [a, b, ..., a]. A cycle
 * works only while no module of it uses another's exports during loading (a top-level
 * `extends`, a constant computed from an import), so one added line could break an import
 * order: web/src has none, and a test keeps it so.
 */
export function importCycles(root, entries) {
  const edges = new Map();
  for (const entry of entries) {
    for (const { file, specifiers } of moduleGraph(root, entry)) {
      const local = specifiers.filter((s) => s.startsWith('.') && s.endsWith('.js'));
      edges.set(file, local.map((s) => relative(root, join(root, dirname(file), s))));
    }
  }
  const cycles = [];
  const state = new Map();  // file -> 'open' while on the DFS path, 'done' after
  const path = [];
  const visit = (file) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return cycles;
}
