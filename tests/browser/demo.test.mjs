// The webcam demo (web/demo/) in Debian's Chromium, driven by playwright-core, with a fake camera
// that plays models/images/astronaut.png (one face) as a .y4m file, served with COOP/COEP like
// `npm start` serves it. Checks that the page starts on the camera, draws one face whose box
// matches onnxruntime-web's BlazeFace on the same frame, labels its expression, reports FPS,
// switches to each classifier and back, profiles per layer, falls back to the sample photo when
// the camera is denied, logs no console errors and sends no request beyond localhost.
// Screenshots go to test-artifacts/demo/; the FPS per model is printed (test diagnostics).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import * as ort from 'onnxruntime-web';
import { PNG } from 'pngjs';
import { chromium } from 'playwright-core';

import { blazefaceInput, facesFromOutputs } from 'litecnn/blazeface';

import { REPO_ROOT, startStaticServer } from '../../scripts/static_server.mjs';

const CHROMIUM = process.env.LITECNN_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'demo');
const EXPRESSIONS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'];
const BOX_TOLERANCE_PX = 3;

let server;
let browser;
let page;
let dir;
const consoleErrors = [];
const pageErrors = [];
const requests = [];
const fpsByModel = {};

// A .y4m (YUV4MPEG2, 4:2:0, BT.601 studio range) with two identical frames of a PNG.
function y4mFromPng(pngPath) {
  const { width, height, data } = PNG.sync.read(readFileSync(pngPath));
  const w2 = width >> 1;
  const h2 = height >> 1;
  const y = new Uint8Array(width * height);
  const u = new Uint8Array(w2 * h2);
  const v = new Uint8Array(w2 * h2);
  const clamp = (x) => Math.max(0, Math.min(255, Math.round(x)));
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = [data[4 * i], data[4 * i + 1], data[4 * i + 2]];
    y[i] = clamp(16 + 0.257 * r + 0.504 * g + 0.098 * b);
  }
  for (let j = 0; j < h2; j++) {
    for (let i = 0; i < w2; i++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const p = 4 * ((2 * j + dy) * width + 2 * i + dx);
        r += data[p] / 4;
        g += data[p + 1] / 4;
        b += data[p + 2] / 4;
      }
      u[j * w2 + i] = clamp(128 - 0.148 * r - 0.291 * g + 0.439 * b);
      v[j * w2 + i] = clamp(128 + 0.439 * r - 0.368 * g - 0.071 * b);
    }
  }
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, u, v]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`), frame, frame]);
}

async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--disable-gpu', '--disable-quic', ...extraArgs],
    timeout: 60_000,
  });
}

function watch(p) {
  p.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${m.text()} (${m.location().url})`);
  });
  p.on('pageerror', (e) => pageErrors.push(e.stack ?? String(e)));
  p.on('request', (r) => requests.push(r.url()));
}

const demoState = (p) => p.evaluate(() => {
  const { state } = window.litecnnDemo;
  return JSON.parse(JSON.stringify(state));
});

// Waits until the current model (model id `id`, when given) has produced `count` results;
// returns the state.
async function waitForResults(p, count, id = null, timeout = 90_000) {
  await p.waitForFunction(([n, want]) => {
    const s = window.litecnnDemo?.state;
    return s && !s.loading && s.loadedModel !== null && s.results >= n && (want === null || s.model.id === want);
  }, [count, id], { timeout, polling: 100 });
  return demoState(p);
}

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`the demo test needs Chromium at ${CHROMIUM} (scripts/setup.sh installs it)`);
  dir = mkdtempSync(path.join(tmpdir(), 'litecnn-demo-'));
  const y4m = path.join(dir, 'astronaut.y4m');
  writeFileSync(y4m, y4mFromPng(path.join(REPO_ROOT, 'models/images/astronaut.png')));
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startStaticServer({ crossOriginIsolated: true });
  browser = await launch([
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`,
  ]);
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  watch(page);
  await page.goto(new URL('web/demo/', server.url).href);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (Object.keys(fpsByModel).length) console.log(`# demo FPS in headless Chromium: ${JSON.stringify(fpsByModel)}`);
});

test('the page starts on the camera and draws one face with its expression', async () => {
  const state = await waitForResults(page, 10);
  await page.screenshot({ path: path.join(ARTIFACTS, 'faces-camera.png'), fullPage: true });
  assert.equal(state.source, 'camera', `source message: ${state.sourceMessage}`);
  assert.deepEqual(state.frameSize, [512, 512]);
  assert.equal(state.backend.simd, true);
  assert.equal(state.faces.length, 1, JSON.stringify(state.faces));
  assert.ok(EXPRESSIONS.includes(state.faces[0].expression.label), JSON.stringify(state.faces[0]));
  assert.match(await page.textContent('#results'), /face: (neutral|happy|sad|angry|fearful|disgusted|surprised)/);
  fpsByModel.faces = Number(state.fps.toFixed(1));
  // Frames stay in the page: once the models are loaded, analysing more frames fetches nothing.
  const before = requests.length;
  await waitForResults(page, state.results + 10);
  assert.deepEqual(requests.slice(before), []);
});

