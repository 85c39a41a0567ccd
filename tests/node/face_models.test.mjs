// The two face models of the webcam demo, end to end:
//   - BlazeFace post-processing (web/src/blazeface.js): anchors, decoding and non-max
//     suppression on synthetic inputs; detectFaces() on astronaut.png against the same decoding
//     of onnxruntime-web's outputs for the same input tensor.
//   - The face expression net converted by models/convert_face_expression.py, against the
//     original: @vladmandic/face-api's own TF.js code (dist/face-api.node-wasm.js, with
//     @tensorflow/tfjs and the wasm and cpu backends) on face crops, vs onnxruntime-web and
//     litecnn on the ONNX.
//
// Prerequisite: `node models/prepare.mjs` (models, and the face-api tarball in <models>/npm/).
// The face-api comparison fetches that tarball with `npm pack` if it is not cached, and is
// skipped, saying why, only if it cannot be fetched.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as ort from 'onnxruntime-web';

import { extractTarball, npmTarball } from '../../models/npm_package.mjs';
import {
  FACE_CROPS, FACE_EXPRESSION_MEAN, GENERATED_DIR, MODELS_DIR, REPO_ROOT, cropRGBA, decodePng,
  faceExpressionTensor, facePixels, loadManifest, maxAbsDiff, readModelBytes,
} from './model_helpers.mjs';
import * as litecnn from '../../web/src/node.js';
import {
  BLAZEFACE_INPUT_SIZE, BLAZEFACE_KEYPOINTS, blazefaceAnchors, blazefaceInput, decodeBlazeFace,
  detectFaces, facesFromOutputs, iou, nonMaxSuppression,
} from '../../web/src/blazeface.js';

ort.env.wasm.numThreads = 1;
const manifest = loadManifest();
const entry = (name) => manifest.models.find((m) => m.name === name);

function imagePixels(name) {
  const { width, height, rgba } = decodePng(join(MODELS_DIR, 'images', `${name}.png`));
  return { data: rgba, width, height };
}

// --- BlazeFace: synthetic ------------------------------------------------------------------

// Raw outputs with every score at -10 (sigmoid 4.5e-5) and zero boxes; set(i, logit, values).
function rawOutputs() {
  const scores = new Float32Array(896).fill(-10);
  const boxes = new Float32Array(896 * 16);
  return {
    scores, boxes,
    set(i, logit, values) {
      scores[i] = logit;
      boxes.set(values, i * 16);
    },
  };
}

// A detection in normalised coordinates, as decodeBlazeFace makes them.
const det = (score, x, y, width, height) => ({
  score, box: { x, y, width, height },
  keypoints: BLAZEFACE_KEYPOINTS.map((name) => ({ name, x: x + width / 2, y: y + height / 2 })),
});

