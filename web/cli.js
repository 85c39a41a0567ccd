#!/usr/bin/env node
// litecnn's command line:
//
//   litecnn run [model.onnx] [image.png|jpg] [--top 5] [--labels labels.txt] [--runs 10]
//   litecnn info [model.onnx]                 inputs, outputs, op counts, multiply-adds
//   litecnn bench [model.onnx] [--runs 50]     latency percentiles on a seeded random input
//   (all: [--threads N] [--backend simd-threads|simd|plain])
//
// Defaults (inside a litecnn checkout): models/generated/squeezenet1_1.onnx, generated on
// first use by models/prepare.mjs, and models/images/chelsea.png.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

import { LitecnnError, backendInfo, imageToTensor, init, loadModel } from './src/node.js';
import { median, percentile } from './src/stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_MODEL = path.join(ROOT, 'models/generated/squeezenet1_1.onnx');
const DEFAULT_IMAGE = path.join(ROOT, 'models/images/chelsea.png');
const PREPARE = path.join(ROOT, 'models/prepare.mjs');
// torchvision's ImageNet preprocessing, which every bundled classifier was exported with.
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const DEFAULT_SIDE = 224;  // for models whose spatial input dims are symbolic

const USAGE = `usage: litecnn run [model.onnx] [image.png|jpg] [--top N] [--labels FILE] [--runs N]
       litecnn info [model.onnx]
       litecnn bench [model.onnx] [--runs N]
       (each also takes [--threads N] [--backend NAME])

  run     classifies an image: prints the top classes and the latency
  info    prints the model's inputs and outputs, its ops after fusion (with their
          microkernels) and multiply-adds per inference
  bench   times inference on a seeded random input: median and percentiles

  model.onnx       default: models/generated/squeezenet1_1.onnx (generated if missing)
  image.png|jpg    default: models/images/chelsea.png
  --top N          how many classes to print (default 5)
  --labels FILE    class names, one per line (default: "class N")
  --runs N         timed runs after the warm-up (run: default 10, bench: default 50)
  --threads N      threads per inference (default: every core, at most 4; outputs are the
                   same for any count)
  --backend NAME   force a wasm build: simd-threads, simd or plain (default: the best one)
  -h, --help       this text`;

class UsageError extends Error {}
// A failure the user can act on: reported in one line, without a stack.
class CliError extends Error {}

function parseCommandLine(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '5' },
      labels: { type: 'string' },
      runs: { type: 'string' },
      threads: { type: 'string' },
      backend: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const [command, ...files] = positionals;
  if (!['run', 'info', 'bench'].includes(command)) {
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  }

  // Files are told apart by extension, so either may be given alone.
  let model;
  let image;
  for (const file of files) {
    if (/\.onnx$/i.test(file) && model === undefined) model = file;
    else if (command === 'run' && /\.(png|jpe?g)$/i.test(file) && image === undefined) image = file;
    else if (command === 'run') throw new UsageError(`unexpected argument "${file}" (expected one .onnx model and one .png/.jpg image)`);
    else throw new UsageError(`unexpected argument "${file}" (expected one .onnx model)`);
  }
  if (values.runs === undefined) values.runs = command === 'bench' ? '50' : '10';
  const positiveInt = (name) => {
    const n = Number(values[name]);
    if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${values[name]}"`);
    return n;
  };
  const threads = values.threads === undefined ? undefined : positiveInt('threads');
  const backends = ['simd-threads', 'simd', 'plain'];
  if (values.backend !== undefined && !backends.includes(values.backend)) {
    throw new UsageError(`--backend must be one of ${backends.join(', ')}, got "${values.backend}"`);
  }
  return {
    command, model, image, top: positiveInt('top'), runs: positiveInt('runs'), labels: values.labels,
    threads, backend: values.backend,
  };
}

