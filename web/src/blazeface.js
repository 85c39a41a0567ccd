// Face detection with MediaPipe's BlazeFace (front-camera model, 128x128): the post-processing
// the network leaves out (anchors, decoding, score threshold, non-max suppression) and
// detectFaces(), which runs a loaded BlazeFace model on an image end to end.
//
//   import { loadModel } from 'litecnn';
//   import { detectFaces } from 'litecnn/blazeface';
//   const model = await loadModel('blazeface.onnx');
//   const faces = await detectFaces(model, video);  // [{score, box, keypoints}], in video pixels
//
// A separate entry point (not re-exported by index.js) so pages that only classify do not
// download it. Pure JS: the model runs in wasm like any other.
import { checkChoice, checkOptionKeys, fail, isFiniteNumber } from './errors.js';
import { imageSize, imageToTensor } from './image.js';

/** Side of the model's square input, in pixels. */
export const BLAZEFACE_INPUT_SIZE = 128;

/** The six keypoints, in the model's order; left/right are the person's own. */
export const BLAZEFACE_KEYPOINTS = Object.freeze([
  'rightEye', 'leftEye', 'noseTip', 'mouthCenter', 'rightEarTragion', 'leftEarTragion',
]);

// MediaPipe's SSD anchor options for face_detection_front: 4 layers with strides 8, 16, 16, 16;
// layers of equal stride share one grid, each layer giving 2 anchors per cell (aspect ratio 1
// and the interpolated scale). So a 16x16 grid with 2 anchors per cell, then an 8x8 grid with
// 6. With fixed_anchor_size every anchor is 1x1, so only the centres matter.
const ANCHOR_LAYERS = [
  { grid: 16, perCell: 2 },
  { grid: 8, perCell: 6 },
];
const VALUES_PER_ANCHOR = 16;  // box (dx, dy, w, h) + 6 keypoints (x, y)
const SCORE_CLIP = 100;        // MediaPipe's score_clipping_thresh, before the sigmoid

let anchors = null;

/**
 * The 896 anchor centres as a Float32Array [x0, y0, x1, y1, ...], normalised to [0, 1] of the
 * input: 16x16 cells x 2 anchors, then 8x8 x 6, row by row, centres at ((col + 0.5) / grid,
 * (row + 0.5) / grid). The order of the model's outputs.
 */
export function blazefaceAnchors() {
  if (anchors !== null) return anchors;
  const count = ANCHOR_LAYERS.reduce((n, l) => n + l.grid * l.grid * l.perCell, 0);
  anchors = new Float32Array(2 * count);
  let i = 0;
  for (const { grid, perCell } of ANCHOR_LAYERS) {
    for (let row = 0; row < grid; row++) {
      for (let col = 0; col < grid; col++) {
        for (let k = 0; k < perCell; k++) {
          anchors[i++] = (col + 0.5) / grid;
          anchors[i++] = (row + 0.5) / grid;
        }
      }
    }
  }
  return anchors;
}

function checkUnit(value, fallback, what) {
  if (value === undefined) return fallback;
  if (!isFiniteNumber(value) || value < 0 || value > 1) fail(`${what} must be a number from 0 to 1, got ${value}`);
  return value;
}

/**
 * Decodes raw BlazeFace outputs into detections with a score >= scoreThreshold (default 0.5),
 * in input order. scores: 896 logits; boxes: 896 x 16 values (anchors in blazefaceAnchors()
 * order). Returns [{score, box: {x, y, width, height}, keypoints: [{name, x, y}]}], all
 * coordinates normalised to [0, 1] of the 128x128 input (x, y: the box's top-left corner).
 */