describe('BlazeFace anchors and decoding', () => {
  test('896 anchors: 16x16 x 2, then 8x8 x 6, row by row, cell centres', () => {
    const a = blazefaceAnchors();
    assert.equal(a.length, 2 * 896);
    const at = (i) => [a[2 * i], a[2 * i + 1]];
    assert.deepEqual(at(0), [0.5 / 16, 0.5 / 16]);
    assert.deepEqual(at(1), at(0));
    assert.deepEqual(at(143), [7.5 / 16, 4.5 / 16]);  // 143 = (4 * 16 + 7) * 2 + 1
    assert.deepEqual(at(511), [15.5 / 16, 15.5 / 16]);
    assert.deepEqual(at(512), [0.5 / 8, 0.5 / 8]);
    assert.deepEqual(at(517), [0.5 / 8, 0.5 / 8]);
    assert.deepEqual(at(518), [1.5 / 8, 0.5 / 8]);
    assert.deepEqual(at(895), [7.5 / 8, 7.5 / 8]);
  });

  test('decoding: offsets and sizes in input pixels around the anchor centre, sigmoid score', () => {
    const raw = rawOutputs();
    // dx, dy, w, h, then 6 keypoints: +12.8 px = +0.1 of the input.
    raw.set(143, 2, [12.8, -6.4, 32, 25.6, 0, 0, 12.8, 0, 0, 12.8, -12.8, -12.8, 64, 0, 0, 64]);
    const [d, ...rest] = decodeBlazeFace(raw.scores, raw.boxes);
    assert.equal(rest.length, 0);
    assert.equal(d.score, 1 / (1 + Math.exp(-2)));
    const [cx, cy] = [7.5 / 16 + 0.1, 4.5 / 16 - 0.05];
    const close = (got, want) => assert.ok(Math.abs(got - want) < 1e-6, `${got} vs ${want}`);
    close(d.box.width, 0.25);
    close(d.box.height, 0.2);
    close(d.box.x, cx - 0.125);
    close(d.box.y, cy - 0.1);
    assert.deepEqual(d.keypoints.map((k) => k.name), [...BLAZEFACE_KEYPOINTS]);
    const want = [[0, 0], [0.1, 0], [0, 0.1], [-0.1, -0.1], [0.5, 0], [0, 0.5]];
    d.keypoints.forEach((k, i) => {
      close(k.x, 7.5 / 16 + want[i][0]);
      close(k.y, 4.5 / 16 + want[i][1]);
    });
  });

  test('second grid: anchor 600 decodes around its 8x8 cell', () => {
    const raw = rawOutputs();
    raw.set(600, 5, [0, 0, 16, 16]);  // 600 - 512 = 88 = (1 * 8 + 6) * 6 + 4: row 1, column 6
    const [d] = decodeBlazeFace(raw.scores, raw.boxes);
    assert.ok(Math.abs(d.box.x + d.box.width / 2 - 6.5 / 8) < 1e-6);
    assert.ok(Math.abs(d.box.y + d.box.height / 2 - 1.5 / 8) < 1e-6);
  });

  test('score threshold: inclusive, default 0.5, 0 keeps every anchor', () => {
    const raw = rawOutputs();
    raw.set(10, 0, []);        // sigmoid 0.5 exactly
    raw.set(20, -0.01, []);    // just below 0.5
    raw.set(30, 1000, []);     // clipped to 100 before the sigmoid, like MediaPipe
    assert.deepEqual(decodeBlazeFace(raw.scores, raw.boxes).map((d) => d.score), [0.5, 1]);
    assert.equal(decodeBlazeFace(raw.scores, raw.boxes, { scoreThreshold: 0.9 }).length, 1);
    assert.equal(decodeBlazeFace(raw.scores, raw.boxes, { scoreThreshold: 0 }).length, 896);
  });

  test('no face: empty result, and NMS of nothing is nothing', () => {
    const raw = rawOutputs();
    assert.deepEqual(decodeBlazeFace(raw.scores, raw.boxes), []);
    assert.deepEqual(nonMaxSuppression([]), []);
  });

  test('bad arguments throw LitecnnError', () => {
    assert.throws(() => decodeBlazeFace(new Float32Array(10), new Float32Array(160)), { name: 'LitecnnError' });
    const raw = rawOutputs();
    assert.throws(() => decodeBlazeFace(raw.scores, raw.boxes, { scoreThreshold: 2 }), /scoreThreshold/);
    assert.throws(() => nonMaxSuppression([], { method: 'soft' }), /method/);
    assert.throws(() => facesFromOutputs({}, {}), /no output of dims \[1, 512, 1\]/);
    assert.throws(() => facesFromOutputs({}, { threshold: 1 }), /unknown option "threshold"/);
  });
});

