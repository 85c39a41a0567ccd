// Hostile input through the JS API: every failure of the C++ engine reaches JS as a
// LitecnnError carrying the engine's code and message (never an abort or a silent NaN), the
// `limits` option, and after any error the same wasm module still loads and runs a good model.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { LitecnnError, Tensor, loadModel } from 'litecnn';

import { rejectsWith } from './assertions.mjs';
import { loadManifest, mulberry32, readModelBytes } from './model_helpers.mjs';
import { encodeModel, reluModel } from './onnx_encode.mjs';

// Loading and running a good model gives the right numbers: the module is intact.
async function assertStillWorks() {
  const model = await loadModel(reluModel([1, 4]));
  const out = await model.run({ X: new Tensor(Float32Array.from([-1, 2, -3, 4]), [1, 4]) });
  assert.deepEqual(Array.from(out.Y.data), [0, 2, 0, 4]);
  model.dispose();
}

const conv = (attributes, { x = [1, 2, 4, 4], w = [2, 2, 1, 1] } = {}) =>
  encodeModel({
    inputs: [{ name: 'x', dims: x }],
    outputs: [{ name: 'y', dims: [] }],
    initializers: [{ name: 'w', dims: w, values: new Array(w.reduce((a, b) => a * b, 1)).fill(0.5) }],
    nodes: [{ op: 'Conv', name: 'the_conv', inputs: ['x', 'w'], outputs: ['y'], attributes }],
  });

// Models every layer of the engine refuses, with the code and message each must produce.
const BAD_MODELS = [
  {
    name: 'a graph with a cycle',
    bytes: () =>
      encodeModel({
        inputs: [{ name: 'x', dims: [3] }],
        outputs: [{ name: 'b', dims: [3] }],
        nodes: [
          { op: 'Add', name: 'first', inputs: ['x', 'b'], outputs: ['a'] },
          { op: 'Relu', name: 'second', inputs: ['a'], outputs: ['b'] },
        ],
      }),
    code: 'InvalidModel',
    message: /cycle/,
  },
  {
    name: 'a node reading an undefined tensor',
    bytes: () =>
      encodeModel({
        inputs: [{ name: 'x', dims: [3] }],
        outputs: [{ name: 'y', dims: [3] }],
        nodes: [{ op: 'Add', name: 'adder', inputs: ['x', 'ghost'], outputs: ['y'] }],
      }),
    code: 'InvalidModel',
    message: /'adder' reads 'ghost'/,
  },
  { name: 'dims of 2^40', bytes: () => reluModel([1, 2 ** 40]), code: 'LimitExceeded', message: /limit maxTensorElements exceeded/ },
  { name: 'negative pads', bytes: () => conv({ pads: [0, -1, 0, 0] }), code: 'InvalidModel', message: /the_conv.*pads \[0, -1, 0, 0\] out of range/ },
  { name: 'negative strides', bytes: () => conv({ strides: [-2, 1] }), code: 'InvalidModel', message: /strides \[-2, 1\] out of range/ },
  { name: 'groups not dividing channels', bytes: () => conv({ group: 2 }, { x: [1, 3, 4, 4] }), code: 'InvalidModel', message: /group 2/ },
  {
    name: 'an unsupported op',
    bytes: () =>
      encodeModel({
        inputs: [{ name: 'x', dims: [3] }],
        outputs: [{ name: 'y', dims: [3] }],
        nodes: [{ op: 'Einsum', name: 'mystery', inputs: ['x'], outputs: ['y'] }],
      }),
    code: 'Unsupported',
    message: /op 'Einsum'/,
  },
  {
    name: 'opset out of range',
    bytes: () =>
      encodeModel({
        inputs: [{ name: 'x', dims: [3] }],
        outputs: [{ name: 'y', dims: [3] }],
        nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
        opset: 99,
      }),
    code: 'Unsupported',
    message: /opset 99/,
  },
  {
    name: 'an initializer whose data does not match its dims',
    bytes: () =>
      encodeModel({
        inputs: [{ name: 'x', dims: [3] }],
        outputs: [{ name: 'y', dims: [3] }],
        initializers: [{ name: 'b', dims: [3], values: [1, 2] }],
        nodes: [{ op: 'Add', inputs: ['x', 'b'], outputs: ['y'] }],
      }),
    code: 'InvalidModel',
    message: /TensorProto 'b'.*has 2 float_data values, expected 3/,
  },
];

