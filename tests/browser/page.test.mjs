// The JS API in a real browser: Debian's Chromium, driven by playwright-core, opens
// tests/browser/pages/classify.html from scripts/static_server.mjs. The page classifies
// models/images/chelsea.png with squeezenet1_1 from an <img> (imageToTensor's element path),
// canvas ImageData, the <canvas>, an OffscreenCanvas and a VideoFrame; each must match the Node
// API on the pngjs-decoded pixels. A <video> playing a stream of the canvas is checked against
// the ImageData of its frame.
// Chromium must be installed (scripts/setup.sh does it): without it this test fails, it does not skip.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { PNG } from 'pngjs';
import { chromium } from 'playwright-core';

import { loadModel } from 'litecnn';

import { REPO_ROOT, startStaticServer } from '../../scripts/static_server.mjs';

const CHROMIUM = process.env.LITECNN_CHROMIUM ?? '/usr/bin/chromium';
const OPTIONS = { topK: 5, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'browser');
// Relative: the test models have seeded random weights (models/manifest.json), so every
// probability is near 1/1000 and an absolute 1e-4 would allow ~4%. (Today they are identical.)
const SCORE_TOLERANCE = 1e-4;

let server;
let browser;
let page;
let pageResults;     // window.results
const consoleErrors = [];
const pageErrors = [];
const responses = [];  // {url, status, type} of every response the page got

async function classifyInNode() {
  const png = PNG.sync.read(readFileSync(path.join(REPO_ROOT, 'models/images/chelsea.png')));
  const model = await loadModel(path.join(REPO_ROOT, 'models/generated/squeezenet1_1.onnx'));
  try {
    return await model.classify({ data: png.data, width: png.width, height: png.height }, OPTIONS);
  } finally {
    model.dispose();
  }
}

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `browser tests need Chromium at ${CHROMIUM}, which is missing: install it with ` +
        '"apt-get install --no-install-recommends chromium" (scripts/setup.sh does, as root), ' +
        'or point LITECNN_CHROMIUM at a Chromium binary',
    );
  }
  server = await startStaticServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // playwright-core already passes --headless, --no-sandbox, --no-first-run,
    // --disable-background-networking, --disable-component-update, --disable-sync and a fresh
    // temporary --user-data-dir (removed on close; passing one here is an error).
    args: ['--disable-gpu', '--disable-quic'],
    timeout: 60_000,
  });
  page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? String(error)));
  page.on('response', (response) =>
    responses.push({ url: response.url(), status: response.status(), type: response.headers()['content-type'] }));

  await page.goto(new URL('tests/browser/pages/classify.html', server.url).href);
  await page.waitForFunction(() => window.done === true, null, { timeout: 60_000 });
  const { results, error } = await page.evaluate(() => ({ results: window.results, error: window.error }));
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'classify.png'), fullPage: true });
  assert.equal(error, null, `the page failed: ${error}`);
  pageResults = results;
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('no console errors and no uncaught page errors', () => {
  assert.deepEqual(pageErrors, [], 'page errors');
  assert.deepEqual(consoleErrors, [], 'console errors');
  const failed = responses.filter((r) => r.status >= 400);
  assert.deepEqual(failed, [], 'failed requests');
});

test('the wasm is fetched with Content-Type application/wasm', () => {
  const wasm = responses.filter((r) => new URL(r.url).pathname === '/web/dist/litecnn.wasm');
  assert.equal(wasm.length, 1, `litecnn.wasm fetched ${wasm.length} times; responses: ${JSON.stringify(responses)}`);
  assert.equal(wasm[0].status, 200);
  assert.equal(wasm[0].type, 'application/wasm');
});

test('simdSupported() is true in Chromium; the page, not cross-origin isolated, runs one thread', () => {
  assert.equal(pageResults.simd, true);
  assert.equal(pageResults.backend, 'simd build, 1 thread');
});

function assertSameTop(actual, expected, what) {
  assert.ok(Array.isArray(actual), `${what}: no result (${JSON.stringify(actual)})`);
  assert.deepEqual(actual.map((c) => c.index), expected.map((c) => c.index), `${what}: top-5 indices`);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i].score - expected[i].score);
    assert.ok(diff <= SCORE_TOLERANCE * expected[i].score,
      `${what}: class ${expected[i].index} score ${actual[i].score} vs ${expected[i].score} (diff ${diff})`);
  }
}

test('<img>, ImageData, <canvas>, OffscreenCanvas and VideoFrame give the same top-5 as Node', async () => {
  const node = await classifyInNode();
  for (const source of ['img', 'imageData', 'canvas', 'offscreenCanvas', 'videoFrame']) {
    assertSameTop(pageResults[source], node, source);
  }
});

test('a playing <video> is classified from its current frame', () => {
  assert.deepEqual(pageResults.videoSize, [451, 300]);
  // Its frames may be colour-converted on the way, so the reference is the same frame read back
  // through a canvas, not the PNG.
  assertSameTop(pageResults.video, pageResults.videoImageData, 'video');
});

test('a <video> without a frame yet is refused with what to wait for', () => {
  assert.match(pageResults.videoNotReady, /<video> has no current frame yet \(wait for "loadeddata"\)/);
});

test('a module Worker loads the model and classifies an ImageBitmap like Node', async () => {
  const workerPage = await browser.newPage();
  const errors = [];
  workerPage.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  workerPage.on('pageerror', (error) => errors.push(error.stack ?? String(error)));
  await workerPage.goto(new URL('tests/browser/pages/worker.html', server.url).href);
  await workerPage.waitForFunction(() => window.done === true, null, { timeout: 60_000 });
  const { results, error } = await workerPage.evaluate(() => ({ results: window.results, error: window.error }));
  await workerPage.screenshot({ path: path.join(ARTIFACTS, 'worker.png') });
  await workerPage.close();
  assert.equal(error, null, `the worker failed: ${error}`);
  assert.deepEqual(errors, []);
  assert.equal(results.simd, true);
  const node = await classifyInNode();
  assertSameTop(results.bitmap, node, 'ImageBitmap in a Worker');
});
