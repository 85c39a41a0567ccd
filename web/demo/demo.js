// The webcam demo's page: camera (or a photo), a canvas with the results drawn over each frame,
// read-outs, and the controls. Inference runs in worker.js; this thread only draws and sends
// frames, one at a time (the next frame leaves when the previous result is back).
//
// window.litecnnDemo exposes the state for the browser tests (tests/browser/demo.test.mjs).

import { parseLabels } from '../src/sources.js';
import { median } from '../src/stats.js';

const GENERATED = new URL('../../models/generated/', import.meta.url);
const SAMPLE_PHOTO = new URL('../../models/images/astronaut.png', import.meta.url);
const LABELS = new URL('imagenet_labels.txt', GENERATED).href;
const RANDOM_NOTE = 'Seeded random weights (no pretrained weights ship for it): the classes are not ' +
  'meaningful, the speed is real. Try "Use your own model" for a trained one.';

const MODELS = [
  {
    id: 'faces', name: 'Faces: BlazeFace + expression', kind: 'faces',
    url: { detector: new URL('blazeface.onnx', GENERATED).href, expression: new URL('face_expression.onnx', GENERATED).href },
    note: 'Real pretrained models: MediaPipe BlazeFace (face boxes and 6 keypoints) and face-api\'s ' +
      'expression net (7 expressions) on each face.',
  },
  ...[
    ['mobilenet_v2', 'MobileNetV2'], ['mobilenet_v3_small', 'MobileNetV3 small'], ['squeezenet1_0', 'SqueezeNet 1.0'],
    ['squeezenet1_1', 'SqueezeNet 1.1'], ['shufflenet_v2_x0_5', 'ShuffleNetV2 x0.5'], ['shufflenet_v2_x1_0', 'ShuffleNetV2 x1.0'],
  ].map(([id, name]) => ({
    id, name: `${name} (speed demo)`, kind: 'classify', url: new URL(`${id}.onnx`, GENERATED).href, labels: LABELS, note: RANDOM_NOTE,
  })),
];
const WINDOW = 30;  // results in the FPS and median read-outs
const CHART_POINTS = 60;

const $ = (id) => document.getElementById(id);
const stage = $('stage');
const context = stage.getContext('2d');
const video = $('video');

const state = {
  ready: false,          // the worker has the engine
  backend: null,         // {simd, threads, build, crossOriginIsolated}
  model: null,           // the MODELS entry (or {id: 'own', ...}) being shown
  loadedModel: null,     // worker's info about the loaded model
  loading: false,
  source: null,          // 'camera' | 'image'
  sourceMessage: null,   // why the camera is not used, if it is not
  frameSize: null,       // [width, height]
  results: 0,            // results received for the current model
  faces: null,           // last face results (faces mode)
  top: null,             // last top-5 (classification)
  latencies: [],         // worker ms, last CHART_POINTS
  times: [],             // arrival times of the last WINDOW results
  fps: 0,
  latencyMs: 0,
  profile: null,         // [{op, ms}] by op, after "Profile"
  errors: [],
};

let worker = null;
let image = null;        // ImageBitmap of the photo source
let busy = false;        // a frame is in the worker
let frameId = 0;
let ownLabels = null;

// --- read-outs ----------------------------------------------------------------------------------

function setStatus(text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
}

function showBackend(b) {
  const simd = $('badge-simd');
  simd.textContent = b.simd ? 'SIMD: on' : 'SIMD: off';
  simd.className = b.simd ? 'on' : 'off';
  const threads = $('badge-threads');
  if (b.threads > 1) {
    threads.textContent = `threads: ${b.threads}`;
    threads.className = 'on';
  } else {
    threads.textContent = b.crossOriginIsolated ? 'threads: 1 (single-threaded build)' : 'threads: 1 (page not cross-origin isolated)';
    threads.className = 'off';
  }
}


function updateReadouts() {
  const t = state.times;
  state.fps = t.length > 1 ? ((t.length - 1) * 1000) / (t[t.length - 1] - t[0]) : 0;
  state.latencyMs = median(state.latencies.slice(-WINDOW)) ?? 0;
  $('fps').textContent = state.fps ? state.fps.toFixed(1) : '–';
  $('latency').textContent = state.latencyMs ? `${state.latencyMs.toFixed(1)} ms` : '–';
  $('frame-size').textContent = state.frameSize ? `${state.frameSize[0]}×${state.frameSize[1]}` : '–';
  drawChart();
}

