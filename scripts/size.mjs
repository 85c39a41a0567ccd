// What a page downloads to run litecnn, gzipped (level 9, as a static server would serve it):
// the wasm, the Emscripten ES module and the JS API (web/src/*.js). Fails above the budget.
//   node scripts/size.mjs [--json]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const BUDGET_BYTES = 150 * 1024;  // the JS API issue's budget for wasm + JS

const files = [
  'web/dist/litecnn.wasm',
  'web/dist/litecnn.mjs',
  ...readdirSync(join(ROOT, 'web/src'))
    .filter((f) => f.endsWith('.js'))
    .sort()
    .map((f) => `web/src/${f}`),
];
const rows = files.map((file) => {
  const bytes = readFileSync(join(ROOT, file));
  return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const total = rows.reduce((a, r) => ({ bytes: a.bytes + r.bytes, gzip: a.gzip + r.gzip }), { bytes: 0, gzip: 0 });

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ files: rows, total, budget_gzip: BUDGET_BYTES }));
} else {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);
  console.log(`${'file'.padEnd(28)}${'raw'.padStart(10)}${'gzip'.padStart(10)}`);
  for (const r of rows) console.log(`${r.file.padEnd(28)}${kb(r.bytes)}${kb(r.gzip)}`);
  console.log(`${'total'.padEnd(28)}${kb(total.bytes)}${kb(total.gzip)}   (budget ${kb(BUDGET_BYTES).trim()} gzipped)`);
}
if (total.gzip > BUDGET_BYTES) {
  console.error(`size: ${total.gzip} gzipped bytes exceed the budget of ${BUDGET_BYTES} by ${total.gzip - BUDGET_BYTES}`);
  process.exitCode = 1;
}
