// Model and loadModel: a native model behind checked, queued calls. Every argument check and
// option default of loading and running lives here; the bindings only translate.

import { LitecnnError, callNative, describe, dimsText, fail } from './errors.js';
import { init, loadedModule, nextTask, threadCountOk, threadsFor, workersBooting } from './backend.js';
import { imageToTensor, isImage } from './image.js';
import { splitOnnx } from './onnx_split.js';
import { inMemoryView, loadLabels, sourceBytes } from './sources.js';
import { Tensor, checkDims } from './tensor.js';

// loadModel's options.limits, as named in C++ (core/limits.h, which holds the defaults) and in
// the LimitExceeded messages that name the limit a model went over.
const LIMIT_NAMES = ['maxModelBytes', 'maxNodes', 'maxRank', 'maxTensorElements', 'maxPlannedBytes'];

function checkLimitsOption(limits) {
  if (limits === undefined) return {};
  if (limits === null || typeof limits !== 'object' || Array.isArray(limits)) {
    fail(`loadModel: options.limits must be an object {${LIMIT_NAMES.join(', ')}}, got ${describe(limits)}`);
  }
  const checked = {};
  for (const [name, value] of Object.entries(limits)) {
    if (!LIMIT_NAMES.includes(name)) {
      fail(`loadModel: unknown limit "${name}"; the limits are ${LIMIT_NAMES.join(', ')}`);
    }
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      fail(`loadModel: options.limits.${name} must be a positive integer, got ${describe(value)}`);
    }
    checked[name] = value;
  }
  return checked;
}

function checkInputDimsOption(inputDims) {
  if (inputDims === undefined) return [];
  if (inputDims === null || typeof inputDims !== 'object' || Array.isArray(inputDims)) {
    fail(`loadModel: options.inputDims must be an object {inputName: dims}, got ${describe(inputDims)}`);
  }
  return Object.entries(inputDims).map(([name, dims]) => {
    checkDims(dims, `loadModel: options.inputDims["${name}"]`);
    return { name, dims: [...dims] };
  });
}

function checkFeedInitializersOption(names) {
  if (names === undefined) return [];
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
    fail(`loadModel: options.feedInitializers must be an array of input names, got ${describe(names)}`);
  }
  return [...names];
}

function freezeInfos(infos) {
  return Object.freeze(
    infos.map(({ name, dtype, dims }) => Object.freeze({ name, dtype, dims: Object.freeze(dims) })),
  );
}

/**
 * The input an image feeds: the model's single input of dims [N, 3, H, W] ('nchw') or
 * [N, H, W, 3] ('nhwc'; a 3 in both places reads as NCHW), as {name, layout, width, height};
 * null for any other model. (A -1 side is kept as -1: classify refuses it.) classify, the CLI and the demo all
 * read the layout here.
 */
function imageInputOf(inputs) {
  if (inputs.length !== 1 || inputs[0].dims.length !== 4) return null;
  const { name, dims } = inputs[0];
  const layout = dims[3] === 3 && dims[1] !== 3 ? 'nhwc' : 'nchw';
  const [channels, height, width] = layout === 'nhwc' ? [dims[3], dims[1], dims[2]] : [dims[1], dims[2], dims[3]];
  if (channels !== 3 && channels >= 0) return null;
  return Object.freeze({ name, layout, width, height });
}

// Safety net for models that are dropped without dispose(): their native memory is freed when
// the Model is garbage-collected. dispose() stays the way to free it at a known time (GC may run
// late, or never, while the page is busy).
const unreleased =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((native) => deleteNative(loadedModule(), native))
    : null;

// Class scores from a model's output: used as they are when they already form a probability
// distribution (the model ends in Softmax), else softmax of the logits.
function toProbabilities(values) {
  const scores = Float64Array.from(values, Number);
  let sum = 0;
  let inRange = true;
  for (const v of scores) {
    sum += v;
    inRange = inRange && v >= 0 && v <= 1;
  }
  if (inRange && Math.abs(sum - 1) < 1e-3) return scores;
  const max = scores.reduce((m, v) => Math.max(m, v), -Infinity);
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    scores[i] = Math.exp(scores[i] - max);
    total += scores[i];
  }
  for (let i = 0; i < scores.length; i++) scores[i] /= total;
  return scores;
}

