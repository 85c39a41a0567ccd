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
