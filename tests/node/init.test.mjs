// Instantiating the wasm module: an explicit wasm location, a missing one, bad options, and an
// engine without WebAssembly SIMD. The module is a per-process singleton, so each case runs in
// a fresh Node process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { REPO_ROOT } from './model_helpers.mjs';
import { reluModel } from './onnx_encode.mjs';

let dir;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'litecnn-init-'));
  copyFileSync(join(REPO_ROOT, 'web/dist/litecnn.wasm'), join(dir, 'moved.wasm'));
  writeFileSync(join(dir, 'relu.onnx'), reluModel());
});
after(() => rmSync(dir, { recursive: true, force: true }));

// Runs `body` as an ES module (top-level await) that imports litecnn (from `specifier`);
// returns its JSON output.
function child(body, specifier = 'litecnn') {
  const source = `import * as litecnn from '${specifier}';\nconst out = {};\ntry {\n${body}\n} catch (e) {\n` +
    `  out.error = { name: e.name, code: e.code, message: e.message };\n}\nconsole.log(JSON.stringify(out));\n`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', source], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const runRelu = () => `
  const model = await litecnn.loadModel(${JSON.stringify(join(dir, 'relu.onnx'))});
  const y = await model.run({ X: new litecnn.Tensor(Float32Array.from([-1, 2, -3, 4, 0, -5]), [2, 3]) });
  out.y = Array.from(y.Y.data);`;

// wasmUrl is the chosen build's .wasm: litecnn.wasm is the single-threaded SIMD build's.
test('init({ wasmUrl }) loads the wasm from where a bundler put it', () => {
  const out = child(`await litecnn.init({ backend: 'simd', wasmUrl: ${JSON.stringify(join(dir, 'moved.wasm'))} });\n${runRelu()}`);
  assert.deepEqual(out, { y: [0, 2, 0, 4, 0, 0] });
});

test('init({ wasmUrl }) also takes a file: URL string', () => {
  const url = pathToFileURL(join(dir, 'moved.wasm')).href;
  assert.deepEqual(child(`await litecnn.init({ backend: 'simd', wasmUrl: ${JSON.stringify(url)} });\n${runRelu()}`), { y: [0, 2, 0, 4, 0, 0] });
});

test('a wasmUrl that does not exist', () => {
  const out = child(`await litecnn.init({ wasmUrl: ${JSON.stringify(join(dir, 'nowhere.wasm'))} });`);
  assert.equal(out.error?.code, 'FailedPrecondition');
  assert.match(out.error.message, /cannot read the wasm file .*nowhere\.wasm/);
});

test('bad init options', () => {
  assert.equal(child('await litecnn.init(5);').error?.code, 'InvalidArgument');
  assert.match(child('await litecnn.init({ wasmUrl: 3 });').error.message, /wasmUrl must be a URL or a string, got 3/);
});

test('without WebAssembly SIMD: the plain build runs the model', () => {
  // Simulates an old engine: the probe module does not validate.
  const out = child(`WebAssembly.validate = () => false;\nout.simd = litecnn.simdSupported();\n${runRelu()}\n` +
    'out.build = (await litecnn.backendInfo()).build;');
  assert.deepEqual(out, { simd: false, y: [0, 2, 0, 4, 0, 0], build: 'plain' });
});

test('in Node, `litecnn` resolves to the Node entry, and the browser entry says so when given a path', () => {
  // package.json's exports: "node" -> web/src/node.js, which adds file access to index.js.
  const resolved = child('out.url = import.meta.resolve("litecnn");').url;
  assert.equal(resolved, pathToFileURL(join(REPO_ROOT, 'web/src/node.js')).href);
  const browserEntry = pathToFileURL(join(REPO_ROOT, 'web/src/index.js')).href;
  const out = child(runRelu(), browserEntry);
  assert.equal(out.error?.code, 'FailedPrecondition');
  assert.match(out.error.message, /import litecnn by its package name in Node, whose "node" export \(web\/src\/node\.js\) adds file access/);
  // Bytes need no file system: the browser entry runs in Node once handed the wasm.
  const bytes = child(`
    const { readFileSync } = await import('node:fs');
    const wasmBinary = readFileSync(${JSON.stringify(join(REPO_ROOT, 'web/dist/litecnn.wasm'))});
    await litecnn.init({ wasmUrl: 'data:application/wasm;base64,' + wasmBinary.toString('base64') });
    const model = await litecnn.loadModel(readFileSync(${JSON.stringify(join(dir, 'relu.onnx'))}));
    out.y = Array.from((await model.run({ X: new litecnn.Tensor(Float32Array.from([-1, 2, -3, 4, 0, -5]), [2, 3]) })).Y.data);`,
  browserEntry);
  assert.deepEqual(bytes, { y: [0, 2, 0, 4, 0, 0] });
});

test('bytes scribbled while the module is still instantiating do not reach the model', () => {
  const out = child(`
    const { readFileSync } = await import('node:fs');
    const bytes = new Uint8Array(readFileSync(${JSON.stringify(join(dir, 'relu.onnx'))}));
    const pending = litecnn.loadModel(bytes);  // the first call: it also instantiates the module
    bytes.fill(0xff);
    const model = await pending;
    out.y = Array.from((await model.run({ X: new litecnn.Tensor(Float32Array.from([-1, 2, -3, 4, 0, -5]), [2, 3]) })).Y.data);`);
  assert.deepEqual(out, { y: [0, 2, 0, 4, 0, 0] });
});

test('litecnn/blazeface alone in Node instantiates the engine from disk (its node entry)', () => {
  // blazefaceInput runs imageToTensor, which instantiates the wasm: from the file system in Node.
  const out = child(`
    const { input } = await litecnn.blazefaceInput({ data: new Uint8Array(4 * 8 * 8).fill(255), width: 8, height: 8 });
    out.dims = input.dims;
    out.max = Math.max(...input.data);`, 'litecnn/blazeface');
  assert.deepEqual(out, { dims: [1, 128, 128, 3], max: 1 });
});