describe('bad models reach JS as LitecnnError, and the module keeps working', () => {
  for (const { name, bytes, code, message } of BAD_MODELS) {
    test(name, async () => {
      await rejectsWith(loadModel(bytes()), code, /^cannot load model: /, message);
      await assertStillWorks();
    });
  }

  test('truncated models at every 1/16 of their length', async () => {
    const bytes = readModelBytes(loadManifest().models.find((m) => m.name === 'squeezenet1_1'));
    for (let i = 1; i < 16; i++) {
      const n = Math.floor((bytes.length * i) / 16);
      await assert.rejects(loadModel(bytes.subarray(0, n)), (e) => e instanceof LitecnnError && e.message.length > 20,
        `truncated at ${n}`);
    }
    await assertStillWorks();
  });

  test('random bit flips in a model\'s graph: loads fail cleanly or run without NaN', async () => {
    const bytes = readModelBytes(loadManifest().models.find((m) => m.name === 'blazeface'));
    const next = mulberry32(2024);
    const random = () => next() / 2 ** 32;
    let refused = 0;
    for (let iter = 0; iter < 30; iter++) {
      const mutated = bytes.slice();
      for (let k = 0; k < 4; k++) mutated[Math.floor(random() * 4096)] ^= 1 << Math.floor(random() * 8);
      let model;
      try {
        model = await loadModel(mutated);
      } catch (error) {
        assert.ok(error instanceof LitecnnError, String(error));
        assert.ok(error.message.length > 20, error.message);
        refused++;
        continue;
      }
      model.dispose();
    }
    assert.ok(refused > 0, 'some flips hit the structure');
    await assertStillWorks();
  });
});

describe('options.limits', () => {
  test('a model over a limit is refused naming the limit, the value and the maximum', async () => {
    await rejectsWith(loadModel(reluModel([1, 101]), { limits: { maxTensorElements: 100 } }), 'LimitExceeded',
      /limit maxTensorElements exceeded: input 'X' \[1, 101\] has 101 elements, 1 more than the maximum of 100/);
    const bytes = reluModel([1, 4]);
    await rejectsWith(loadModel(bytes, { limits: { maxModelBytes: bytes.length - 3 } }), 'LimitExceeded',
      new RegExp(`limit maxModelBytes exceeded: the model has ${bytes.length} bytes, 3 more than the maximum`));
    await rejectsWith(loadModel(reluModel([1, 4096]), { limits: { maxPlannedBytes: 1000 } }), 'LimitExceeded',
      /limit maxPlannedBytes exceeded/);
    await rejectsWith(loadModel(reluModel([1, 1, 1, 1, 1]), { limits: { maxRank: 4 } }), 'LimitExceeded',
      /limit maxRank exceeded: input 'X' \[1, 1, 1, 1, 1\] has 5 dimensions, 1 more than the maximum of 4/);
    await rejectsWith(loadModel(reluModel(), { limits: { maxNodes: 0.5 } }), 'InvalidArgument', /maxNodes must be a positive integer/);
    await assertStillWorks();
  });

  test('a limit can be raised over its default', async () => {
    const dims = new Array(9).fill(1);  // rank 9: one over the default maxRank of 8
    await rejectsWith(loadModel(reluModel(dims)), 'LimitExceeded', /limit maxRank exceeded/);
    const model = await loadModel(reluModel(dims), { limits: { maxRank: 9 } });
    assert.deepEqual(model.inputs[0].dims, dims);
    model.dispose();
  });

  test('invalid limits are rejected in JS', async () => {
    await rejectsWith(loadModel(reluModel(), { limits: 5 }), 'InvalidArgument', /options.limits must be an object/);
    await rejectsWith(loadModel(reluModel(), { limits: { maxBytes: 5 } }), 'InvalidArgument', /unknown limit "maxBytes"/);
    for (const bad of [0, -1, 1.5, NaN, 2 ** 60, '10']) {
      await rejectsWith(loadModel(reluModel(), { limits: { maxRank: bad } }), 'InvalidArgument', /maxRank must be a positive integer/);
    }
  });
});
