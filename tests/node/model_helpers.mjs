// Helpers for tests/node/models.test.mjs: model manifest access, deterministic
// inputs, image preprocessing and output comparison. Kept free of any
// litecnn import so the ONNX Runtime reference half can run on its own.

import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MODELS_DIR = join(REPO_ROOT, 'models');
// Same override as models/prepare.mjs.
export const GENERATED_DIR = process.env.LITECNN_MODELS_DIR || join(MODELS_DIR, 'generated');

export function loadManifest() {
  return JSON.parse(readFileSync(join(MODELS_DIR, 'manifest.json'), 'utf8'));
}

export function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Read a model listed in the manifest and check its sha256. Throws with the
 * fix ("run node models/prepare.mjs") if it is missing or differs.
 */
export function readModelBytes(entry) {
  const path = join(GENERATED_DIR, entry.file);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`node models/prepare.mjs\` first`);
  }
  const bytes = new Uint8Array(readFileSync(path));
  const got = sha256(bytes);
  if (got !== entry.sha256) {
    throw new Error(`${path}: sha256 ${got} != manifest ${entry.sha256}; ` +
      'run `node models/prepare.mjs` to regenerate');
  }
  return bytes;
}

// How far apart memoryStats().heapBytesInUse may read with the same live allocations. Not exact:
// emmalloc merges an alignment gap too small to be a free region into the block before it, so
// the same allocations read a few dozen bytes apart depending on where each landed (seen in CI:
// 2098652 vs 2098684 after 200 cycles); and the threads build's worker allocates its TLS block
// (~40 bytes) whenever its Worker has booted, which on a loaded machine can be cycles after the
// first run. Neither repeats. A leak does: one allocation per cycle, even emmalloc's smallest
// (16 bytes with its header), adds 1.6 KB over 100 cycles.
export const HEAP_SLACK = 1024;

// mulberry32: tiny 32-bit PRNG with a published reference implementation; the
// same integer recurrence is implemented in models/export_torchvision.py so
// the exporter can check top-5 separation on exactly this input.
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Float32Array of uniform values in [-1, 1), bit-identical to the Python side. */
export function seededUniform(seed, count) {
  const next = mulberry32(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (next() / 4294967296) * 2 - 1;
  return out;
}

export function decodePng(path) {
  const png = PNG.sync.read(readFileSync(path));
  return { width: png.width, height: png.height, rgba: png.data };
}

/**
 * Bilinear resize of an RGBA image to outW x outH RGB float (0..255), NHWC.
 * Uses half-pixel centres (align_corners=false), i.e. what cv2.resize /
 * tf.image.resize(bilinear) / ORT Resize(half_pixel) do. No antialiasing:
 * downscaling 512 -> 128 aliases a little, which is fine for a sanity check.
 */
export function resizeBilinearRGB({ width, height, rgba }, outW, outH) {
  const out = new Float32Array(outW * outH * 3);
  const sx = width / outW;
  const sy = height / outH;
  for (let y = 0; y < outH; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, height - 1);
    const wy = fy - y0;
    for (let x = 0; x < outW; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, width - 1);
      const wx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const p = (yy, xx) => rgba[(yy * width + xx) * 4 + c];
        const top = p(y0, x0) * (1 - wx) + p(y0, x1) * wx;
        const bot = p(y1, x0) * (1 - wx) + p(y1, x1) * wx;
        out[(y * outW + x) * 3 + c] = top * (1 - wy) + bot * wy;
      }
    }
  }
  return out;
}

/** BlazeFace input: RGB resized to size x size, scaled to [-1, 1], NHWC. */
export function blazefaceInput(pngPath, size = 128) {
  const rgb = resizeBilinearRGB(decodePng(pngPath), size, size);
  for (let i = 0; i < rgb.length; i++) rgb[i] = rgb[i] / 127.5 - 1;
  return rgb;
}