// The default model is generated, not committed: produce it on first use.
function ensureDefaultModel() {
  if (existsSync(DEFAULT_MODEL)) return;
  if (!existsSync(PREPARE)) {
    throw new CliError(
      `the default model ${path.relative(process.cwd(), DEFAULT_MODEL)} is missing and ` +
        `models/prepare.mjs, which generates it, is not present; pass a model: litecnn run model.onnx`,
    );
  }
  console.error('litecnn: generating the default model with models/prepare.mjs (first run only) ...');
  const result = spawnSync(process.execPath, [PREPARE, 'squeezenet1_1'], { stdio: 'inherit' });
  if (result.status !== 0 || !existsSync(DEFAULT_MODEL)) {
    throw new CliError(`models/prepare.mjs could not generate ${DEFAULT_MODEL} (exit status ${result.status})`);
  }
}

// Decodes a PNG or JPEG (told apart by their signatures) into RGBA bytes.
function decodeImage(file) {
  const bytes = readFileSync(file);
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    const png = PNG.sync.read(bytes);  // always 8-bit RGBA, whatever the PNG's colour type
    return { width: png.width, height: png.height, data: png.data };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width: img.width, height: img.height, data: img.data };
  }
  throw new CliError(`${file} is neither a PNG nor a JPEG`);
}

const ms = (t) => `${t.toFixed(1)} ms`;
const rel = (p) => path.relative(process.cwd(), p) || p;

// Instantiates the module and loads the model, timing both.
async function openModel(options) {
  const modelPath = options.model ?? (ensureDefaultModel(), DEFAULT_MODEL);
  let t0 = performance.now();
  // A pool as large as --threads asks, even beyond the cores (the results do not change).
  await init({ backend: options.backend, numThreads: options.threads });
  const initMs = performance.now() - t0;
  t0 = performance.now();
  const model = await loadModel(modelPath, {
    ...(options.labels ? { labels: options.labels } : {}),
    numThreads: options.threads,
  });
  return { model, modelPath, initMs, loadMs: performance.now() - t0 };
}

// "2 threads (simd-threads build)"
async function threadsText(model) {
  const { build } = await backendInfo();
  return `${model.numThreads} thread${model.numThreads === 1 ? '' : 's'} (${build} build)`;
}

async function run(options) {
  const imagePath = options.image ?? DEFAULT_IMAGE;
  const image = decodeImage(imagePath);
  const { model, modelPath, initMs, loadMs } = await openModel(options);
  let t0;

  try {
    const input = model.imageInput;  // the layout classify and the demo read too
    if (input === null) {
      throw new CliError('expected a model with one RGB image input ([N, 3, H, W] or [N, H, W, 3]), this one has ' +
        model.inputs.map((i) => `"${i.name}" [${i.dims.join(', ')}]`).join(', '));
    }
    const side = (d) => (d > 0 ? d : DEFAULT_SIDE);
    const [height, width] = [side(input.height), side(input.width)];
    // The default fit, stretch, is what the former JS resize here did (no crop).
    const tensor = await imageToTensor(image, { width, height, mean: MEAN, std: STD, layout: input.layout });
    const { dims } = tensor;
    const feeds = { [input.name]: tensor };

    await model.run(feeds);  // warm-up: first-run allocations and JIT tiering
    const times = [];
    let outputs;
    for (let i = 0; i < options.runs; i++) {
      t0 = performance.now();
      outputs = await model.run(feeds);
      times.push(performance.now() - t0);
    }

    const first = model.outputs[0].name;
    const top = await model.classify(feeds, { topK: options.top });

    console.log(`model    ${rel(modelPath)}  (input "${input.name}" [${dims.join(', ')}])`);
    console.log(`image    ${rel(imagePath)}  (${image.width}x${image.height} -> ${width}x${height})`);
    console.log(`load     ${ms(loadMs)}  (+ ${ms(initMs)} wasm instantiation)`);
    console.log(`threads  ${await threadsText(model)}`);
    console.log(
      `latency  ${ms(median(times))} median of ${times.length} runs after 1 warm-up ` +
        `(min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))})`,
    );
    console.log(`top ${top.length} of ${outputs[first].data.length} (probabilities from "${first}"):`);
    for (const { index, label, score } of top) {
      console.log(`  ${String(index).padStart(5)}  ${score.toFixed(4)}  ${label}`);
    }
    if (path.resolve(modelPath).startsWith(path.join(ROOT, 'models/generated') + path.sep)) {
      console.log(
        'note: the bundled torchvision models have seeded random weights (no pretrained ' +
          'weights are downloadable here), so these classes are not meaningful predictions.',
      );
    }
  } finally {
    model.dispose();
  }
}

