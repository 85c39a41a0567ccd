// The demo's inference, off the main thread: a module Worker that owns the models. Frames
// arrive as ImageBitmaps (transferred, so nothing is copied on the main thread) and results go
// back as plain objects. One message at a time is in flight: the page sends the next frame
// only after the previous result, so frames never queue up behind a slow model.
//
// Messages in:  {type: 'load', model: {kind, url?, bytes?, labels?, name}}
//               {type: 'frame', id, bitmap}     {type: 'profile', bitmap}
// Messages out: {type: 'ready', backend}  {type: 'progress', loaded, total}
//               {type: 'loaded', info}     {type: 'result', id, ms, faces | top}
//               {type: 'profile', layers, ms}  {type: 'error', message, during}
import * as litecnn from '../src/index.js';
import { blazefaceInput, facesFromOutputs } from '../src/blazeface.js';

// face-api's expression net: its classes, and the per-channel means it subtracts from 0..255.
const EXPRESSIONS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'];
const EXPRESSION_OPTIONS = {
  fit: 'letterbox', mean: [122.782 / 255, 117.001 / 255, 104.298 / 255], std: [1, 1, 1], topK: 1,
};
const IMAGENET = { fit: 'crop', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
// BlazeFace boxes are tight around the eyes and mouth; the expression net was trained on
// looser crops (face-api aligns them with its landmark net). 1.4x around the centre matches.
const FACE_CROP_SCALE = 1.4;
const MAX_FACES = 4;

let current = null;  // {kind, models: {...}, labels}
let cropCanvas = null;

// {build, threads, simd, crossOriginIsolated}: the build litecnn chose for this worker (the
// threads build when the page is cross-origin isolated).
function backend() {
  return litecnn.backendInfo();
}

async function load({ kind, url, bytes, labels, name }) {
  const onProgress = (loaded, total) => postMessage({ type: 'progress', loaded, total });
  const previous = current;
  current = null;
  for (const m of Object.values(previous?.models ?? {})) m.dispose();
  if (kind === 'faces') {
    const detector = await litecnn.loadModel(url.detector, { onProgress });
    const expression = await litecnn.loadModel(url.expression, { labels: EXPRESSIONS });
    current = { kind, models: { detector, expression } };
  } else {
    const model = await litecnn.loadModel(bytes ?? url, { onProgress, labels: labels ?? undefined });
    current = { kind, models: { model } };
  }
  const main = current.models.detector ?? current.models.model;
  const ops = main.summary();
  const macs = Object.values(current.models).flatMap((m) => m.summary()).reduce((n, s) => n + s.macs, 0);
  return {
    name,
    kind,
    inputs: main.inputs,
    outputs: main.outputs,
    labels: main.labels?.length ?? 0,
    nodes: ops.length,
    macs,
  };
}

// The face's box grown around its centre, clipped to the frame.
function cropBox(box, width, height) {
  const side = Math.max(box.width, box.height) * FACE_CROP_SCALE;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const x = Math.max(0, Math.round(cx - side / 2));
  const y = Math.max(0, Math.round(cy - side / 2));
  return {
    x, y, width: Math.max(1, Math.min(width, Math.round(cx + side / 2)) - x),
    height: Math.max(1, Math.min(height, Math.round(cy + side / 2)) - y),
  };
}

async function faces(bitmap, profile) {
  const { detector, expression } = current.models;
  const { input, transform } = await blazefaceInput(bitmap);
  const feeds = { [detector.inputs[0].name]: input };
  const run = profile ? await detector.profile(feeds) : { outputs: await detector.run(feeds), layers: [] };
  const found = facesFromOutputs(run.outputs, { transform, maxFaces: MAX_FACES });
  cropCanvas ??= new OffscreenCanvas(112, 112);
  const context = cropCanvas.getContext('2d');
  const layers = run.layers.map((l) => ({ ...l, model: 'detector' }));
  for (const face of found) {
    const c = cropBox(face.box, bitmap.width, bitmap.height);
    cropCanvas.width = c.width;
    cropCanvas.height = c.height;
    context.drawImage(bitmap, c.x, c.y, c.width, c.height, 0, 0, c.width, c.height);
    [face.expression] = await expression.classify(cropCanvas, EXPRESSION_OPTIONS);
    if (profile && face === found[0]) {
      const { topK, ...imageOptions } = EXPRESSION_OPTIONS;
      const { name, width, height, layout } = expression.imageInput;
      const x = await litecnn.imageToTensor(cropCanvas, { ...imageOptions, width, height, layout });
      const p = await expression.profile({ [name]: x });
      layers.push(...p.layers.map((l) => ({ ...l, model: 'expression' })));
    }
  }
  return { faces: found, layers };
}

async function classify(bitmap, profile) {
  const { model } = current.models;
  if (!profile) return { top: await model.classify(bitmap, { ...IMAGENET, topK: 5 }), layers: [] };
  // The same input classify() makes (the layout and size from model.imageInput).
  if (!(model.imageInput?.width > 0)) return { top: await model.classify(bitmap), layers: [] };  // classify's error
  const { name, width, height, layout } = model.imageInput;
  const input = await litecnn.imageToTensor(bitmap, { ...IMAGENET, width, height, layout });
  const { layers } = await model.profile({ [name]: input });
  return { top: null, layers };
}

async function infer(bitmap, profile = false) {
  if (current === null) throw new Error('no model is loaded');
  return current.kind === 'faces' ? faces(bitmap, profile) : classify(bitmap, profile);
}

// One message at a time: a load must not dispose models under a running frame.
let queue = Promise.resolve();
onmessage = ({ data }) => {
  queue = queue.then(() => handle(data));
};

async function handle(data) {
  const t0 = performance.now();
  try {
    if (data.type === 'load') {
      postMessage({ type: 'loaded', info: await load(data.model), ms: performance.now() - t0 });
    } else if (data.type === 'frame') {
      const result = await infer(data.bitmap);
      postMessage({ type: 'result', id: data.id, ms: performance.now() - t0, faces: result.faces, top: result.top });
    } else if (data.type === 'profile') {
      await infer(data.bitmap);  // warm: the profile should show steady-state times
      const { layers } = await infer(data.bitmap, true);
      postMessage({ type: 'profile', layers, ms: performance.now() - t0 });
    }
  } catch (error) {
    postMessage({ type: 'error', during: data.type, id: data.id, message: error?.message ?? String(error) });
  } finally {
    data.bitmap?.close();
  }
}

try {
  await litecnn.init();
  postMessage({ type: 'ready', backend: await backend() });
} catch (error) {
  postMessage({ type: 'error', during: 'init', message: error?.message ?? String(error) });
}
