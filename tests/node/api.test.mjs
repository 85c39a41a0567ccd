// Tests of the public JS API (web/src/index.js through the package's "exports"), using tiny
// ONNX models encoded in-process by onnx_encode.mjs.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { Tensor, init, loadModel } from 'litecnn';

import { rejectsWith } from './assertions.mjs';
import { addModel, encodeModel, reluModel } from './onnx_encode.mjs';

const RELU_IN = [-1.5, 2, -3, 4.25, 0, -0.5];
const RELU_OUT = [0, 2, 0, 4.25, 0, 0];

function reluInput(values = RELU_IN) {
  return new Tensor(Float32Array.from(values), [2, 3]);
}

let dir;
let server;
let baseUrl;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'litecnn-api-'));
  await writeFile(path.join(dir, 'relu.onnx'), reluModel());
  await writeFile(path.join(dir, 'garbage.onnx'), 'this is not an ONNX model\n'.repeat(4));
  await mkdir(path.join(dir, 'a-directory'));
  // A local server for the fetch() path: /relu.onnx serves the model, anything else is a 404.
  const relu = reluModel();
  await writeFile(path.join(dir, 'labels.txt'), 'zero\r\none\ntwo\n\n');
  server = http.createServer((req, res) => {
    if (req.url === '/relu.onnx') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(relu);
    } else if (req.url === '/relu-chunks.onnx' || req.url === '/relu-no-length.onnx') {
      // Three chunks, with or without a Content-Length (then the total is unknown until the end).
      const headers = req.url === '/relu-chunks.onnx' ? { 'content-length': String(relu.length) } : {};
      res.writeHead(200, headers);
      const third = Math.ceil(relu.length / 3);
      const send = (i) => {
        if (i * third >= relu.length) return res.end();
        res.write(relu.subarray(i * third, (i + 1) * third));
        setTimeout(() => send(i + 1), 5);
      };
      send(0);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('init', () => {
  test('instantiates the wasm module once and shares it', async () => {
    const [a, b] = await Promise.all([init(), init()]);
    assert.equal(a, b);
    assert.equal(await init(), a);
  });
});

describe('Tensor', () => {
  test('holds data, dims and dtype', () => {
    const data = new Float32Array(6);
    const t = new Tensor(data, [2, 3]);
    assert.equal(t.data, data);
    assert.deepEqual(t.dims, [2, 3]);
    assert.equal(t.dtype, 'float32');
    assert.equal(t.size, 6);
    assert.ok(Object.isFrozen(t.dims));
  });

  test('rejects data that is not a typed array', () => {
    assert.throws(() => new Tensor([1, 2, 3], [3]), /typed array such as Float32Array, got an array of 3/);
  });

  test('rejects dims that do not match the data length', () => {
    assert.throws(() => new Tensor(new Float32Array(5), [2, 3]), /5 elements but dims \[2, 3\] need 6/);
  });

  test('rejects invalid dims', () => {
    assert.throws(() => new Tensor(new Float32Array(6), [2, -3]), /non-negative integers, got \[2, -3\]/);
    assert.throws(() => new Tensor(new Float32Array(6), [2, 3.5]), /non-negative integers/);
    assert.throws(() => new Tensor(new Float32Array(6), '2x3'), /dims must be an array/);
  });
});

describe('loadModel sources', () => {
  async function assertRelu(model) {
    try {
      assert.deepEqual(model.inputs, [{ name: 'X', dtype: 'float32', dims: [2, 3] }]);
      assert.deepEqual(model.outputs, [{ name: 'Y', dtype: 'float32', dims: [2, 3] }]);
      const out = await model.run({ X: reluInput() });
      assert.deepEqual(Array.from(out.Y.data), RELU_OUT);
    } finally {
      model.dispose();
    }
  }

  test('Uint8Array', async () => assertRelu(await loadModel(reluModel())));
  test('ArrayBuffer', async () => assertRelu(await loadModel(reluModel().buffer)));
  test('Node Buffer', async () => assertRelu(await loadModel(Buffer.from(reluModel()))));
  test('file path', async () => assertRelu(await loadModel(path.join(dir, 'relu.onnx'))));
  test('file: URL object and string', async () => {
    const url = pathToFileURL(path.join(dir, 'relu.onnx'));
    await assertRelu(await loadModel(url));
    await assertRelu(await loadModel(url.href));
  });
  test('http URL (fetch)', async () => assertRelu(await loadModel(`${baseUrl}/relu.onnx`)));
  test('Blob and File', async () => {
    await assertRelu(await loadModel(new Blob([reluModel()])));
    await assertRelu(await loadModel(new File([reluModel()], 'relu.onnx')));
  });

  test('a model is loaded from a snapshot of the bytes', async () => {
    const bytes = reluModel();
    const pending = loadModel(bytes);
    bytes.fill(0xff);  // scribbling after the call must not matter once it resolved the bytes
    await assertRelu(await pending);
  });
  test('a view into a larger buffer reads only its own bytes', async () => {
    const model = reluModel();
    const padded = new Uint8Array(model.length + 7).fill(0xff);
    padded.set(model, 3);
    await assertRelu(await loadModel(padded.subarray(3, 3 + model.length)));
  });
});

describe('loadModel errors', () => {
  test('garbage file: the runtime status is surfaced', async () => {
    await rejectsWith(loadModel(path.join(dir, 'garbage.onnx')), 'InvalidModel', /^cannot load model: InvalidModel: \S/);
  });

  test('truncated model', async () => {
    const bytes = reluModel();
    await rejectsWith(loadModel(bytes.subarray(0, bytes.length - 7)), 'InvalidModel', /cannot load model/);
  });

  test('empty bytes', async () => {
    await rejectsWith(loadModel(new Uint8Array(0)), 'InvalidModel', /empty/);
  });

  test('a string that is neither a file nor a URL', async () => {
    await rejectsWith(
      loadModel(path.join(dir, 'missing.onnx')),
      'InvalidArgument',
      /missing\.onnx" is neither an existing file nor a fetchable/,
    );
  });

  test('a directory', async () => {
    await rejectsWith(loadModel(path.join(dir, 'a-directory')), 'InvalidArgument', /is a directory/);
  });

  test('a URL that answers 404', async () => {
    await rejectsWith(loadModel(`${baseUrl}/nope.onnx`), 'InvalidArgument', /could not fetch .*nope\.onnx: HTTP 404/);
  });

  test('a URL nobody answers', async () => {
    // Port 1 on loopback: connection refused, quickly and without leaving the machine.
    await rejectsWith(loadModel('http://127.0.0.1:1/m.onnx'), 'InvalidArgument', /could not fetch/);
  });

  test('a file: URL to a missing file', async () => {
    await rejectsWith(loadModel(pathToFileURL(path.join(dir, 'missing.onnx'))), 'InvalidArgument', /cannot read model file/);
  });

  test('wrong source and option types', async () => {
    await rejectsWith(loadModel(42), 'InvalidArgument', /source must be a Uint8Array, ArrayBuffer, Blob, URL or string, got 42/);
    await rejectsWith(loadModel(''), 'InvalidArgument', /empty string/);
    await rejectsWith(loadModel(reluModel(), null), 'InvalidArgument', /options must be an object/);
    await rejectsWith(loadModel(reluModel(), { inputDims: [[1, 3]] }), 'InvalidArgument', /inputDims must be an object/);
    await rejectsWith(loadModel(reluModel(), { inputDims: { X: [2, -1] } }), 'InvalidArgument', /non-negative/);
  });
});

describe('loadModel options', () => {
  test('inputDims fixes a symbolic dimension', async () => {
    const model = await loadModel(reluModel(['N', 3]), { inputDims: { X: [4, 3] } });
    try {
      assert.deepEqual(model.inputs[0].dims, [4, 3]);
      const values = [-1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6];
      const out = await model.run({ X: new Tensor(Float32Array.from(values), [4, 3]) });
      assert.deepEqual(out.Y.dims, [4, 3]);
      assert.deepEqual(Array.from(out.Y.data), values.map((v) => Math.max(v, 0)));
    } finally {
      model.dispose();
    }
  });

  test('onProgress follows a download with a Content-Length', async () => {
    const calls = [];
    const model = await loadModel(`${baseUrl}/relu-chunks.onnx`, { onProgress: (loaded, total) => calls.push([loaded, total]) });
    model.dispose();
    const size = reluModel().length;
    assert.ok(calls.length >= 2, `expected a call per chunk, got ${JSON.stringify(calls)}`);
    for (let i = 1; i < calls.length; i++) assert.ok(calls[i][0] > calls[i - 1][0], 'loaded grows');
    for (const [, total] of calls) assert.equal(total, size);
    assert.deepEqual(calls.at(-1), [size, size]);
  });

  test('onProgress reports total 0 until the end when the length is unknown', async () => {
    const calls = [];
    const model = await loadModel(`${baseUrl}/relu-no-length.onnx`, { onProgress: (l, t) => calls.push([l, t]) });
    model.dispose();
    const size = reluModel().length;
    assert.deepEqual(calls.at(-1), [size, size]);
    for (const [, total] of calls.slice(0, -1)) assert.equal(total, 0);
  });

  test('onProgress is called once for in-memory and file sources', async () => {
    for (const source of [reluModel(), new Blob([reluModel()]), path.join(dir, 'relu.onnx')]) {
      const calls = [];
      (await loadModel(source, { onProgress: (l, t) => calls.push([l, t]) })).dispose();
      assert.deepEqual(calls, [[reluModel().length, reluModel().length]]);
    }
  });

  test('onProgress that is not a function', async () => {
    await rejectsWith(loadModel(reluModel(), { onProgress: 5 }), 'InvalidArgument', /onProgress must be a function/);
  });

  test('labels from an array and from a file', async () => {
    const a = await loadModel(reluModel(), { labels: ['a', 'b'] });
    assert.deepEqual(a.labels, ['a', 'b']);
    assert.ok(Object.isFrozen(a.labels));
    a.dispose();
    const b = await loadModel(reluModel(), { labels: path.join(dir, 'labels.txt') });
    assert.deepEqual(b.labels, ['zero', 'one', 'two']);  // CRLF and trailing blank lines handled
    b.dispose();
    const c = await loadModel(reluModel());
    assert.equal(c.labels, null);
    c.dispose();
  });

  test('labels that are neither strings nor a readable source', async () => {
    await rejectsWith(loadModel(reluModel(), { labels: ['a', 3] }), 'InvalidArgument', /labels\[1\] must be a string/);
    await rejectsWith(loadModel(reluModel(), { labels: path.join(dir, 'missing.txt') }), 'InvalidArgument', /labels "/);
  });

  test('inputDims naming an unknown input', async () => {
    // Checked by the runtime (it knows the names); its message is passed through.
    await rejectsWith(loadModel(reluModel(), { inputDims: { Q: [2, 3] } }), 'InvalidArgument', /unknown input\b.*\bQ\b/);
  });
});

describe('Model.run', () => {
  let relu;
  let add;
  before(async () => {
    [relu, add] = await Promise.all([loadModel(reluModel()), loadModel(addModel())]);
  });
  after(() => {
    relu.dispose();
    add.dispose();
  });

  test('computes Relu', async () => {
    const out = await relu.run({ X: reluInput() });
    assert.deepEqual(Object.keys(out), ['Y']);
    assert.ok(out.Y instanceof Tensor);
    assert.ok(out.Y.data instanceof Float32Array);
    assert.deepEqual(out.Y.dims, [2, 3]);
    assert.deepEqual(Array.from(out.Y.data), RELU_OUT);
  });

  test('accepts a plain {data, dims} object', async () => {
    const out = await relu.run({ X: { data: Float32Array.from(RELU_IN), dims: [2, 3] } });
    assert.deepEqual(Array.from(out.Y.data), RELU_OUT);
  });

  test('computes Add of two inputs', async () => {
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const b = Float32Array.from([0.5, -2, 10, 0, -5, 1e6]);
    const out = await add.run({ B: new Tensor(b, [2, 3]), A: new Tensor(a, [2, 3]) });
    assert.deepEqual(Array.from(out.C.data), [1.5, 0, 13, 4, 0, 1000006]);
  });

  test('outputs are JS-owned copies that later runs do not touch', async () => {
    const first = await relu.run({ X: reluInput() });
    const firstData = first.Y.data;
    // A view into wasm memory would be a slice of a much larger buffer.
    assert.equal(firstData.buffer.byteLength, firstData.byteLength);
    await relu.run({ X: reluInput([7, 7, 7, 7, 7, 7]) });
    assert.deepEqual(Array.from(firstData), RELU_OUT);
    firstData.fill(123);  // and writing to it does not affect the model
    const again = await relu.run({ X: reluInput() });
    assert.deepEqual(Array.from(again.Y.data), RELU_OUT);
  });

  test('input data is read when run() is called', async () => {
    const input = reluInput();
    const pending = relu.run({ X: input });
    input.data.fill(-9);  // e.g. the next video frame, written before this run executed
    assert.deepEqual(Array.from((await pending).Y.data), RELU_OUT);
  });

  test('inputs are not modified', async () => {
    const input = reluInput();
    await relu.run({ X: input });
    assert.deepEqual(Array.from(input.data), RELU_IN);
  });

  test('concurrent runs are queued and resolve in call order', async () => {
    const order = [];
    const runs = [];
    for (let i = 0; i < 8; i++) {
      const values = RELU_IN.map((v) => v * (i + 1));
      runs.push(
        relu.run({ X: reluInput(values) }).then((out) => {
          order.push(i);
          assert.deepEqual(Array.from(out.Y.data), values.map((v) => Math.max(v, 0)));
        }),
      );
    }
    await Promise.all(runs);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('a failing run does not break the queue', async () => {
    const bad = relu.run({ X: reluInput().data });  // a bare Float32Array, not a Tensor
    const good = relu.run({ X: reluInput() });
    await rejectsWith(bad, 'InvalidArgument', /"X" must be a Tensor or \{data, dims\}, got Float32Array/);
    assert.deepEqual(Array.from((await good).Y.data), RELU_OUT);
  });

  test('unknown input name lists the valid ones', async () => {
    await rejectsWith(
      add.run({ A: reluInput(), B: reluInput(), Z: reluInput() }),
      'InvalidArgument',
      /unknown input "Z"; the model's inputs are "A", "B"/,
    );
  });

  test('missing input', async () => {
    await rejectsWith(add.run({ A: reluInput() }), 'InvalidArgument', /missing input "B" \(dims \[2, 3\]\)/);
  });

  test('wrong dims: expected vs got', async () => {
    const t = new Tensor(new Float32Array(6), [3, 2]);
    await rejectsWith(relu.run({ X: t }), 'InvalidArgument', /input "X": expected dims \[2, 3\], got \[3, 2\]/);
    const flat = new Tensor(new Float32Array(6), [6]);
    await rejectsWith(relu.run({ X: flat }), 'InvalidArgument', /expected dims \[2, 3\], got \[6\]/);
  });

  test('data length not matching dims', async () => {
    await rejectsWith(
      relu.run({ X: { data: new Float32Array(5), dims: [2, 3] } }),
      'InvalidArgument',
      /input "X": data has 5 elements but dims \[2, 3\] need 6/,
    );
  });

  test('non-Float32Array data', async () => {
    for (const data of [[1, 2, 3, 4, 5, 6], new Float64Array(6), new Int32Array(6)]) {
      await rejectsWith(
        relu.run({ X: { data, dims: [2, 3] } }),
        'InvalidArgument',
        new RegExp(`input "X": data must be a Float32Array, got ${Array.isArray(data) ? 'an array of 6' : data.constructor.name}`),
      );
    }
  });

  test('feeds that are not an object of tensors', async () => {
    await rejectsWith(relu.run(reluInput()), 'InvalidArgument', /expected an object \{inputName: Tensor\}, got Tensor/);
    await rejectsWith(relu.run([reluInput()]), 'InvalidArgument', /got an array of 1/);
    await rejectsWith(relu.run(), 'InvalidArgument', /got undefined/);
    await rejectsWith(relu.run({ X: 5 }), 'InvalidArgument', /"X" must be a Tensor or \{data, dims\}, got 5/);
  });
});

describe('Model.classify', () => {
  // Y = X on [1, 5] (Relu of non-negative logits) and Y = Softmax(X).
  const logitsModel = () => reluModel([1, 5]);
  const softmaxModel = () => encodeModel({
    inputs: [{ name: 'X', dims: [1, 5] }],
    outputs: [{ name: 'Y', dims: [1, 5] }],
    nodes: [{ op: 'Softmax', inputs: ['X'], outputs: ['Y'], attributes: { axis: 1 } }],
  });
  const logits = [1, 3, 0.5, 2, 0];

  test('top classes of logits, as softmax probabilities, best first', async () => {
    const model = await loadModel(logitsModel(), { labels: ['a', 'b', 'c', 'd', 'e'] });
    const top = await model.classify(new Tensor(Float32Array.from(logits), [1, 5]), { topK: 3 });
    const exps = logits.map(Math.exp);
    const sum = exps.reduce((s, v) => s + v, 0);
    assert.deepEqual(top.map((t) => [t.index, t.label]), [[1, 'b'], [3, 'd'], [0, 'a']]);
    for (const t of top) assert.ok(Math.abs(t.score - exps[t.index] / sum) < 1e-6, JSON.stringify(t));
    model.dispose();
  });

  test('probabilities pass through unchanged', async () => {
    const model = await loadModel(softmaxModel());
    const top = await model.classify({ X: new Tensor(Float32Array.from(logits), [1, 5]) }, { topK: 5 });
    const out = await model.run({ X: new Tensor(Float32Array.from(logits), [1, 5]) });
    for (const t of top) assert.ok(Math.abs(t.score - out.Y.data[t.index]) < 1e-7);
    assert.equal(top[0].label, 'class 1');  // no labels: a generated name
    model.dispose();
  });

  test('labels given to classify win over the model\'s', async () => {
    const model = await loadModel(logitsModel(), { labels: ['a', 'b', 'c', 'd', 'e'] });
    const [best] = await model.classify(new Tensor(Float32Array.from(logits), [1, 5]), { topK: 1, labels: ['v', 'w', 'x', 'y', 'z'] });
    assert.equal(best.label, 'w');
    model.dispose();
  });

  test('bad options', async () => {
    const model = await loadModel(logitsModel());
    const x = new Tensor(Float32Array.from(logits), [1, 5]);
    await rejectsWith(model.classify(x, { topK: 0 }), 'InvalidArgument', /topK must be a positive integer/);
    await rejectsWith(model.classify(x, { output: 'Z' }), 'InvalidArgument', /unknown output "Z"/, /"Y"/);
    await rejectsWith(model.classify(x, { labels: 'abc' }), 'InvalidArgument', /labels must be an array/);
    await rejectsWith(model.classify(new Tensor(new Float32Array(4), [1, 4])), 'InvalidArgument', /expected dims \[1, 5\]/);
    model.dispose();
    await rejectsWith(model.classify(x), 'FailedPrecondition', /disposed/);
  });
});

describe('Model.dispose', () => {
  test('run after dispose throws a clear error; dispose is idempotent', async () => {
    const model = await loadModel(reluModel());
    assert.equal(model.disposed, false);
    model.dispose();
    assert.equal(model.disposed, true);
    model.dispose();
    await rejectsWith(model.run({ X: reluInput() }), 'FailedPrecondition', /run: the model was disposed/);
    // Metadata stays readable: it is plain JS.
    assert.equal(model.inputs[0].name, 'X');
  });

  test('runs queued before dispose are rejected, not run on freed memory', async () => {
    const model = await loadModel(reluModel());
    const first = model.run({ X: reluInput() });
    const second = model.run({ X: reluInput() });
    model.dispose();
    await rejectsWith(first, 'FailedPrecondition', /disposed/);
    await rejectsWith(second, 'FailedPrecondition', /disposed/);
  });

  test('disposing one model leaves others working', async () => {
    const a = await loadModel(reluModel());
    const b = await loadModel(reluModel());
    a.dispose();
    const out = await b.run({ X: reluInput() });
    assert.deepEqual(Array.from(out.Y.data), RELU_OUT);
    b.dispose();
  });
});

test('summary() lists the nodes as they run, with multiply-adds', async () => {
  const model = await loadModel(reluModel());
  const nodes = model.summary();
  assert.deepEqual(nodes.map((n) => n.op), ['Relu']);
  assert.equal(nodes[0].macs, 0);
  assert.equal(typeof nodes[0].kernel, 'string');
  model.dispose();
  assert.throws(() => model.summary(), /disposed/);
});

test('profile() names the microkernel each conv runs', async () => {
  // A 1x1 conv runs as one GEMM and a 3x3 depthwise conv on its depthwise kernel; the names are
  // the kernel list's (src/kernels/*/*.inc), so a benchmark row can say what it measured.
  const c = 8;
  const model = await loadModel(encodeModel({
    inputs: [{ name: 'X', dims: [1, c, 6, 6] }],
    outputs: [{ name: 'Z', dims: [1, c, 6, 6] }],
    initializers: [
      { name: 'Wp', dims: [c, c, 1, 1], values: new Float32Array(c * c).fill(0.5) },
      { name: 'Wd', dims: [c, 1, 3, 3], values: new Float32Array(c * 9).fill(0.25) },
    ],
    nodes: [
      { op: 'Conv', name: 'pointwise', inputs: ['X', 'Wp'], outputs: ['Y'], attributes: {} },
      { op: 'Conv', name: 'depthwise', inputs: ['Y', 'Wd'], outputs: ['Z'],
        attributes: { group: c, pads: [1, 1, 1, 1] } },
    ],
  }));
  const { layers } = await model.profile({ X: new Tensor(new Float32Array(c * 36).fill(1), [1, c, 6, 6]) });
  const kernelOf = (name) => layers.find((l) => l.name === name)?.kernel;
  assert.match(kernelOf('pointwise'), /^f32_gemm_minmax_ukernel_\d+x\d+__/);
  assert.match(kernelOf('depthwise'), /^f32_dwconv_3x3_s1/);
  for (const l of layers) assert.equal(typeof l.kernel, 'string');
  model.dispose();
});

test('profile() returns the outputs of run() and one timing per executed node', async () => {
  const model = await loadModel(reluModel());
  const feeds = { [model.inputs[0].name]: reluInput() };
  const plain = await model.run(feeds);
  const { outputs, layers } = await model.profile(feeds);
  const name = model.outputs[0].name;
  assert.deepEqual(Array.from(outputs[name].data), Array.from(plain[name].data));
  assert.deepEqual(Array.from(outputs[name].data), RELU_OUT);
  assert.ok(layers.length >= 1);
  assert.ok(layers.some((l) => l.op === 'Relu'));
  for (const l of layers) assert.ok(Number.isFinite(l.ms) && l.ms >= 0);
  model.dispose();
  await assert.rejects(model.profile(feeds), /dispose/);
});
