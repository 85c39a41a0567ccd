// End-to-end model comparison: every model in models/manifest.json runs in
// onnxruntime-web (wasm backend, one thread) as the reference and in litecnn
// through its JS API, on the same input; outputs must agree to within
// 1e-4 * max|reference| per output, classifiers must give the same top-5, and segmentation
// nets the same class (argmax over channels) at nearly every pixel.
//
// Prerequisite: `node models/prepare.mjs` (produces models/generated/).
// Run:          node --test tests/node/models.test.mjs
//
// Also writes test-artifacts/model-comparison.json and prints a summary table.
//
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';

import {
  REPO_ROOT, MODELS_DIR, loadManifest, readModelBytes, seededUniform, blazefaceInput, mlsdInput, peakMaskFlips, withoutPeakFlips,
  topK, maxAbs, maxValue, maxAbsDiff, sigmoid, FACE_CROPS, facePixels, faceExpressionTensor,
} from './model_helpers.mjs';

// The wasm module is built by `npm test` before this runs (scripts/test.sh); a missing build
// is a failure, not a skip.
import * as litecnn from '../../web/src/node.js';
await litecnn.init();

const REL_TOL = 1e-4;           // max abs diff <= REL_TOL * max |ORT output|
const TEST_INPUT_SEED = 0x11ce; // must match models/export_torchvision.py
const MLSD_CENTRE_SCORE = 0.1;  // M-LSD's demo keeps line centres above this score
const TIMED_RUNS = 3;           // runs after one warm-up; the median is reported

ort.env.wasm.numThreads = 1;

const manifest = loadManifest();

/** Every (model, input) pair to compare. */
function buildCases() {
  const cases = [];
  for (const m of manifest.models) {
    const [inp] = m.inputs;
    const count = inp.dims.reduce((a, b) => a * b, 1);
    if (['classification', 'segmentation', 'detection'].includes(m.task)) {
      cases.push({ model: m, label: 'seeded uniform', inputName: inp.name, dims: inp.dims,
        makeInput: () => seededUniform(TEST_INPUT_SEED, count) });
    } else if (m.name === 'blazeface') {
      // Real photos: the astronaut must be detected (sanity of preprocessing);
      // the cat is compared only.
      for (const img of ['astronaut', 'chelsea']) {
        cases.push({ model: m, label: `${img}.png`, inputName: inp.name, dims: inp.dims,
          image: img,
          makeInput: () => blazefaceInput(join(MODELS_DIR, 'images', `${img}.png`), inp.dims[1]) });
      }
    } else if (m.task === 'line-detection') {
      // M-LSD: the astronaut photo has many straight edges (checked below); the cat fewer.
      for (const img of ['astronaut', 'chelsea']) {
        cases.push({ model: m, label: `${img}.png`, inputName: inp.name, dims: inp.dims,
          image: img,
          makeInput: () => mlsdInput(join(MODELS_DIR, 'images', `${img}.png`), inp.dims[1]) });
      }
    } else if (m.task === 'face-expression') {
      // Face crops of the test photos (the astronaut smiles: checked below); the cat and the
      // shifted crop give less saturated probabilities, which compare more digits.
      for (const label of ['astronaut face', 'astronaut face shifted', 'chelsea.png']) {
        cases.push({ model: m, label, inputName: inp.name, dims: inp.dims,
          makeInput: () => faceExpressionTensor(facePixels(FACE_CROPS[label])) });
      }
    } else {
      throw new Error(`no test input defined for model ${m.name}`);
    }
  }
  return cases;
}

// Fraction of the pixels of two [1, C, H, W] score maps with the same argmax class.
function argmaxAgreement(a, b, [, channels, h, w]) {
  const plane = h * w;
  let same = 0;
  for (let p = 0; p < plane; p++) {
    let ia = 0, ib = 0;
    for (let c = 1; c < channels; c++) {
      if (a[c * plane + p] > a[ia * plane + p]) ia = c;
      if (b[c * plane + p] > b[ib * plane + p]) ib = c;
    }
    if (ia === ib) same++;
  }
  return same / plane;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Warm-up run, then TIMED_RUNS timed runs; returns the last outputs and median ms. */
async function timedRuns(runOnce) {
  let out = await runOnce();
  const ms = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    const t0 = performance.now();
    out = await runOnce();
    ms.push(performance.now() - t0);
  }
  return { out, ms: median(ms) };
}

const cases = buildCases();
const rows = [];     // one per (case, output), for the table / JSON artifact
const caseInfo = []; // one per case: timings and notes

before(() => {
  // Fail fast, with the fix in the message, if models are missing or stale.
  // Bytes are kept on the (in-memory) manifest entry, shared by both halves.
  for (const m of manifest.models) m.bytes_ = readModelBytes(m);
});

