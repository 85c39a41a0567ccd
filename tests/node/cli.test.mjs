// The `litecnn` command line (web/cli.js): run, info and bench on real and tiny models, and the
// exit status and one-line message of each kind of misuse.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { REPO_ROOT } from './model_helpers.mjs';
import { encodeModel } from './onnx_encode.mjs';

const CLI = join(REPO_ROOT, 'web', 'cli.js');
const SQUEEZENET = join(REPO_ROOT, 'models/generated/squeezenet1_1.onnx');
const MOBILENET = join(REPO_ROOT, 'models/generated/mobilenet_v2.onnx');
const CHELSEA = join(REPO_ROOT, 'models/images/chelsea.png');
let dir;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'litecnn-cli-'));
  // A 1x1 conv 3 -> 4 on 2x2: 2*2*4*3 = 48 multiply-adds.
  writeFileSync(join(dir, 'conv.onnx'), encodeModel({
    inputs: [{ name: 'x', dims: [1, 3, 2, 2] }],
    outputs: [{ name: 'y', dims: [1, 4, 2, 2] }],
    initializers: [{ name: 'w', dims: [4, 3, 1, 1], values: new Float32Array(12).fill(0.5) }],
    nodes: [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'] }],
  }));
  writeFileSync(join(dir, 'not-a-model.onnx'), 'hello');
  writeFileSync(join(dir, 'labels.txt'), Array.from({ length: 1000 }, (_, i) => `label-${i}`).join('\n'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });

test('run classifies an image and prints the top classes with their labels', () => {
  const r = cli('run', SQUEEZENET, CHELSEA, '--top', '3', '--runs', '2', '--labels', join(dir, 'labels.txt'));
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.split('\n').filter((l) => /^\s+\d+\s+0\.\d{4}\s+label-\d+$/.test(l));
  assert.equal(rows.length, 3, r.stdout);
  for (const row of rows) {
    const [index, , label] = row.trim().split(/\s+/);
    assert.equal(label, `label-${index}`);
  }
  assert.match(r.stdout, /latency\s+[\d.]+ ms median of 2 runs/);
});

test('info prints inputs, outputs, ops and multiply-adds', () => {
  const r = cli('info', join(dir, 'conv.onnx'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ {2}x\s+float32\s+\[1, 3, 2, 2\]$/m);
  assert.match(r.stdout, /^ {2}y\s+float32\s+\[1, 4, 2, 2\]$/m);
  assert.match(r.stdout, /ops after fusion: 3 nodes, 0\.00 M multiply-adds/);  // Conv + 2 layout conversions
  assert.match(r.stdout, /1 x Conv \(f32_gemm_minmax_ukernel_\w+\)/);
  const mobilenet = cli('info', MOBILENET);
  assert.equal(mobilenet.status, 0, mobilenet.stderr);
  assert.match(mobilenet.stdout, /300\.77 M multiply-adds per inference/);  // torchvision: 300.77M
});

test('bench prints latency percentiles', () => {
  const r = cli('bench', join(dir, 'conv.onnx'), '--runs', '5');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /5 runs after 5 warm-up/);
  assert.match(r.stdout, /median [\d.]+ ms {2}p10 [\d.]+ ms {2}p90 [\d.]+ ms/);
});

test('--threads and --backend: the thread count and build are printed, the classes do not change', () => {
  const top = (r) => r.stdout.split('\n').filter((l) => /^\s+\d+\s+0\.\d{4}\s/.test(l));
  const one = cli('run', SQUEEZENET, CHELSEA, '--runs', '1', '--threads', '1');
  const three = cli('run', SQUEEZENET, CHELSEA, '--runs', '1', '--threads', '3');
  const plain = cli('bench', join(dir, 'conv.onnx'), '--runs', '2', '--backend', 'plain');
  for (const r of [one, three, plain]) assert.equal(r.status, 0, r.stderr);
  assert.match(one.stdout, /^threads {2}1 thread \(simd build\)$/m);  // one thread: no threads build
  assert.match(three.stdout, /^threads {2}3 threads \(simd-threads build\)$/m);
  assert.deepEqual(top(three), top(one));
  assert.match(plain.stdout, /2 runs after 5 warm-up, 1 thread \(plain build\):/);
});

test('misuse: usage errors exit 2, failures exit 1, each with one line', () => {
  for (const [args, status, pattern] of [
    [['frob'], 2, /unknown command "frob"/],
    [[], 2, /no command given/],
    [['bench', join(dir, 'conv.onnx'), '--runs', '0'], 2, /--runs must be a positive integer, got "0"/],
    [['info', 'a.onnx', 'b.txt'], 2, /unexpected argument "b.txt"/],
    [['info', '--threads', 'two'], 2, /--threads must be a positive integer, got "two"/],
    [['info', '--backend', 'gpu'], 2, /--backend must be one of simd-threads, simd, plain, got "gpu"/],
    [['info', join(dir, 'missing.onnx')], 1, /missing\.onnx" is neither an existing file nor a fetchable/],
    [['info', join(dir, 'not-a-model.onnx')], 1, /cannot load model: InvalidModel/],
  ]) {
    const r = cli(...args);
    assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.split('\n')[0], pattern, args.join(' '));
  }
});
