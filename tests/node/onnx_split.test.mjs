// web/src/onnx_split.js: loadModel cuts the large initializer payloads out of a model before
// copying it into wasm memory. Checks what is cut, that a split load computes exactly what a
// whole-file load does, and that anything unexpected falls back to the whole file.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Tensor, init, loadModel } from 'litecnn';

import { splitOnnx } from '../../web/src/onnx_split.js';
import { loadManifest, readModelBytes, seededUniform } from './model_helpers.mjs';
import { reluModel } from './onnx_encode.mjs';

// The bindings' load options, as web/src/model.js passes them.
const NATIVE_OPTIONS = { inputDims: [], limits: {}, numThreads: 1, feedInitializers: [] };
const entry = (name) => loadManifest().models.find((m) => m.name === name);

test('a torchvision model: the weights are cut out, the rest is a small skeleton', () => {
  const bytes = readModelBytes(entry('squeezenet1_1'));
  const split = splitOnnx(bytes);
  assert.ok(split !== null);
  const payloadBytes = split.payloads.reduce((n, p) => n + p.length, 0);
  // 1,233,288 parameters, nearly all of them in initializers of >= 4 KB.
  assert.ok(payloadBytes > 4.8e6 && payloadBytes <= bytes.length, `${payloadBytes}`);
  assert.ok(split.skeleton.length < 40_000, `skeleton of ${split.skeleton.length} bytes`);
  for (const p of split.payloads) {
    assert.ok(p.length >= 4096);
    assert.equal(p.buffer, bytes.buffer, 'payloads are views of the file, not copies');
  }
});

test('a split load and a whole-file load give bit-identical outputs', async () => {
  const wasm = await init();
  const bytes = readModelBytes(entry('shufflenet_v2_x0_5'));
  const input = seededUniform(0x11ce, 3 * 224 * 224);
  const outputs = [];
  for (const split of [splitOnnx(bytes), null]) {
    const native = new wasm.Model();
    try {
      const status = split ? native.load(split.skeleton, NATIVE_OPTIONS, split.payloads) : native.load(bytes, NATIVE_OPTIONS, []);
      assert.ok(status.ok, status.message);
      const r = native.run([{ name: 'input', data: input, dims: [1, 3, 224, 224] }]);
      assert.ok(r.ok, r.message);
      outputs.push(r.outputs[0].data);
    } finally {
      native.delete();
    }
  }
  assert.deepEqual(outputs[0], outputs[1]);
});

test('nothing worth cutting: small models and typed-field tensors load whole', () => {
  assert.equal(splitOnnx(reluModel()), null);
});

test('a truncated or malformed file is not split (the C++ decoder reports it)', async () => {
  const bytes = readModelBytes(entry('squeezenet1_1'));
  for (const n of [10, 1000, bytes.length >> 1, bytes.length - 1]) {
    assert.equal(splitOnnx(bytes.subarray(0, n)), null, `truncated to ${n} bytes`);
  }
  const groups = Uint8Array.from([0x0b, 0x0c]);  // a start-group / end-group pair of field 1
  assert.equal(splitOnnx(groups), null);
  // A truncated file is still refused with the decoder's message for it.
  await assert.rejects(loadModel(bytes.subarray(0, bytes.length >> 1)), (e) =>
    e.code === 'InvalidModel' && /truncated|exceeds|past the end|length/i.test(e.message));
});

test('a file that already uses litecnn\'s payload field is loaded whole', () => {
  // A ModelProto with a graph (7) holding one initializer (5) whose TensorProto has field 4095.
  const tensor = [0xf8, 0xff, 0x01, 0x00];  // tag of field 4095, varint; value 0
  const graph = [0x2a, tensor.length, ...tensor];
  const model = Uint8Array.from([0x3a, graph.length, ...graph]);
  assert.equal(splitOnnx(model), null);
});

test('a load error after splitting names the problem, and the runtime stays usable', async () => {
  // Corrupt a node's op type in a real model: the split load fails, the whole-file load then
  // reports the op by name.
  const bytes = readModelBytes(entry('squeezenet1_1')).slice();
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const at = text.indexOf(Buffer.from([0x22, 4, ...Buffer.from('Relu')]));  // NodeProto.op_type
  assert.ok(at > 0);
  text.write('Relv', at + 2);
  await assert.rejects(loadModel(bytes), (e) => e.code === 'Unsupported' && /Relv/.test(e.message));
  // The runtime stays usable.
  const model = await loadModel(reluModel());
  const out = await model.run({ X: new Tensor(Float32Array.from([-1, 1, -2, 2, 0, 3]), [2, 3]) });
  assert.deepEqual(Array.from(out.Y.data), [0, 1, 0, 2, 0, 3]);
  model.dispose();
});