test('the box matches onnxruntime-web on the same frame within a few pixels', async () => {
  const state = await demoState(page);
  const frame = await page.evaluate(() => window.litecnnDemo.framePixels());
  const pixels = { width: frame.width, height: frame.height, data: Uint8Array.from(frame.data) };
  // The same preprocessing in Node (litecnn's blazefaceInput), the model run by ORT.
  const { input, transform } = await blazefaceInput(pixels);
  const session = await ort.InferenceSession.create(readFileSync(path.join(REPO_ROOT, 'models/generated/blazeface.onnx')));
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input.data, [...input.dims]) });
  await session.release();
  const outputs = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { data: t.data, dims: [...t.dims] }]));
  const [reference] = facesFromOutputs(outputs, { transform });
  assert.ok(reference, 'ORT finds no face');
  const box = state.faces[0].box;
  for (const key of ['x', 'y', 'width', 'height']) {
    assert.ok(Math.abs(box[key] - reference.box[key]) <= BOX_TOLERANCE_PX,
      `${key}: page ${box[key].toFixed(1)} vs ORT ${reference.box[key].toFixed(1)}`);
  }
});

test('FPS and inference time are shown, with the engine state', async () => {
  const fps = await page.textContent('#fps');
  const latency = await page.textContent('#latency');
  assert.match(fps, /^\d+(\.\d)?$/);
  assert.ok(Number(fps) > 0);
  assert.match(latency, /^\d+(\.\d)? ms$/);
  assert.match(await page.textContent('#badge-simd'), /SIMD: on/);
  // Served with COOP/COEP like `npm start`: the worker gets the threads build.
  const { backend } = await demoState(page);
  assert.equal(backend.build, 'simd-threads');
  assert.ok(backend.threads >= 2, JSON.stringify(backend));
  assert.equal(await page.textContent('#badge-threads'), `threads: ${backend.threads}`);
});

test('switching to each classifier shows its top 5, then back to faces', async () => {
  const classifiers = await page.evaluate(() => window.litecnnDemo.models.filter((m) => m.kind === 'classify').map((m) => m.id));
  assert.equal(classifiers.length, 6);
  for (const id of classifiers) {
    await page.selectOption('#model', id);
    const state = await waitForResults(page, 8, id);
    assert.equal(state.model.id, id);
    assert.equal(state.faces, null);
    assert.equal(state.top.length, 5);
    assert.ok(state.top.every((c) => typeof c.label === 'string' && c.label.length > 0 && !c.label.startsWith('class ')),
      'ImageNet labels');
    fpsByModel[id] = Number(state.fps.toFixed(1));
    if (id === 'mobilenet_v2') await page.screenshot({ path: path.join(ARTIFACTS, 'classify-mobilenet_v2.png') });
  }
  await page.selectOption('#model', 'faces');
  const state = await waitForResults(page, 3, 'faces');
  assert.equal(state.faces.length, 1);
});

test('your own model and labels, picked as files', async () => {
  const labels = path.join(dir, 'my-labels.txt');
  writeFileSync(labels, Array.from({ length: 1000 }, (_, i) => `my class ${i}`).join('\n'));
  await page.click('#own-model summary');
  await page.setInputFiles('#own-labels-file', labels);
  await page.waitForFunction(() => /1000 labels/.test(document.getElementById('own-labels-name').textContent));
  await page.setInputFiles('#own-model-file', path.join(REPO_ROOT, 'models/generated/squeezenet1_1.onnx'));
  const state = await waitForResults(page, 3, 'own');
  assert.equal(state.model.id, 'own');
  assert.equal(state.loadedModel.name, 'squeezenet1_1.onnx');
  assert.ok(state.top.every((c) => /^my class \d+$/.test(c.label)), JSON.stringify(state.top));
  await page.selectOption('#model', 'faces');
  assert.equal((await waitForResults(page, 3, 'faces')).faces.length, 1);
});

test('the per-layer profile shows time per op', async () => {
  await page.click('#profile-button');
  await page.waitForFunction(() => window.litecnnDemo.state.profile?.length > 0, null, { timeout: 30_000 });
  const { profile } = await demoState(page);
  // Faces mode runs two models: both appear.
  assert.ok(profile.some((r) => r.op === 'detector Conv' && r.ms > 0), JSON.stringify(profile));
  assert.ok(profile.some((r) => r.op === 'expression Conv' && r.ms > 0), JSON.stringify(profile));
  assert.ok((await page.$$('#profile .row')).length === profile.length);
  await page.screenshot({ path: path.join(ARTIFACTS, 'profile.png'), fullPage: true });
});

test('denied camera permission: a clear message and the sample photo, faces still found', async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  const denied = await context.newPage();
  watch(denied);
  await denied.goto(new URL('web/demo/', server.url).href);
  const state = await waitForResults(denied, 3);
  await denied.screenshot({ path: path.join(ARTIFACTS, 'camera-denied.png') });
  const shown = await denied.isVisible('#source-message');
  const text = await denied.textContent('#source-message');
  await context.close();
  assert.ok(shown, 'the message is visible');
  assert.match(text, /Camera permission was denied/);
  assert.equal(state.source, 'image');
  assert.match(state.sourceMessage, /Camera permission was denied\. Showing the sample photo instead/);
  assert.equal(state.faces.length, 1);
});

test('no console errors, and no request leaves localhost', () => {
  assert.deepEqual(pageErrors, [], 'page errors');
  assert.deepEqual(consoleErrors, [], 'console errors');
  const outside = requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(outside, []);
});
