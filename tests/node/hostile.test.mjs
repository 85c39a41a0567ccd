// Hostile input through the JS API: every failure of the C++ engine reaches JS as a
// LitecnnError carrying the engine's code and message (never an abort or a silent NaN), the
// `limits` option, and after any error the same wasm module still loads and runs a good model.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';

import * as ort from 'onnxruntime-web';

import { LitecnnError, Tensor, init, loadModel } from 'litecnn';

import { rejectsWith } from './assertions.mjs';
import {
  REPO_ROOT, loadManifest, maxAbs, maxAbsDiff, mulberry32, readModelBytes, seededUniform, topK,
} from './model_helpers.mjs';
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
    message: /1 op: 'Einsum' \(litecnn has no Einsum\) in node 'mystery'/,
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

// An engine bug (a C++ exception, a wasm trap) must not reach the caller as a bare number or a
// RuntimeError, nor break the module: armFaultForTesting makes the next native load or run
// fail each way (src/bindings/bindings.cc).
describe('failures inside the engine reach JS as LitecnnError Internal, and the next model runs', () => {
  const FAULTS = [
    { kind: 'exception', message: /C\+\+ exception std::logic_error: injected fault/ },
    // What this build's libc++ does where it would throw (std::bad_alloc included).
    { kind: 'abort', message: /the engine called abort\(\) \(out of memory in a C\+\+ container, or a failed library check\)/ },
    { kind: 'trap', message: /wasm trap: unreachable/ },
    { kind: 'out-of-bounds', message: /wasm trap: memory access out of bounds/ },
  ];
  const squeezenet = loadManifest().models.find((m) => m.name === 'squeezenet1_1');
  const [input] = squeezenet.inputs;
  const feed = () => new Tensor(seededUniform(0x11ce, input.dims.reduce((a, b) => a * b, 1)), input.dims);
  let reference;  // onnxruntime-web's logits for feed()

  // SqueezeNet 1.1 loads and runs in litecnn and matches onnxruntime-web on the same input.
  async function assertSqueezeNetMatchesOrt() {
    if (reference === undefined) {
      ort.env.wasm.numThreads = 1;
      const session = await ort.InferenceSession.create(readModelBytes(squeezenet), { executionProviders: ['wasm'] });
      const out = await session.run({ [input.name]: new ort.Tensor('float32', feed().data, input.dims) });
      reference = out[session.outputNames[0]].data;
      await session.release();
      assert.deepEqual(topK(reference, 5), squeezenet.expected_top5);
    }
    const model = await loadModel(readModelBytes(squeezenet));
    const out = await model.run({ [input.name]: feed() });
    const got = out[model.outputs[0].name].data;
    model.dispose();
    assert.ok(maxAbsDiff(got, reference) <= 1e-4 * maxAbs(reference), `diff ${maxAbsDiff(got, reference)}`);
    assert.deepEqual(topK(got, 5), squeezenet.expected_top5);
  }

  for (const { kind, message } of FAULTS) {
    test(`${kind} while loading`, async () => {
      const wasm = await init();
      wasm.armFaultForTesting(kind);
      await rejectsWith(loadModel(reluModel([1, 4])), 'Internal', /^loadModel: internal error in the engine: /, message);
      await assertSqueezeNetMatchesOrt();
      await assertStillWorks();
    });

    test(`${kind} while running`, async () => {
      const wasm = await init();
      const model = await loadModel(reluModel([1, 4]));
      const x = new Tensor(Float32Array.from([-1, 2, -3, 4]), [1, 4]);
      wasm.armFaultForTesting(kind);
      await rejectsWith(model.run({ X: x }), 'Internal', /^run: internal error in the engine: /, message);
      // That model is refused from now on (its state is unknown), but can be disposed.
      await rejectsWith(model.run({ X: x }), 'FailedPrecondition', /unusable after an internal error/);
      model.dispose();
      await assertSqueezeNetMatchesOrt();
      await assertStillWorks();
    });
  }

  // The in-process tests above use the default build; the other two each in a fresh process.
  for (const backend of ['simd', 'plain']) {
    test(`every fault in the ${backend} build`, () => {
      const source = `
        import { Tensor, init, loadModel } from 'litecnn';
        import { reluModel } from './tests/node/onnx_encode.mjs';
        const wasm = await init({ backend: '${backend}' });
        const out = { errors: [], runs: [] };
        const x = () => ({ X: new Tensor(Float32Array.from([-1, 2, -3, 4]), [1, 4]) });
        const error = (e) => ({ code: e.code, message: e.message });
        for (const kind of ${JSON.stringify(FAULTS.map((f) => f.kind))}) {
          wasm.armFaultForTesting(kind);
          out.errors.push(await loadModel(reluModel([1, 4])).then(() => null, error));
          const faulty = await loadModel(reluModel([1, 4]));
          wasm.armFaultForTesting(kind);
          out.errors.push(await faulty.run(x()).then(() => null, error));
          faulty.dispose();
          const model = await loadModel(reluModel([1, 4]));
          out.runs.push(Array.from((await model.run(x())).Y.data));
          model.dispose();
        }
        console.log(JSON.stringify(out));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', source],
        { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      const { errors, runs } = JSON.parse(r.stdout.trim().split('\n').at(-1));
      FAULTS.forEach(({ kind, message }, i) => {
        for (const [j, what] of [[2 * i, 'loadModel'], [2 * i + 1, 'run']]) {
          assert.equal(errors[j]?.code, 'Internal', `${kind} in ${what}: ${JSON.stringify(errors[j])}`);
          assert.match(errors[j].message, new RegExp(`^${what}: internal error in the engine: `), kind);
          assert.match(errors[j].message, message, kind);
        }
        assert.deepEqual(runs[i], [0, 2, 0, 4], `the run after ${kind}`);
      });
    });
  }

  test('repeated faults leak no wasm memory', async () => {
    const wasm = await init();
    await assertStillWorks();
    const before = wasm.heapBytesInUse();
    // 200 faults: a leak of even 8 bytes each (an exception object, a half-built model's
    // handle) would show over the slack.
    for (let i = 0; i < 200; i++) {
      const { kind } = FAULTS[i % FAULTS.length];
      wasm.armFaultForTesting(kind);
      await assert.rejects(loadModel(reluModel([1, 4])), (e) => e instanceof LitecnnError && e.code === 'Internal');
    }
    await assertStillWorks();
    // The thrown exception objects are freed (takeThrownMessage) and so are the half-built models.
    assert.ok(wasm.heapBytesInUse() - before <= 1024, `${wasm.heapBytesInUse() - before} bytes more in use`);
  });
});