export function decodeBlazeFace(scores, boxes, { scoreThreshold } = {}) {
  const centres = blazefaceAnchors();
  const count = centres.length / 2;
  if (scores?.length !== count || boxes?.length !== count * VALUES_PER_ANCHOR) {
    fail(`decodeBlazeFace: expected ${count} scores and ${count * VALUES_PER_ANCHOR} box values, ` +
      `got ${scores?.length} and ${boxes?.length}`);
  }
  const threshold = checkUnit(scoreThreshold, 0.5, 'scoreThreshold');
  const size = BLAZEFACE_INPUT_SIZE;
  const detections = [];
  for (let i = 0; i < count; i++) {
    const logit = Math.min(Math.max(scores[i], -SCORE_CLIP), SCORE_CLIP);
    const score = 1 / (1 + Math.exp(-logit));
    if (!(score >= threshold)) continue;
    const ax = centres[2 * i];
    const ay = centres[2 * i + 1];
    const v = boxes.subarray(i * VALUES_PER_ANCHOR, (i + 1) * VALUES_PER_ANCHOR);
    // Offsets and sizes are in input pixels; anchors are 1x1, so no anchor scaling.
    const cx = ax + v[0] / size;
    const cy = ay + v[1] / size;
    const width = v[2] / size;
    const height = v[3] / size;
    const keypoints = BLAZEFACE_KEYPOINTS.map((name, k) => ({
      name, x: ax + v[4 + 2 * k] / size, y: ay + v[5 + 2 * k] / size,
    }));
    detections.push({ score, box: { x: cx - width / 2, y: cy - height / 2, width, height }, keypoints });
  }
  return detections;
}