function drawChart() {
  const chart = $('chart');
  const c = chart.getContext('2d');
  const values = state.latencies;
  c.clearRect(0, 0, chart.width, chart.height);
  if (values.length < 2) return;
  const max = Math.max(...values) * 1.15;
  c.strokeStyle = '#4cc38a';
  c.lineWidth = 2;
  c.beginPath();
  values.forEach((v, i) => {
    const x = (i / (CHART_POINTS - 1)) * chart.width;
    const y = chart.height - (v / max) * (chart.height - 4) - 2;
    if (i === 0) c.moveTo(x, y);
    else c.lineTo(x, y);
  });
  c.stroke();
  c.fillStyle = '#8b98a5';
  c.font = '11px system-ui';
  c.fillText(`${max.toFixed(0)} ms`, 4, 12);
}

function shortLabel(label) {
  return label.split(',')[0];
}

function showResults() {
  const list = $('results');
  list.replaceChildren();
  const add = (text, score) => {
    const li = document.createElement('li');
    li.textContent = text;
    if (score !== undefined) {
      const s = document.createElement('span');
      s.className = 'score';
      s.textContent = score;
      li.append(s);
    }
    list.append(li);
  };
  if (state.faces) {
    if (state.faces.length === 0) add('no face');
    for (const f of state.faces) {
      add(`face: ${f.expression ? f.expression.label : '…'}`, `${(f.score * 100).toFixed(0)}% face, ${((f.expression?.score ?? 0) * 100).toFixed(0)}% ${f.expression?.label ?? ''}`);
    }
  } else if (state.top) {
    for (const c of state.top) add(shortLabel(c.label), `${(c.score * 100).toFixed(1)}%`);
  }
}

function showProfile(layers) {
  // Time per op type (per model when the mode runs two: "detector Conv", "expression Conv").
  const byOp = new Map();
  for (const l of layers) {
    const key = l.model ? `${l.model} ${l.op}` : l.op;
    byOp.set(key, (byOp.get(key) ?? 0) + l.ms);
  }
  const rows = [...byOp].map(([op, ms]) => ({ op, ms })).sort((a, b) => b.ms - a.ms);
  state.profile = rows;
  const total = rows.reduce((n, r) => n + r.ms, 0);
  const box = $('profile');
  box.replaceChildren();
  const caption = document.createElement('p');
  caption.className = 'note';
  caption.textContent = `${layers.length} layers after fusion, ${total.toFixed(1)} ms in all (time per op type):`;
  box.append(caption);
  for (const r of rows) {
    const row = document.createElement('div');
    row.className = 'row';
    const name = document.createElement('span');
    name.textContent = r.op;
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.style.width = `${Math.max(1, (100 * r.ms) / rows[0].ms)}%`;
    const ms = document.createElement('span');
    ms.className = 'ms';
    ms.textContent = `${r.ms.toFixed(2)} ms`;
    row.append(name, bar, ms);
    box.append(row);
  }
}

// --- drawing ------------------------------------------------------------------------------------

function currentFrame() {
  if (state.source === 'camera' && video.readyState >= 2 && video.videoWidth > 0) return video;
  if (state.source === 'image') return image;
  return null;
}

function frameDims(frame) {
  return frame === video ? [video.videoWidth, video.videoHeight] : [frame.width, frame.height];
}

function draw() {
  const frame = currentFrame();
  if (frame === null) return;
  const [w, h] = frameDims(frame);
  if (stage.width !== w || stage.height !== h) {
    stage.width = w;
    stage.height = h;
  }
  state.frameSize = [w, h];
  context.drawImage(frame, 0, 0, w, h);
  const scale = Math.max(w, h) / 640;
  context.lineWidth = 3 * scale;
  context.font = `${Math.round(18 * scale)}px system-ui, sans-serif`;
  context.textBaseline = 'bottom';
  if (state.faces) {
    for (const f of state.faces) {
      const { x, y, width, height } = f.box;
      context.strokeStyle = '#4cc38a';
      context.strokeRect(x, y, width, height);
      context.fillStyle = '#f5a524';
      for (const k of f.keypoints) {
        context.beginPath();
        context.arc(k.x, k.y, 3.5 * scale, 0, 2 * Math.PI);
        context.fill();
      }
      if (f.expression) label(`${f.expression.label} ${(f.expression.score * 100).toFixed(0)}%`, x, y);
    }
  } else if (state.top?.length) {
    const caveat = state.model?.note === RANDOM_NOTE ? ' (random weights)' : '';
    label(`${shortLabel(state.top[0].label)} ${(state.top[0].score * 100).toFixed(1)}%${caveat}`, 8 * scale, 34 * scale);
  }
}

