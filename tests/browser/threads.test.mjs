// Build selection in Chromium: a page served without COOP/COEP is not cross-origin isolated and
// gets the single-threaded SIMD build; served with them it gets the threads build, whose outputs
// are bit-identical for 1, 2 and 3 threads and to the single-threaded build (same kernels). A
// forced plain build works too. Only the chosen build's files are downloaded.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { loadModel, Tensor } from 'litecnn';

import { REPO_ROOT, startStaticServer } from '../../scripts/static_server.mjs';

const CHROMIUM = process.env.LITECNN_CHROMIUM ?? '/usr/bin/chromium';

let plainServer;
let isolatedServer;
let browser;

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`browser tests need Chromium at ${CHROMIUM} (scripts/setup.sh installs it)`);
  plainServer = await startStaticServer();
  isolatedServer = await startStaticServer({ crossOriginIsolated: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--disable-gpu', '--disable-quic'], timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  await plainServer?.close();
  await isolatedServer?.close();
});

// Opens pages/backends.html with `query` on `server`; returns {results, files} where files are
// the distinct web/dist files the page fetched (each pthread worker fetches the worker script and
// the module again: the test server sends no-store; a page's HTTP cache would serve them).
async function openPage(server, query) {
  const page = await browser.newPage();
  const errors = [];
  const files = [];
  page.on('pageerror', (error) => errors.push(error.stack ?? String(error)));
  page.on('console', (message) => {
    // The browser asks each new origin for /favicon.ico, which the test server does not have.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(message.text());
  });
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if (pathname.startsWith('/web/dist/')) files.push(`${path.basename(pathname)} ${response.status()}`);
  });
  try {
    await page.goto(new URL(`tests/browser/pages/backends.html?${query}`, server.url).href);
    await page.waitForFunction(() => window.done === true, null, { timeout: 120_000 });
    const { results, error } = await page.evaluate(() => ({ results: window.results, error: window.error }));
    assert.equal(error, null, `the page failed: ${error}`);
    assert.deepEqual(errors, []);
    return { results, files: [...new Set(files)].sort() };
  } finally {
    await page.close();
  }
}

let nodeLogits = null;
async function logitsInNode() {
  if (nodeLogits === null) {
    const x = Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => ((i * 7919) % 1000) / 500 - 1);
    const model = await loadModel(path.join(REPO_ROOT, 'models/generated/squeezenet1_1.onnx'));
    const out = await model.run({ [model.inputs[0].name]: new Tensor(x, [1, 3, 224, 224]) });
    nodeLogits = Array.from(out[model.outputs[0].name].data);
    model.dispose();
  }
  return nodeLogits;
}

test('without COOP/COEP: the single-threaded SIMD build, and only its files are fetched', async () => {
  const { results, files } = await openPage(plainServer, 'threads=1,2');
  assert.equal(results.crossOriginIsolated, false);
  assert.deepEqual(results.info, { build: 'simd', threads: 1, simd: true, crossOriginIsolated: false });
  assert.deepEqual(files, ['litecnn.mjs 200', 'litecnn.wasm 200']);
  // numThreads beyond what the build has is clamped, not an error.
  assert.equal(results.runs[2].numThreads, 1);
  assert.deepEqual(results.runs[1].data, await logitsInNode());
  assert.deepEqual(results.runs[2].data, results.runs[1].data);
});

test('with COOP/COEP: the threads build; 1, 2 and 3 threads give the same bits as one', async () => {
  const { results, files } = await openPage(isolatedServer, 'pool=3&threads=1,2,3');
  assert.equal(results.crossOriginIsolated, true);
  assert.deepEqual(results.info, { build: 'simd-threads', threads: 3, simd: true, crossOriginIsolated: true });
  assert.deepEqual(files, ['litecnn-mt.mjs 200', 'litecnn-mt.wasm 200', 'litecnn-mt.worker.js 200']);
  for (const t of [1, 2, 3]) {
    assert.equal(results.runs[t].numThreads, t);
    assert.deepEqual(results.runs[t].data, await logitsInNode(), `${t} threads`);
  }
});

test('with COOP/COEP and no options: a pool of the cores (at most 4)', async () => {
  const { results } = await openPage(isolatedServer, 'threads=1');
  const { threads } = results.info;
  assert.ok(threads >= 1 && threads <= 4, JSON.stringify(results.info));
  assert.equal(results.info.build, threads > 1 ? 'simd-threads' : 'simd');  // one core: no threads build
});

test('a forced plain build (no SIMD) works and agrees with the SIMD build', async () => {
  const { results, files } = await openPage(isolatedServer, 'backend=plain&threads=1');
  assert.deepEqual(results.info, { build: 'plain', threads: 1, simd: false, crossOriginIsolated: true });
  assert.deepEqual(files, ['litecnn-plain.mjs 200', 'litecnn-plain.wasm 200']);
  const simd = await logitsInNode();
  const scale = Math.max(...simd.map(Math.abs));
  const diff = Math.max(...results.runs[1].data.map((v, i) => Math.abs(v - simd[i])));
  assert.ok(diff <= 1e-4 * scale, `max diff ${diff} vs scale ${scale}`);
});