/**
 * A loaded model. Create with loadModel(); free its wasm memory with dispose().
 * inputs/outputs: [{name, dtype, dims}] (dims of -1 are symbolic, or, in an output, a length each run decides); labels: class names or null;
 * imageInput: {name, layout, width, height} of the input an image feeds, or null.
 */
class Model {
  #native;
  #initializerInputs;
  #broken = null;  // the LitecnnError 'Internal' that left the native model in an unknown state
  #queue = Promise.resolve();
  constructor(native, labels, numThreads) {
    const wasm = loadedModule();
    this.#native = native;
    this.numThreads = numThreads;
    this.inputs = freezeInfos(callNative(wasm, 'loadModel', () => native.inputs()));
    // Only for the message of a run that feeds one of them.
    this.#initializerInputs = callNative(wasm, 'loadModel', () => native.initializerInputs());
    this.outputs = freezeInfos(callNative(wasm, 'loadModel', () => native.outputs()));
    this.imageInput = imageInputOf(this.inputs);
    this.labels = labels;
    unreleased?.register(this, native, this);
  }

  /**
   * The nodes as they run (after fusion: a Conv with its activation, a Fire module, ...):
   * [{name, op, kernel, macs}], macs = multiply-adds per run. For `litecnn info` and tools.
   */
  summary() {
    this.#checkAlive('summary');
    return callNative(loadedModule(), 'summary', () => this.#native.summary());
  }

  get disposed() {
    return this.#native === null;
  }

  #checkAlive(what) {
    if (this.#native === null) fail(`${what}: the model was disposed`, 'FailedPrecondition');
    // A failure inside the engine may have left this model half-run: refuse it rather than
    // compute from it. Other models, and new ones, are unaffected.
    if (this.#broken !== null) {
      throw new LitecnnError(`${what}: the model is unusable after an internal error (${this.#broken.message}); ` +
        'dispose it and load it again', 'FailedPrecondition', { cause: this.#broken });
    }
  }

  // Checks feeds against inputs and returns the bindings' [{name, data, dims}] array.
  #prepare(feeds) {
    if (feeds === null || typeof feeds !== 'object' || Array.isArray(feeds) || feeds instanceof Tensor) {
      fail(`run: expected an object {inputName: Tensor}, got ${describe(feeds)}`);
    }
    const validNames = this.inputs.map((i) => `"${i.name}"`).join(', ');
    for (const name of Object.keys(feeds)) {
      if (!this.inputs.some((i) => i.name === name)) {
        if (this.#initializerInputs.includes(name)) {
          fail(`run: input "${name}" has an initializer, so it is a constant of the model; ` +
            `load the model with options.feedInitializers: ["${name}"] to feed it`);
        }
        fail(`run: unknown input "${name}"; the model's inputs are ${validNames}`);
      }
    }
    return this.inputs.map(({ name, dtype, dims: expected }) => {
      const what = `run: input "${name}"`;
      if (!Object.hasOwn(feeds, name)) {
        fail(`run: missing input "${name}" (dims ${dimsText(expected)}); the model's inputs are ${validNames}`);
      }
      const value = feeds[name];
      if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) {
        fail(`${what} must be a Tensor or {data, dims}, got ${describe(value)}`);
      }
      const { data, dims } = value;
      // Only float32 crosses the bindings today; every CNN input litecnn targets is float32.
      if (dtype !== 'float32') fail(`${what} has dtype ${dtype}, which litecnn cannot feed yet`, 'Unsupported');
      if (!(data instanceof Float32Array)) {
        fail(`${what}: data must be a Float32Array, got ${describe(data)}`);
      }
      const count = checkDims(dims, what);
      const fits = dims.length === expected.length && dims.every((d, i) => expected[i] < 0 || d === expected[i]);
      if (!fits) fail(`${what}: expected dims ${dimsText(expected)}, got ${dimsText(dims)}`);
      if (count !== data.length) {
        fail(`${what}: data has ${data.length} elements but dims ${dimsText(dims)} need ${count}`);
      }
      return { name, data, dims: [...dims] };
    });
  }

  /**
   * Runs the model: feeds maps every input name to a Tensor (or {data: Float32Array, dims}).
   * Input data are copied when run() is called. Resolves to {outputName: Tensor} whose data
   * are JS-owned copies. Calls on one model are queued and run one at a time, in call order.
   */
  run(feeds) {
    return this.#enqueue(feeds, 'run', (r) => this.#outputs(r));
  }

  /**
   * Runs the model like run() and also times every executed node (after fusion, so a 'Conv'
   * includes its fused activation). Resolves to {outputs, layers: [{name, op, kernel, ms}]}.
   */
  profile(feeds) {
    return this.#enqueue(feeds, 'profile', (r) => ({ outputs: this.#outputs(r), layers: r.profile }));
  }

  /**
   * Runs a classifier and resolves to its top classes, best first: [{index, label, score}].
   * input: an image (anything imageToTensor takes: it is resized to the model's input), a
   * Tensor (or {data, dims}) for the model's single input, or a feeds object as for run().
   * options: topK (default 5), labels (default: the model's), output (default: the first
   * output), and for images imageToTensor's fit / mean / std / scale / offset / channels / fill.
   * Scores are probabilities: softmax of the output unless it already is one.
   */
  async classify(input, options = {}) {
    if (options === null || typeof options !== 'object') {
      fail(`classify: options must be an object, got ${describe(options)}`);
    }
    const { topK = 5, labels = this.labels, output = this.outputs[0]?.name, ...imageOptions } = options;
    if (isImage(input)) input = await this.#imageTensor(input, imageOptions);
    else if (Object.keys(imageOptions).length > 0) {
      fail(`classify: unknown option "${Object.keys(imageOptions)[0]}" (image options apply to images only)`);
    }
    if (!Number.isInteger(topK) || topK < 1) fail(`classify: topK must be a positive integer, got ${describe(topK)}`);
    if (labels !== null && !Array.isArray(labels)) fail(`classify: labels must be an array of strings, got ${describe(labels)}`);
    if (!this.outputs.some((o) => o.name === output)) {
      fail(`classify: unknown output "${output}"; the model's outputs are ${this.outputs.map((o) => `"${o.name}"`).join(', ')}`);
    }
    const single = input instanceof Tensor || (input !== null && typeof input === 'object' && 'data' in input && 'dims' in input);
    if (single && this.inputs.length !== 1) {
      fail(`classify: the model has ${this.inputs.length} inputs; pass a feeds object {inputName: Tensor}`);
    }
    const outputs = await this.run(single ? { [this.inputs[0].name]: input } : input);
    const probabilities = toProbabilities(outputs[output].data);
    return Array.from(probabilities, (score, index) => ({ index, score }))
      .sort((a, b) => b.score - a.score)
      .slice(0, topK)
      .map(({ index, score }) => ({ index, label: labels?.[index] ?? `class ${index}`, score }));
  }

  // The image as the model's image input, which must have a fixed size.
  async #imageTensor(image, imageOptions) {
    const { width, height, layout } = this.imageInput ?? {};
    if (!(height > 0 && width > 0)) {
      fail(`classify: an image needs a model with one [1, 3, H, W] or [1, H, W, 3] input of fixed size, ` +
        `this one has ${this.inputs.map((i) => dimsText(i.dims)).join(', ')}; pass a Tensor instead`);
    }
    return imageToTensor(image, { ...imageOptions, width, height, layout });
  }