/** M-LSD input: RGB resized to size x size, 0..255, alpha 255, NHWC RGBA. */
export function mlsdInput(pngPath, size = 320) {
  const rgb = resizeBilinearRGB(decodePng(pngPath), size, size);
  const rgba = new Float32Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    rgba.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/**
 * One input for every graph input of a manifest model, as the benchmarks feed it: seeded uniform
 * [-1, 1) (the classifiers' and segmentation nets' test input, in range for BlazeFace), except
 * M-LSD, which takes 0..255 RGBA and on [-1, 1) noise is ill-conditioned enough that two float32
 * runtimes differ by 3e-4: it gets the astronaut photo.
 */
export function benchInputs(entry, seed = 0x11ce) {
  return Object.fromEntries(entry.inputs.map((i) => [i.name, entry.task === 'line-detection'
    ? mlsdInput(join(MODELS_DIR, 'images', 'astronaut.png'), i.dims[1])
    : seededUniform(seed, i.dims.reduce((a, b) => a * b, 1))]));
}

/**
 * M-LSD's scores are sigmoid(s) where s is a 3x3 local maximum (Equal(MaxPool(s), s)), else 0:
 * two runtimes whose float32 s differ by an ulp may disagree on a near-tie peak. Returns the
 * cells where exactly one of a, b is 0 and the largest value there.
 */
export function peakMaskFlips(a, b) {
  let count = 0, largest = 0;
  for (let i = 0; i < a.length; i++) {
    if ((a[i] === 0) !== (b[i] === 0)) {
      count++;
      largest = Math.max(largest, a[i], b[i]);
    }
  }
  return { count, largest };
}

/** Copies of a and b with the cells peakMaskFlips counts set to 0 in both. */
export function withoutPeakFlips(a, b) {
  const got = Float32Array.from(a), ref = Float32Array.from(b);
  for (let i = 0; i < got.length; i++) {
    if ((got[i] === 0) !== (ref[i] === 0)) got[i] = ref[i] = 0;
  }
  return { got, ref };
}

// M-LSD's scores keep only 3x3 peaks, so near-tie peaks flip between runtimes (peakMaskFlips); they are compared without those cells, as models.test.mjs does.
const PEAK_MASKED = { 'line-detection': 'scores' };

/**
 * The output (by name) where got differs most from ref, relative to max |ref|: { relative,
 * max_abs_diff, scale, output }. got/ref map names to { data }; task is the manifest's.
 */
export function compareOutputs(got, ref, task) {
  let worst = { relative: 0, max_abs_diff: 0, scale: 0, output: null };
  for (const [name, r] of Object.entries(ref)) {
    const g = got[name];
    if (!g) return { relative: Infinity, output: name, missing: true };
    const scale = maxAbs(r.data);
    const pair = PEAK_MASKED[task] === name ? withoutPeakFlips(g.data, r.data) : { got: g.data, ref: r.data };
    const diff = maxAbsDiff(pair.got, pair.ref);
    const rel = scale > 0 ? diff / scale : diff;
    if (!(rel <= worst.relative)) worst = { relative: rel, max_abs_diff: diff, scale, output: name };
  }
  return worst;
}

/** Indices of the k largest values, largest first (ties: lower index first). */
export function topK(data, k) {
  const idx = Array.from(data.keys());
  idx.sort((a, b) => data[b] - data[a] || a - b);
  return idx.slice(0, k);
}

export function maxAbs(data) {
  let m = 0;
  for (const v of data) m = Math.max(m, Math.abs(v));
  return m;
}

/** Largest value (BlazeFace score logits are mostly negative, so not |x|). */
export function maxValue(data) {
  let m = -Infinity;
  for (const v of data) if (v > m) m = v;
  return m;
}

/** Max |a-b|; NaN anywhere (or a length mismatch) yields Infinity. */
export function maxAbsDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

export const sigmoid = (x) => 1 / (1 + Math.exp(-x));

// --- face expression (models/convert_face_expression.py) ---------------------------------------

/** face-api's per-channel RGB mean; the net's input is (pixel - mean) / 255. */
export const FACE_EXPRESSION_MEAN = [122.782, 117.001, 104.298];
export const FACE_EXPRESSION_SIZE = 112;

/**
 * Square crops of the test photos the expression net is compared on: the astronaut's face
 * (BlazeFace's box, x 179-272, y 81-174, with ~20% margin), the same shifted by a quarter of its
 * size, and the whole cat photo squeezed to a square.
 */
export const FACE_CROPS = {
  'astronaut face': { image: 'astronaut', x: 161, y: 64, width: 128, height: 128 },
  'astronaut face shifted': { image: 'astronaut', x: 193, y: 96, width: 128, height: 128 },
  'astronaut face flipped': { image: 'astronaut', x: 161, y: 64, width: 128, height: 128, flip: true },
  'chelsea.png': { image: 'chelsea' },
};

/** An integer sub-rectangle of a decoded image (inside its bounds), optionally mirrored. */
export function cropRGBA({ width, height, rgba }, { x = 0, y = 0, width: w = width, height: h = height, flip = false }) {
  if (x < 0 || y < 0 || x + w > width || y + h > height) throw new Error('crop outside the image');
  const out = new Uint8Array(w * h * 4);
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      const src = ((y + row) * width + x + (flip ? w - 1 - col : col)) * 4;
      out.set(rgba.subarray(src, src + 4), (row * w + col) * 4);
    }
  }
  return { width: w, height: h, rgba: out };
}

/** A FACE_CROPS entry as 112x112 RGB pixel values (0..255 floats), NHWC: face-api's input. */
export function facePixels(crop) {
  const image = decodePng(join(MODELS_DIR, 'images', `${crop.image}.png`));
  return resizeBilinearRGB(cropRGBA(image, crop), FACE_EXPRESSION_SIZE, FACE_EXPRESSION_SIZE);
}

/** NHWC pixels -> the ONNX model's input: NCHW, (pixel - mean) / 255. */
export function faceExpressionTensor(pixels, size = FACE_EXPRESSION_SIZE) {
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = (pixels[i * 3 + c] - FACE_EXPRESSION_MEAN[c]) / 255;
  }
  return out;
}