for (const c of cases) {
  const id = `${c.model.name} [${c.label}]`;
  const info = { model: c.model.name, input: c.label };
  caseInfo.push(info);

  test(`ORT reference: ${id}`, async () => {
    c.input = c.makeInput();
    const t0 = performance.now();
    const session = await ort.InferenceSession.create(c.model.bytes_, {
      executionProviders: ['wasm'], graphOptimizationLevel: 'all',
      logSeverityLevel: 3 }); // BlazeFace: harmless "unused initializer" warnings
    info.ort_load_ms = performance.now() - t0;
    const feeds = { [c.inputName]: new ort.Tensor('float32', c.input, c.dims) };
    const { out, ms } = await timedRuns(() => session.run(feeds));
    info.ort_run_ms = ms;
    c.ref = {};
    for (const name of session.outputNames) {
      c.ref[name] = { data: out[name].data, dims: [...out[name].dims] };
    }
    await session.release();

    const expectedOutputs = c.model.outputs.map((o) => o.name);
    assert.deepEqual(Object.keys(c.ref), expectedOutputs);
    for (const o of c.model.outputs) {
      assert.deepEqual(c.ref[o.name].dims, o.dims, `${o.name} dims`);
      assert.ok(c.ref[o.name].data.every(Number.isFinite), `${o.name} has non-finite values`);
    }

    if (c.model.task === 'classification') {
      // Cross-check ORT against the PyTorch model the file was exported from.
      const top5 = topK(c.ref.logits.data, 5);
      info.ort_top5 = top5;
      assert.deepEqual(top5, c.model.expected_top5, 'ORT top-5 differs from PyTorch top-5');
    } else if (c.model.task === 'segmentation') {
      // Cross-check ORT against the PyTorch model: the largest class score it exported with.
      const got = maxAbs(c.ref.out.data);
      const want = c.model.expected_out_max_abs;
      assert.ok(Math.abs(got - want) <= 1e-4 * want, `ORT max |out| ${got}, PyTorch ${want}`);
    } else if (c.model.task === 'detection') {
      // Cross-check ORT against the PyTorch model: each head output's largest magnitude.
      for (const [name, want] of Object.entries(c.model.expected_max_abs)) {
        const got = maxAbs(c.ref[name].data);
        assert.ok(Math.abs(got - want) <= 1e-4 * want, `ORT max |${name}| ${got}, PyTorch ${want}`);
      }
    } else if (c.model.task === 'line-detection') {
      const centres = c.ref.scores.data.filter((v) => v > MLSD_CENTRE_SCORE).length;
      info.ort_line_centres = centres;
      if (c.image === 'astronaut') {
        assert.ok(centres >= 10, `only ${centres} line centres in astronaut.png; ` +
          'preprocessing (resize, 0..255 RGBA, NHWC) is probably wrong');
      }
    } else if (c.model.task === 'face-expression') {
      const [out] = c.model.outputs;
      const probs = c.ref[out.name].data;
      const sum = probs.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-5 && probs.every((p) => p >= 0), `not probabilities: ${probs}`);
      info.ort_top = c.model.labels[topK(probs, 1)[0]];
      if (c.label === 'astronaut face') {
        assert.equal(info.ort_top, 'happy', 'the astronaut smiles; preprocessing (crop, mean, NCHW) is probably wrong');
      }
    } else {
      // BlazeFace score outputs are the 1-channel ones.
      const scoreNames = c.model.outputs.filter((o) => o.dims.at(-1) === 1).map((o) => o.name);
      const best = Math.max(...scoreNames.map((n) => sigmoid(maxValue(c.ref[n].data))));
      info.ort_max_face_score = best;
      if (c.image === 'astronaut') {
        assert.ok(best > 0.5, `no face detected in astronaut.png (best sigmoid score ${best}); ` +
          'preprocessing (resize, [-1,1] scaling, NHWC RGB) is probably wrong');
      }
    }
  });

  test(`litecnn vs ORT: ${id}`, async () => {
    assert.ok(c.ref, 'ORT reference run failed; see above');
    const t0 = performance.now();
    const model = await litecnn.loadModel(c.model.bytes_);
    info.litecnn_load_ms = performance.now() - t0;
    try {
      assert.deepEqual(model.inputs.map((i) => i.name), [c.inputName]);
      assert.deepEqual([...model.inputs[0].dims], c.dims);
      const feeds = { [c.inputName]: new litecnn.Tensor(c.input, c.dims) };
      const { out, ms } = await timedRuns(() => model.run(feeds));
      info.litecnn_run_ms = ms;

      const failures = [];
      for (const [name, ref] of Object.entries(c.ref)) {
        const got = out[name];
        assert.ok(got, `litecnn output ${name} missing (got ${Object.keys(out)})`);
        assert.deepEqual([...got.dims], ref.dims, `${name} dims`);
        const scale = maxAbs(ref.data);
        const diff = maxAbsDiff(got.data, ref.data);
        const row = { model: c.model.name, input: c.label, output: name,
          max_abs_ref: scale, max_abs_diff: diff, relative: diff / scale,
          within_tolerance: diff <= REL_TOL * scale };
        if (c.model.task === 'classification') {
          row.top5_ort = topK(ref.data, 5);
          row.top5_litecnn = topK(got.data, 5);
          row.top5_match = row.top5_ort.every((v, i) => v === row.top5_litecnn[i]);
          if (!row.top5_match) failures.push(`${name}: top-5 ${row.top5_litecnn} != ORT ${row.top5_ort}`);
        }
        if (c.model.task === 'segmentation') {
          // Pixels whose top two class scores are closer than the tolerance may swap.
          row.argmax_agreement = argmaxAgreement(got.data, ref.data, ref.dims);
          if (row.argmax_agreement < 0.999) {
            failures.push(`${name}: the class (argmax) agrees at ${row.argmax_agreement} of pixels`);
          }
        }
        if (c.model.task === 'line-detection' && name === 'scores') {
          // Near-tie peaks may flip (peakMaskFlips says why); only below any line threshold,
          // and the centres a detector keeps (score > MLSD_CENTRE_SCORE) must be the same cells.
          const flips = peakMaskFlips(got.data, ref.data);
          row.peak_flips = flips.count;
          const masked = withoutPeakFlips(got.data, ref.data);
          row.max_abs_diff = maxAbsDiff(masked.got, masked.ref);
          row.relative = row.max_abs_diff / scale;
          row.within_tolerance = row.max_abs_diff <= REL_TOL * scale;
          if (flips.count > got.data.length / 1000 || flips.largest >= 0.01) {
            failures.push(`scores: ${flips.count} peak flips, largest ${flips.largest}`);
          }
          const kept = (d) => d.reduce((s, v, i) => (v > MLSD_CENTRE_SCORE ? s.concat(i) : s), []);
          if (kept(got.data).join() !== kept(ref.data).join()) failures.push('scores: line centres differ');
        }
        if (!row.within_tolerance) {
          failures.push(`${name}: max abs diff ${row.max_abs_diff.toExponential(3)} > ` +
            `${REL_TOL} * ${scale.toExponential(3)}`);
        }
        rows.push(row);
      }
      assert.deepEqual(failures, []);
    } finally {
      model.dispose();
    }
  });
}

