// A Vite-built app that depends on the published package: `npm pack` installed into a fresh
// project, an app that imports 'litecnn' with no configuration, `vite build`, the output served
// as static files and opened in Chromium. Vite must find and emit the .wasm by itself (it
// follows index.js's `new URL('../dist/litecnn.wasm', import.meta.url)`), and the app must
// classify like Node.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { PNG } from 'pngjs';
import { chromium } from 'playwright-core';

import { loadModel } from 'litecnn';

import { installPackedPackage } from '../node/package_helpers.mjs';
import { REPO_ROOT, startStaticServer } from '../../scripts/static_server.mjs';

const CHROMIUM = process.env.LITECNN_CHROMIUM ?? '/usr/bin/chromium';
const OPTIONS = { topK: 5, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

const INDEX_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>litecnn + Vite</title></head>
<body><img id="photo" src="/chelsea.png" alt=""><script type="module" src="/main.js"></script></body></html>
`;
const MAIN_JS = `import { loadModel } from 'litecnn';
window.done = false;
try {
  const img = document.getElementById('photo');
  await img.decode();
  const model = await loadModel('/squeezenet1_1.onnx');
  window.results = await model.classify(img, ${JSON.stringify(OPTIONS)});
  model.dispose();
} catch (error) {
  window.error = String(error?.stack ?? error);
} finally {
  window.done = true;
}
`;

let project;
let server;
let browser;
let page;
let built;  // files vite wrote
const problems = [];

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`browser tests need Chromium at ${CHROMIUM} (scripts/setup.sh installs it)`);
  project = mkdtempSync(path.join(tmpdir(), 'litecnn-vite-'));
  installPackedPackage(project);
  writeFileSync(path.join(project, 'index.html'), INDEX_HTML);
  writeFileSync(path.join(project, 'main.js'), MAIN_JS);
  mkdirSync(path.join(project, 'public'));
  copyFileSync(path.join(REPO_ROOT, 'models/generated/squeezenet1_1.onnx'), path.join(project, 'public/squeezenet1_1.onnx'));
  copyFileSync(path.join(REPO_ROOT, 'models/images/chelsea.png'), path.join(project, 'public/chelsea.png'));

  const { build } = await import('vite');
  await build({ root: project, logLevel: 'error', build: { outDir: 'dist', emptyOutDir: true } });
  built = readdirSync(path.join(project, 'dist'), { recursive: true }).map(String);

  server = await startStaticServer({ root: path.join(project, 'dist') });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--disable-gpu', '--disable-quic'], timeout: 60_000 });
  page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  await page.goto(new URL('index.html', server.url).href);
  await page.waitForFunction(() => window.done === true, null, { timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

test('vite build emits the wasm as an asset', () => {
  assert.ok(built.some((f) => f.endsWith('.wasm')), `no .wasm among ${built.join(', ')}`);
});

test('the built app classifies like Node, with no errors', async () => {
  const { results, error } = await page.evaluate(() => ({ results: window.results, error: window.error }));
  assert.equal(error, undefined, error);
  assert.deepEqual(problems, []);
  const png = PNG.sync.read(readFileSync(path.join(REPO_ROOT, 'models/images/chelsea.png')));
  const model = await loadModel(path.join(REPO_ROOT, 'models/generated/squeezenet1_1.onnx'));
  const node = await model.classify({ data: png.data, width: png.width, height: png.height }, OPTIONS);
  model.dispose();
  assert.deepEqual(results.map((c) => c.index), node.map((c) => c.index));
  for (let i = 0; i < node.length; i++) assert.ok(Math.abs(results[i].score - node[i].score) <= 1e-4 * node[i].score);
});