describe('BlazeFace non-max suppression', () => {
  test('iou', () => {
    const a = { x: 0, y: 0, width: 2, height: 2 };
    assert.equal(iou(a, a), 1);
    assert.equal(iou(a, { x: 2, y: 0, width: 2, height: 2 }), 0);  // touching
    assert.equal(iou(a, { x: 1, y: 0, width: 2, height: 2 }), 2 / 6);
    assert.equal(iou(a, { x: 0, y: 0, width: 0, height: 0 }), 0);
  });

  test('two overlapping boxes -> one (hard keeps the best as it is)', () => {
    const best = det(0.9, 0.1, 0.1, 0.4, 0.4);
    const other = det(0.6, 0.15, 0.1, 0.4, 0.4);  // IoU 0.778
    const out = nonMaxSuppression([other, best], { method: 'hard' });
    assert.deepEqual(out, [best]);
  });

  test('weighted (default): score-weighted mean of the group, best score', () => {
    const best = det(0.9, 0.1, 0.1, 0.4, 0.4);
    const other = det(0.6, 0.15, 0.1, 0.4, 0.4);
    const [d, ...rest] = nonMaxSuppression([other, best]);
    assert.equal(rest.length, 0);
    assert.equal(d.score, 0.9);
    const x = (0.9 * 0.1 + 0.6 * 0.15) / 1.5;
    assert.ok(Math.abs(d.box.x - x) < 1e-12 && Math.abs(d.box.y - 0.1) < 1e-12, JSON.stringify(d.box));
    assert.ok(Math.abs(d.keypoints[0].x - (x + 0.2)) < 1e-12);
    assert.equal(best.box.x, 0.1, 'inputs are not modified');
  });

  test('IoU threshold: suppression only above it; separate faces stay, best first', () => {
    const a = det(0.7, 0, 0, 0.2, 0.2);
    const b = det(0.8, 0.1, 0, 0.2, 0.2);   // IoU with a: 1/3
    const c = det(0.95, 0.6, 0.6, 0.2, 0.2); // far away
    assert.deepEqual(nonMaxSuppression([a, b, c], { method: 'hard' }), [c, b]);  // 1/3 > 0.3
    assert.deepEqual(nonMaxSuppression([a, b, c], { method: 'hard', iouThreshold: 0.4 }), [c, b, a]);
    assert.deepEqual(nonMaxSuppression([a, b, c], { method: 'hard', iouThreshold: 1 / 3 }), [c, b, a]);
    assert.deepEqual(nonMaxSuppression([a, b, c], { method: 'hard', iouThreshold: 0.4, maxDetections: 2 }), [c, b]);
  });

  test('facesFromOutputs finds outputs by dims and maps to image pixels', () => {
    const raw = rawOutputs();
    raw.set(143, 3, [0, 0, 32, 32, 0, 0]);
    const outputs = {
      a: { data: raw.boxes.subarray(512 * 16), dims: [1, 384, 16] },
      b: { data: raw.scores.subarray(0, 512), dims: [1, 512, 1] },
      c: { data: raw.scores.subarray(512), dims: [1, 384, 1] },
      d: { data: raw.boxes.subarray(0, 512 * 16), dims: [1, 512, 16] },
    };
    const [n] = facesFromOutputs(outputs);
    assert.ok(Math.abs(n.box.width - 0.25) < 1e-6);
    // A 256x192 image letterboxed into 128x128: scale 0.5, 16 rows of padding on top.
    const [f] = facesFromOutputs(outputs, { transform: { scaleX: 0.5, scaleY: 0.5, offsetX: 0, offsetY: 16 } });
    const size = BLAZEFACE_INPUT_SIZE;
    assert.ok(Math.abs(f.box.width - 64) < 1e-4);
    assert.ok(Math.abs(f.box.x - (n.box.x * size) / 0.5) < 1e-4);
    assert.ok(Math.abs(f.box.y - (n.box.y * size - 16) / 0.5) < 1e-4);
    assert.ok(Math.abs(f.keypoints[0].x - (7.5 / 16) * size * 2) < 1e-4);
  });
});

// --- BlazeFace: the real model ---------------------------------------------------------------