function label(text, x, y) {
  const pad = 4;
  const width = context.measureText(text).width + 2 * pad;
  const height = parseInt(context.font, 10) + 2 * pad;
  context.fillStyle = 'rgba(15, 20, 25, 0.8)';
  context.fillRect(x, Math.max(0, y - height), width, height);
  context.fillStyle = '#e6edf3';
  context.fillText(text, x + pad, Math.max(height, y) - pad);
}

// --- frames to the worker ----------------------------------------------------------------------

async function sendFrame() {
  const frame = currentFrame();
  if (busy || !state.ready || state.loading || state.loadedModel === null || frame === null) return;
  busy = true;
  try {
    const bitmap = await createImageBitmap(frame);
    worker.postMessage({ type: 'frame', id: ++frameId, bitmap }, [bitmap]);
  } catch (error) {
    busy = false;
    reportError(`cannot read the frame: ${error.message}`);
  }
}

// Every display frame: the latest video frame (or the photo) and the latest results on top;
// a new frame goes to the worker whenever it is free.
function loop() {
  draw();
  sendFrame();
  requestAnimationFrame(loop);
}

function reportError(message) {
  state.errors.push(message);
  setStatus(message, true);
}

// --- sources ------------------------------------------------------------------------------------

function showSourceMessage(text) {
  state.sourceMessage = text;
  $('source-message').textContent = text;
  $('source-message').hidden = text === null;
}

async function useImage(blobOrUrl) {
  const blob = blobOrUrl instanceof Blob ? blobOrUrl : await (await fetch(blobOrUrl)).blob();
  const bitmap = await createImageBitmap(blob);
  image?.close();
  image = bitmap;
  stopCamera();
  state.source = 'image';
}

function stopCamera() {
  const stream = video.srcObject;
  if (stream) for (const track of stream.getTracks()) track.stop();
  video.srcObject = null;
}

async function useCamera() {
  const why = (error) => {
    if (!navigator.mediaDevices?.getUserMedia) return 'This browser gives the page no camera (it needs https or localhost).';
    if (error?.name === 'NotAllowedError') return 'Camera permission was denied.';
    if (error?.name === 'NotFoundError' || error?.name === 'OverconstrainedError') return 'No camera was found.';
    if (error?.name === 'NotReadableError') return 'The camera is in use by another application.';
    return `The camera could not start (${error?.message ?? error}).`;
  };
  try {
    if (!navigator.mediaDevices?.getUserMedia) throw new Error('no getUserMedia');
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
    video.srcObject = stream;
    await video.play();
    state.source = 'camera';
    showSourceMessage(null);
  } catch (error) {
    showSourceMessage(`${why(error)} Showing the sample photo instead; you can also choose your own image.`);
    if (state.source !== 'image') await useImage(SAMPLE_PHOTO);
  }
}

// --- models -------------------------------------------------------------------------------------

function resetResults() {
  state.results = 0;
  state.faces = null;
  state.top = null;
  state.latencies = [];
  state.times = [];
  state.profile = null;
  $('profile').replaceChildren();
  showResults();
  updateReadouts();
}

function loadModel(entry, extra = {}) {
  state.model = entry;
  state.loading = true;
  state.loadedModel = null;
  resetResults();
  $('model-note').textContent = entry.note ?? '';
  $('profile-button').disabled = true;
  $('progress').hidden = false;
  $('progress').value = 0;
  setStatus(`loading ${entry.name}…`);
  worker.postMessage({ type: 'load', model: { kind: entry.kind, url: entry.url, labels: entry.labels, name: entry.name, ...extra } });
}

async function loadOwnModel(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const entry = { id: 'own', name: file.name, kind: 'classify', note: `Your model, ${(file.size / 1e6).toFixed(1)} MB, loaded from this computer.` };
  const option = $('model').querySelector('option[value="own"]') ?? $('model').appendChild(document.createElement('option'));
  option.value = 'own';
  option.textContent = `Your model: ${file.name}`;
  $('model').value = 'own';
  loadModel(entry, { bytes, labels: ownLabels ?? undefined });
}

async function readLabels(file) {
  const lines = parseLabels(await file.text());  // as loadModel reads a labels file
  ownLabels = lines;
  $('own-labels-name').textContent = `${file.name}: ${lines.length} labels (used by the next model you load)`;
}

// --- worker messages ----------------------------------------------------------------------------