  #outputs(r) {
    return Object.fromEntries(r.outputs.map((o) => [o.name, new Tensor(o.data, o.dims)]));
  }

  #enqueue(feeds, method, finish) {
    let inputs;
    try {
      this.#checkAlive(method);
      inputs = this.#prepare(feeds);
    } catch (error) {
      return Promise.reject(error);
    }
    // Snapshot the data now: the run may wait behind others, and callers commonly refill one
    // buffer per frame as soon as run() returns. (Cheap next to the inference itself.)
    for (const input of inputs) input.data = input.data.slice();
    // The native Model is not re-entrant; chaining keeps runs strictly serial even once the
    // native call becomes asynchronous (e.g. moved to a worker).
    const result = this.#queue.then(async () => {
      if (workersBooting()) await nextTask();
      this.#checkAlive(method);  // dispose() may have come while this run was queued
      let r;
      try {
        r = callNative(loadedModule(), method, () => this.#native[method](inputs));
      } catch (error) {
        if (error.code === 'Internal') this.#broken = error;
        throw error;
      }
      if (!r.ok) throw new LitecnnError(`${method} failed: ${r.code}: ${r.message}`, r.code);
      return finish(r);
    });
    this.#queue = result.catch(() => {});
    return result;
  }

  /** Frees the model's wasm memory. Later run() calls reject; a second dispose() is a no-op. */
  dispose() {
    if (this.#native === null) return;
    unreleased?.unregister(this);
    deleteNative(loadedModule(), this.#native);
    this.#native = null;
  }
}

/**
 * Loads an ONNX model.
 * source: Uint8Array | ArrayBuffer | Blob/File | URL | string (a file path in Node, else a URL
 * to fetch).
 * options.inputDims: {inputName: dims} fixes symbolic input dims (others become 1).
 * options.onProgress(loadedBytes, totalBytes): download progress (totalBytes 0 while unknown).
 * options.labels: class names (array), or a text file / URL with one name per line.
 * options.limits: {maxModelBytes, maxNodes, maxRank, maxTensorElements, maxPlannedBytes}
 *   (defaults in README "Hostile input"); a model over one is refused with 'LimitExceeded'.
 * options.feedInitializers: names of graph inputs that also have an initializer (older
 *   exports list every weight as an input): these stay inputs of run(), with the initializer's
 *   dims; unlisted ones are constants of the model.
 * options.numThreads: threads per run (default and maximum: backendInfo().threads); outputs
 *   are bit-identical for every count.
 */
export async function loadModel(source, options = {}) {
  if (options === null || typeof options !== 'object') {
    fail(`loadModel: options must be an object, got ${describe(options)}`);
  }
  const inputDims = checkInputDimsOption(options.inputDims);
  const limits = checkLimitsOption(options.limits);
  const feedInitializers = checkFeedInitializersOption(options.feedInitializers);
  const { onProgress, numThreads } = options;
  if (!threadCountOk(numThreads)) fail(`loadModel: options.numThreads must be a positive integer, got ${describe(numThreads)}`);
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    fail(`loadModel: options.onProgress must be a function (loadedBytes, totalBytes), got ${describe(onProgress)}`);
  }
  // Bytes in memory and the module ready: they go straight into wasm memory before anything
  // awaits (so the caller may reuse its buffer at once) instead of through a snapshot copy,
  // which for a 14 MB model is a measurable part of the cold start.
  const ready = loadedModule();
  const view = ready !== null ? inMemoryView(source) : null;
  let native = null;
  if (view !== null) {
    onProgress?.(view.length, view.length);
    native = loadNative(ready, view, { inputDims, limits, numThreads, feedInitializers });
  }
  try {
    const [wasm, bytes, labels] = await Promise.all([
      init(),
      native === null ? sourceBytes(source, onProgress) : null,
      loadLabels(options.labels),
    ]);
    native ??= loadNative(wasm, bytes, { inputDims, limits, numThreads, feedInitializers });
    return new Model(native, labels, threadsFor(numThreads));
  } catch (error) {
    if (native !== null) deleteNative(loadedModule(), native);
    throw error;
  }
}