async function info(options) {
  const { model, modelPath, loadMs } = await openModel(options);
  try {
    const tensorLine = (t) => `  ${t.name.padEnd(24)} ${t.dtype.padEnd(8)} [${t.dims.join(', ')}]`;
    console.log(`model    ${rel(modelPath)}  (${(readFileSync(modelPath).length / 2 ** 20).toFixed(1)} MB, loaded in ${ms(loadMs)})`);
    console.log('inputs');
    for (const t of model.inputs) console.log(tensorLine(t));
    console.log('outputs');
    for (const t of model.outputs) console.log(tensorLine(t));
    // Per op type (after fusion) and microkernel: how many nodes, how many multiply-adds.
    const nodes = model.summary();
    const groups = new Map();
    for (const n of nodes) {
      const key = n.kernel ? `${n.op} (${n.kernel})` : n.op;
      const g = groups.get(key) ?? { count: 0, macs: 0 };
      g.count += 1;
      g.macs += n.macs;
      groups.set(key, g);
    }
    const total = nodes.reduce((sum, n) => sum + n.macs, 0);
    console.log(`ops after fusion: ${nodes.length} nodes, ${(total / 1e6).toFixed(2)} M multiply-adds per inference`);
    for (const [key, g] of [...groups].sort((a, b) => b[1].macs - a[1].macs || b[1].count - a[1].count)) {
      const share = total > 0 ? `${((100 * g.macs) / total).toFixed(1).padStart(5)}%` : '';
      console.log(`  ${String(g.count).padStart(4)} x ${key.padEnd(64)} ${(g.macs / 1e6).toFixed(2).padStart(9)} M ${share}`);
    }
  } finally {
    model.dispose();
  }
}

async function bench(options) {
  const { model, modelPath, initMs, loadMs } = await openModel(options);
  try {
    // Seeded values in [-1, 1): the same input every time, any model.
    let seed = 0x1234567;
    const random = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 31 - 1;
    };
    const feeds = {};
    for (const input of model.inputs) {
      const dims = input.dims.map((d) => (d > 0 ? d : 1));
      feeds[input.name] = { data: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, random), dims };
    }
    const warmup = 5;  // lets V8 tier the kernels up before timing
    for (let i = 0; i < warmup; i++) await model.run(feeds);
    const times = [];
    for (let i = 0; i < options.runs; i++) {
      const t0 = performance.now();
      await model.run(feeds);
      times.push(performance.now() - t0);
    }
    console.log(`model    ${rel(modelPath)}`);
    console.log(`load     ${ms(loadMs)}  (+ ${ms(initMs)} wasm instantiation)`);
    console.log(`latency  ${options.runs} runs after ${warmup} warm-up, ${await threadsText(model)}:`);
    console.log(`  median ${ms(median(times))}  p10 ${ms(percentile(times, 10))}  p90 ${ms(percentile(times, 90))}  ` +
      `p99 ${ms(percentile(times, 99))}  min ${ms(Math.min(...times))}  max ${ms(Math.max(...times))}`);
  } finally {
    model.dispose();
  }
}

async function main() {
  let options;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`litecnn: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    await { run, info, bench }[options.command](options);
    return 0;
  } catch (error) {
    // Expected failures (bad model, unreadable file) get one line; anything else a stack.
    const expected = error instanceof LitecnnError || error instanceof CliError || error?.syscall;
    console.error(`litecnn: ${expected ? error.message : error.stack}`);
    return 1;
  }
}

process.exitCode = await main();