after(() => {
  const fmt = (v, digits = 3) => (v === undefined ? '-' : typeof v === 'number' ? v.toExponential(digits) : String(v));
  const ms = (v) => (v === undefined ? '-' : v.toFixed(1));
  const lines = [];
  lines.push(`model comparison (onnxruntime-web ${ort.env.versions?.common ?? ''} wasm, 1 thread vs litecnn)`);
  lines.push('| model | input | output | max abs diff | relative | top-5 match | ORT ms | litecnn ms |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const info of caseInfo) {
    const r = rows.filter((x) => x.model === info.model && x.input === info.input);
    const outputs = r.length ? r : [{ output: '(not compared)' }];
    for (const row of outputs) {
      lines.push(`| ${info.model} | ${info.input} | ${row.output} | ${fmt(row.max_abs_diff)} | ` +
        `${fmt(row.relative)} | ${row.top5_match ?? '-'} | ${ms(info.ort_run_ms)} | ${ms(info.litecnn_run_ms)} |`);
    }
  }
  console.log(`\n${lines.join('\n')}\n`);

  const dir = join(REPO_ROOT, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model-comparison.json'), `${JSON.stringify({
    tolerance: `max abs diff <= ${REL_TOL} * max |ORT output|, per output`,
    onnxruntime_web: ort.env.versions?.web ?? null,
    node: process.version,
    timing: `median of ${TIMED_RUNS} runs after one warm-up, ms, single thread`,
    litecnn: 'ran',
    cases: caseInfo,
    outputs: rows,
  }, null, 2)}\n`);
});

// Multiply-adds per inference as torchvision publishes them (the GFLOPS of each weights enum's
// meta, which count multiply-adds): model.summary() counts them from the fused graph, so this
// checks that fusion neither drops nor double-counts a conv or a linear layer.
const TORCHVISION_GMACS = {
  mobilenet_v2: 0.301,
  mobilenet_v3_small: 0.057,
  squeezenet1_0: 0.819,
  squeezenet1_1: 0.349,
  shufflenet_v2_x0_5: 0.04,
  shufflenet_v2_x1_0: 0.145,
};

for (const [name, gmacs] of Object.entries(TORCHVISION_GMACS)) {
  test(`${name}: summary() counts torchvision's ${gmacs} GMACs`, async () => {
    const entry = manifest.models.find((m) => m.name === name);
    const model = await litecnn.loadModel(readModelBytes(entry));
    const macs = model.summary().reduce((sum, n) => sum + n.macs, 0);
    model.dispose();
    // torchvision rounds to 2-3 significant digits.
    assert.ok(Math.abs(macs / 1e9 - gmacs) / gmacs < 0.02, `${macs} multiply-adds vs ${gmacs}e9`);
  });
}