// A native model loaded from `bytes`, copied into wasm memory by the bindings: the weights
// straight into their tensors, the rest of the file into a buffer freed after decoding (see
// onnx_split.js).
function loadNative(wasm, bytes, { numThreads, ...options }) {
  if (bytes.length === 0) fail('loadModel: the model source is empty (0 bytes)', 'InvalidModel');
  const split = splitOnnx(bytes);
  const nativeOptions = { ...options, numThreads: threadsFor(numThreads) };
  let native = null;  // until it is returned: freed on every failure
  try {
    return callNative(wasm, 'loadModel', () => {
      native = new wasm.Model();
      let status = split === null
        ? native.load(bytes, nativeOptions, [])
        : native.load(split.skeleton, nativeOptions, split.payloads);
      if (!status.ok && split !== null) {
        // Errors quote byte offsets: report them for the file as given.
        native.delete();
        native = null;
        native = new wasm.Model();
        status = native.load(bytes, nativeOptions, []);
      }
      if (!status.ok) throw new LitecnnError(`cannot load model: ${status.code}: ${status.message}`, status.code);
      const loaded = native;
      native = null;
      return loaded;
    });
  } finally {
    if (native !== null) deleteNative(wasm, native);
  }
}

// Frees a native model; after an engine failure that may fail too, which changes nothing for
// the caller (the error it gets is the first one).
function deleteNative(wasm, native) {
  try {
    callNative(wasm, 'dispose', () => native.delete());
  } catch {
    // already reported
  }
}