function onWorkerMessage({ data }) {
  switch (data.type) {
    case 'ready':
      state.ready = true;
      state.backend = data.backend;
      showBackend(data.backend);
      loadModel(MODELS[0]);
      break;
    case 'progress':
      $('progress').value = data.total > 0 ? data.loaded / data.total : 0;
      break;
    case 'loaded':
      state.loading = false;
      state.loadedModel = data.info;
      $('progress').hidden = true;
      $('profile-button').disabled = false;
      setStatus(`${data.info.name}: ${data.info.nodes} layers after fusion, ${(data.info.macs / 1e6).toFixed(0)} M multiply-adds, loaded in ${data.ms.toFixed(0)} ms`);
      break;
    case 'result': {
      busy = false;
      if (state.loading || state.loadedModel === null) break;  // from the previous model
      state.results += 1;
      state.faces = data.faces ?? null;
      state.top = data.top ?? null;
      state.latencies = [...state.latencies, data.ms].slice(-CHART_POINTS);
      state.times = [...state.times, performance.now()].slice(-WINDOW);
      updateReadouts();
      showResults();
      if (state.source === 'image') draw();
      break;
    }
    case 'profile':
      $('profile-button').disabled = false;
      showProfile(data.layers);
      break;
    case 'error':
      if (data.during === 'frame') busy = false;
      if (data.during === 'load') {
        state.loading = false;
        $('progress').hidden = true;
      }
      if (data.during === 'profile') $('profile-button').disabled = false;
      reportError(`${data.during === 'load' ? 'cannot load the model' : `${data.during} failed`}: ${data.message}`);
      break;
    default:
      break;
  }
}

// --- wiring -------------------------------------------------------------------------------------

function wireControls() {
  const select = $('model');
  for (const m of MODELS) {
    const option = document.createElement('option');
    option.value = m.id;
    option.textContent = m.name;
    select.append(option);
  }
  select.addEventListener('change', () => {
    const entry = MODELS.find((m) => m.id === select.value);
    if (entry) loadModel(entry);
  });
  $('use-camera').addEventListener('click', () => useCamera());
  $('use-sample').addEventListener('click', () => useImage(SAMPLE_PHOTO).catch((e) => reportError(e.message)));
  $('image-file').addEventListener('change', (e) => {
    if (e.target.files[0]) useImage(e.target.files[0]).catch((err) => reportError(`cannot open the image: ${err.message}`));
  });
  $('own-model-file').addEventListener('change', (e) => {
    if (e.target.files[0]) loadOwnModel(e.target.files[0]);
  });
  $('own-labels-file').addEventListener('change', (e) => {
    if (e.target.files[0]) readLabels(e.target.files[0]);
  });
  $('profile-button').addEventListener('click', async () => {
    const frame = currentFrame();
    if (frame === null || state.loadedModel === null) return;
    $('profile-button').disabled = true;
    const bitmap = await createImageBitmap(frame);
    worker.postMessage({ type: 'profile', bitmap }, [bitmap]);
  });
  // Drag and drop: an image becomes the source, an .onnx file the model, a .txt its labels.
  const wrap = $('stage-wrap');
  wrap.addEventListener('dragover', (e) => {
    e.preventDefault();
    $('drop-hint').hidden = false;
  });
  wrap.addEventListener('dragleave', () => { $('drop-hint').hidden = true; });
  wrap.addEventListener('drop', async (e) => {
    e.preventDefault();
    $('drop-hint').hidden = true;
    for (const file of e.dataTransfer.files) {
      if (file.name.endsWith('.txt')) await readLabels(file);
    }
    for (const file of e.dataTransfer.files) {
      if (file.name.endsWith('.onnx')) loadOwnModel(file);
      else if (file.type.startsWith('image/')) useImage(file).catch((err) => reportError(err.message));
    }
  });
}

window.litecnnDemo = {
  state,
  models: MODELS.map(({ id, name, kind }) => ({ id, name, kind })),
  /** The pixels of the frame being shown now: {width, height, data: number[]} (RGBA). */
  framePixels() {
    const frame = currentFrame();
    if (frame === null) return null;
    const [width, height] = frameDims(frame);
    const canvas = new OffscreenCanvas(width, height);
    const c = canvas.getContext('2d');
    c.drawImage(frame, 0, 0, width, height);
    return { width, height, data: Array.from(c.getImageData(0, 0, width, height).data) };
  },
};

wireControls();
worker = new Worker(new URL('worker.js', import.meta.url), { type: 'module' });
worker.onmessage = onWorkerMessage;
worker.onerror = (event) => reportError(`the inference worker failed: ${event.message}`);
await useCamera();
loop();