/** Intersection over union of two {x, y, width, height} boxes (0 if either is empty). */
export function iou(a, b) {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (!(w > 0 && h > 0)) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/**
 * Non-max suppression of detections ({score, box, keypoints?}), best first. Repeatedly takes
 * the best remaining detection and removes every remaining one whose IoU with it exceeds
 * iouThreshold (default 0.3, MediaPipe's). method 'weighted' (default; MediaPipe's "blending"
 * for BlazeFace) replaces the kept box and keypoints with the score-weighted mean over the
 * removed group, keeping the best score; 'hard' keeps the best detection unchanged.
 * maxDetections (default Infinity) stops early.
 */
export function nonMaxSuppression(detections, { iouThreshold, method = 'weighted', maxDetections = Infinity } = {}) {
  const threshold = checkUnit(iouThreshold, 0.3, 'iouThreshold');
  if (method !== 'weighted' && method !== 'hard') fail(`method must be "weighted" or "hard", got ${method}`);
  if (!(maxDetections >= 0)) fail(`maxDetections must be a non-negative number, got ${maxDetections}`);
  let remaining = [...detections].sort((a, b) => b.score - a.score);
  const kept = [];
  while (remaining.length > 0 && kept.length < maxDetections) {
    const best = remaining[0];
    const group = [];
    const rest = [];
    for (const d of remaining) (d === best || iou(best.box, d.box) > threshold ? group : rest).push(d);
    kept.push(method === 'hard' || group.length === 1 ? best : blend(best, group));
    remaining = rest;
  }
  return kept;
}

// Score-weighted mean of the group's boxes and keypoints; the best detection's score.
function blend(best, group) {
  let total = 0;
  const box = { x: 0, y: 0, width: 0, height: 0 };
  const keypoints = (best.keypoints ?? []).map(({ name }) => ({ name, x: 0, y: 0 }));
  for (const d of group) {
    total += d.score;
    for (const key of ['x', 'y', 'width', 'height']) box[key] += d.score * d.box[key];
    keypoints.forEach((k, i) => {
      k.x += d.score * d.keypoints[i].x;
      k.y += d.score * d.keypoints[i].y;
    });
  }
  for (const key of ['x', 'y', 'width', 'height']) box[key] /= total;
  for (const k of keypoints) {
    k.x /= total;
    k.y /= total;
  }
  return { ...best, box, keypoints };
}

// Finds the model's four outputs by shape: scores [1, 512, 1] and [1, 384, 1], boxes
// [1, 512, 16] and [1, 384, 16]; concatenated in anchor order.
function outputsInAnchorOrder(outputs) {
  const find = (anchorsInLayer, last) => {
    const t = Object.values(outputs).find((o) => o.dims.length === 3 && o.dims[1] === anchorsInLayer && o.dims[2] === last);
    if (t === undefined) {
      fail(`BlazeFace: the model has no output of dims [1, ${anchorsInLayer}, ${last}]; is it BlazeFace ` +
        `(front, 128x128)? Outputs: ${Object.entries(outputs).map(([n, o]) => `${n} [${o.dims.join(', ')}]`).join(', ')}`);
    }
    return t.data;
  };
  const join = (a, b) => {
    const out = new Float32Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  return {
    scores: join(find(512, 1), find(384, 1)),
    boxes: join(find(512, VALUES_PER_ANCHOR), find(384, VALUES_PER_ANCHOR)),
  };
}

const FITS = ['letterbox', 'stretch'];  // the first is the default
const FACE_OPTIONS = ['scoreThreshold', 'iouThreshold', 'nms', 'maxFaces', 'transform'];

/**
 * BlazeFace outputs (model.run()'s result, or any {name: {data, dims}}; found by their dims)
 * to faces, best first: decodeBlazeFace, then nonMaxSuppression. options: scoreThreshold,
 * iouThreshold, nms ('weighted' | 'hard'), maxFaces, and transform {scaleX, scaleY, offsetX,
 * offsetY} (imageToTensor's letterbox info: tensor x = image x * scaleX + offsetX) to get
 * image pixels; without it, coordinates are normalised to [0, 1] of the 128x128 input.
 */
export function facesFromOutputs(outputs, options = {}) {
  const { scoreThreshold, iouThreshold, nms = 'weighted', maxFaces = Infinity, transform } =
    checkOptionKeys(options, FACE_OPTIONS, 'facesFromOutputs');
  const { scores, boxes } = outputsInAnchorOrder(outputs);
  const faces = nonMaxSuppression(decodeBlazeFace(scores, boxes, { scoreThreshold }),
    { iouThreshold, method: nms, maxDetections: maxFaces });
  if (transform === undefined) return faces;
  const { scaleX, scaleY, offsetX, offsetY } = transform;
  if (![scaleX, scaleY, offsetX, offsetY].every(isFiniteNumber) || !(scaleX > 0 && scaleY > 0)) {
    fail('facesFromOutputs: transform must be {scaleX > 0, scaleY > 0, offsetX, offsetY}');
  }
  // Normalised input coordinates -> tensor pixels -> image pixels.
  const size = BLAZEFACE_INPUT_SIZE;
  const toX = (x) => (x * size - offsetX) / scaleX;
  const toY = (y) => (y * size - offsetY) / scaleY;
  return faces.map(({ score, box, keypoints }) => ({
    score,
    box: { x: toX(box.x), y: toY(box.y), width: (box.width * size) / scaleX, height: (box.height * size) / scaleY },
    keypoints: keypoints.map(({ name, x, y }) => ({ name, x: toX(x), y: toY(y) })),
  }));
}

/**
 * The model input for an image: 128x128 RGB scaled to [-1, 1], NHWC, fitted with fit
 * 'letterbox' (default: keeps the aspect ratio, like MediaPipe) or 'stretch'. Resolves to
 * {input, transform}: the Tensor and the tensor-from-image mapping for facesFromOutputs.
 */
export async function blazefaceInput(image, { fit = 'letterbox' } = {}) {
  checkChoice(fit, FITS, 'blazefaceInput: fit');
  const size = BLAZEFACE_INPUT_SIZE;
  const input = await imageToTensor(image, { width: size, height: size, fit, layout: 'nhwc', scale: 2 / 255, offset: -1 });
  if (fit === 'letterbox') {
    const { scaleX, scaleY, offsetX, offsetY } = input.letterbox;
    return { input, transform: { scaleX, scaleY, offsetX, offsetY } };
  }
  const [width, height] = imageSize(image);
  return { input, transform: { scaleX: size / width, scaleY: size / height, offsetX: 0, offsetY: 0 } };
}

/**
 * Detects faces in an image (anything imageToTensor takes) with a loaded BlazeFace model:
 * blazefaceInput, model.run, facesFromOutputs. Options: fit ('letterbox' | 'stretch'),
 * scoreThreshold (0.5), iouThreshold (0.3), nms ('weighted' | 'hard'), maxFaces (Infinity).
 * Resolves to [{score, box: {x, y, width, height}, keypoints: [{name, x, y}]}], best first, in
 * the source image's pixels (box x, y: top-left corner; boxes may extend past the edges).
 */
export async function detectFaces(model, image, options = {}) {
  const { fit, ...rest } = checkOptionKeys(options, ['fit', ...FACE_OPTIONS.filter((k) => k !== 'transform')], 'detectFaces');
  if (model?.inputs?.length !== 1) fail('detectFaces: expected a loaded BlazeFace model (one input)');
  const { input, transform } = await blazefaceInput(image, { fit });
  const outputs = await model.run({ [model.inputs[0].name]: input });
  return facesFromOutputs(outputs, { ...rest, transform });
}