describe('BlazeFace on astronaut.png', () => {
  let model;
  let bytes;
  before(async () => {
    bytes = readModelBytes(entry('blazeface'));
    model = await litecnn.loadModel(bytes);
  });
  after(() => model?.dispose());

  test('detectFaces finds exactly one face, where it is', async () => {
    const faces = await detectFaces(model, imagePixels('astronaut'));
    assert.equal(faces.length, 1, JSON.stringify(faces));
    const [{ score, box, keypoints }] = faces;
    assert.ok(score > 0.9, `score ${score}`);
    // Eileen Collins' face in the 512x512 photo: about x 180-272, y 81-174.
    assert.ok(box.x > 165 && box.x < 195 && box.y > 65 && box.y < 95, JSON.stringify(box));
    assert.ok(box.width > 80 && box.width < 110 && box.height > 80 && box.height < 110, JSON.stringify(box));
    const k = Object.fromEntries(keypoints.map((p) => [p.name, p]));
    // Her right eye is on the image's left; eyes above the nose above the mouth.
    assert.ok(k.rightEye.x < k.noseTip.x && k.noseTip.x < k.leftEye.x, JSON.stringify(k));
    assert.ok(Math.max(k.rightEye.y, k.leftEye.y) < k.noseTip.y && k.noseTip.y < k.mouthCenter.y, JSON.stringify(k));
    for (const p of keypoints) {
      assert.ok(p.x > box.x - 10 && p.x < box.x + box.width + 10 && p.y > box.y && p.y < box.y + box.height, p.name);
    }
  });

  test('stretch and letterbox agree on a square photo; the cat has no face', async () => {
    const [a] = await detectFaces(model, imagePixels('astronaut'), { fit: 'stretch' });
    const [b] = await detectFaces(model, imagePixels('astronaut'));
    assert.ok(Math.abs(a.box.x - b.box.x) < 1e-3 && Math.abs(a.box.width - b.box.width) < 1e-3);
    assert.deepEqual(await detectFaces(model, imagePixels('chelsea')), []);
  });

  test('letterbox is undone: wide and tall crops find the face where the full photo does', async () => {
    const [full] = await detectFaces(model, imagePixels('astronaut'));
    const centre = ({ box }) => [box.x + box.width / 2, box.y + box.height / 2];
    const photo = decodePng(join(MODELS_DIR, 'images', 'astronaut.png'));
    for (const crop of [{ x: 40, y: 30, width: 472, height: 300 }, { x: 100, y: 0, width: 300, height: 512 }]) {
      const { width, height, rgba } = cropRGBA(photo, crop);
      const faces = await detectFaces(model, { data: rgba, width, height });
      assert.equal(faces.length, 1, JSON.stringify(crop));
      // The face is resampled at another scale and position, so the network's answer moves a
      // little (the box size most: 93 vs 100 px): compare the centre, eyes, nose and mouth.
      const [f] = faces;
      const points = (d, dx, dy) => [centre(d), ...d.keypoints.slice(0, 4).map((k) => [k.x, k.y])]
        .map(([x, y]) => [x + dx, y + dy]);
      const want = points(full, 0, 0);
      const d = Math.max(...points(f, crop.x, crop.y).map(([x, y], i) => Math.hypot(x - want[i][0], y - want[i][1])));
      assert.ok(d < 6, `${JSON.stringify(crop)}: ${d.toFixed(1)} px from the full photo's face`);
    }
  });

  test('same faces as the decoding of onnxruntime-web outputs for the same input (< 1 px)', async () => {
    for (const fit of ['letterbox', 'stretch']) {
      const image = imagePixels(fit === 'letterbox' ? 'chelsea' : 'astronaut');
      const { input, transform } = await blazefaceInput(image, { fit });
      // A low threshold so the cat's weak detections are compared too.
      const options = { transform, scoreThreshold: 0.1 };
      const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
      const [name] = session.inputNames;
      const ref = await session.run({ [name]: new ort.Tensor('float32', input.data, [...input.dims]) });
      await session.release();
      const want = facesFromOutputs(ref, options);
      const got = facesFromOutputs(await model.run({ [name]: input }), options);
      assert.ok(want.length > 0, `${fit}: ORT found nothing above 0.1`);
      assert.equal(got.length, want.length, fit);
      let worst = 0;
      got.forEach((g, i) => {
        const w = want[i];
        assert.ok(Math.abs(g.score - w.score) < 1e-4, `${fit}: score ${g.score} vs ${w.score}`);
        const coords = (d) => [d.box.x, d.box.y, d.box.width, d.box.height, ...d.keypoints.flatMap((k) => [k.x, k.y])];
        worst = Math.max(worst, maxAbsDiff(coords(g), coords(w)));
      });
      assert.ok(worst < 1, `${fit}: ${worst} px`);
      assert.ok(worst < 0.01, `${fit}: ${worst} px (expected float rounding only)`);
    }
  });
});

// --- face expression: converted ONNX vs face-api's TF.js -------------------------------------

describe('face expression net vs face-api (TF.js)', () => {
  const fe = entry('face_expression');
  let faceapi = null;
  let skipReason = null;
  let dir = null;
  let session;
  let model;

  before(async () => {
    const { package: pkg, version, tarball_sha256: sha, files } = fe.source;
    try {
      const tarball = npmTarball(pkg, version, join(GENERATED_DIR, 'npm'), sha);
      dir = extractTarball(tarball, files);
    } catch (err) {
      skipReason = `cannot fetch ${pkg}@${version} (${err.message.split('\n')[0]})`;
      return;
    }
    // face-api's Node build requires @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm: give
    // the extracted package this checkout's copies (devDependencies, same 4.22.0 it was built with).
    const tfjs = join(REPO_ROOT, 'node_modules', '@tensorflow', 'tfjs');
    assert.ok(existsSync(tfjs), `${tfjs} is missing: run \`npm ci\` (devDependency @tensorflow/tfjs 4.22.0)`);
    const scope = join(dir, 'node_modules', '@tensorflow');
    mkdirSync(scope, { recursive: true });
    for (const p of ['tfjs', 'tfjs-backend-wasm']) symlinkSync(join(REPO_ROOT, 'node_modules', '@tensorflow', p), join(scope, p));
    const require = createRequire(join(dir, 'package', 'package.json'));
    faceapi = require('./dist/face-api.node-wasm.js');
    const bytes = readModelBytes(fe);
    session = await ort.InferenceSession.create(bytes);
    model = await litecnn.loadModel(bytes, { labels: fe.labels });
  });

  after(() => {
    model?.dispose();
    session?.release();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // face-api's own pipeline: FaceExpressionNet weights loaded by its loader from the package's
  // model/ directory, predictExpressions on a 112x112x3 pixel tensor (its toNetInput,
  // normalisation, network and softmax).
  async function faceApiProbabilities(backend, pixels) {
    const { tf } = faceapi;
    await tf.setBackend(backend);
    await tf.ready();
    const net = new faceapi.FaceExpressionNet();
    await net.loadFromDisk(join(dir, 'package', 'model'));
    const input = tf.tensor3d(pixels, [112, 112, 3]);
    const expressions = await net.predictExpressions(input);
    input.dispose();
    net.dispose();
    return Float32Array.from(faceapi.FACE_EXPRESSION_LABELS, (label) => expressions[label]);
  }

  // The cpu backend advertises tfjs-node (console.warn) on first use; keep the output readable.
  async function quietly(fn) {
    const warn = console.warn;
    console.warn = () => {};
    try {
      return await fn();
    } finally {
      console.warn = warn;
    }
  }

  test('labels and normalisation match the package', (t) => {
    if (skipReason) return t.skip(skipReason);
    assert.deepEqual([...faceapi.FACE_EXPRESSION_LABELS], fe.labels);
    assert.equal(faceapi.version, fe.source.version);
    assert.deepEqual(FACE_EXPRESSION_MEAN, [122.782, 117.001, 104.298]);
  });

  const rows = [];
  for (const [label, crop] of Object.entries(FACE_CROPS)) {
    test(`${label}: ONNX in onnxruntime-web and litecnn = face-api TF.js (wasm and cpu backends)`, async (t) => {
      if (skipReason) return t.skip(skipReason);
      const pixels = facePixels(crop);
      const tfWasm = await faceApiProbabilities('wasm', pixels);
      const tfCpu = await quietly(() => faceApiProbabilities('cpu', pixels));
      const x = faceExpressionTensor(pixels);
      const dims = [1, 3, 112, 112];
      const ortOut = (await session.run({ input: new ort.Tensor('float32', x, dims) })).probabilities.data;
      const lcOut = (await model.run({ input: new litecnn.Tensor(x, dims) })).probabilities.data;
      // Saturated outputs (the smiling astronaut: happy = 1.0) hide differences in the small
      // probabilities, so log-probabilities above 1e-7 are compared too.
      const logDiff = (a, b) => Math.max(...Array.from(a, (v, i) => (v > 1e-7 || b[i] > 1e-7
        ? Math.abs(Math.log(Math.max(v, 1e-30)) - Math.log(Math.max(b[i], 1e-30))) : 0)));
      const row = {
        crop: label,
        top: fe.labels[tfWasm.indexOf(Math.max(...tfWasm))],
        ort_vs_tfjs_wasm: maxAbsDiff(ortOut, tfWasm),
        litecnn_vs_tfjs_wasm: maxAbsDiff(lcOut, tfWasm),
        tfjs_cpu_vs_wasm: maxAbsDiff(tfCpu, tfWasm),
        log_ort_vs_tfjs: logDiff(ortOut, tfWasm),
        log_litecnn_vs_tfjs: logDiff(lcOut, tfWasm),
      };
      rows.push(row);
      for (const key of ['ort_vs_tfjs_wasm', 'litecnn_vs_tfjs_wasm', 'tfjs_cpu_vs_wasm']) {
        assert.ok(row[key] <= 1e-4, `${key}: ${row[key]}`);
      }
      assert.ok(row.log_ort_vs_tfjs <= 1e-3 && row.log_litecnn_vs_tfjs <= 1e-3, JSON.stringify(row));
      if (crop.image === 'astronaut') assert.equal(row.top, 'happy');
    });
  }

  test('classify() straight from the cropped image (imageToTensor letterbox, mean/255)', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const crop = FACE_CROPS['astronaut face'];
    const { width, height, rgba } = cropRGBA(decodePng(join(MODELS_DIR, 'images', 'astronaut.png')), crop);
    const [top] = await model.classify({ data: rgba, width, height }, {
      fit: 'letterbox', mean: FACE_EXPRESSION_MEAN.map((m) => m / 255), std: [1, 1, 1], topK: 1,
    });
    assert.equal(top.label, 'happy');
    assert.ok(top.score > 0.99, `${top.score}`);
  });

  after(() => {
    if (rows.length) console.log(`\nface expression vs face-api TF.js (max abs diff of the 7 probabilities)\n${
      rows.map((r) => JSON.stringify(r, (k, v) => (typeof v === 'number' ? Number(v.toExponential(2)) : v))).join('\n')}\n`);
  });
});
