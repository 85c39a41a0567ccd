// Images to model inputs: imageToTensor() resizes, normalises and lays out an image as a float
// tensor in one pass in C++ (src/runtime/image.h, SIMD kernels in src/kernels/u8-rgba-resize/).
//
//   const input = await imageToTensor(img, { width: 224, height: 224, mean, std });
//   const out = await model.run({ [model.inputs[0].name]: input });
//
// This file owns the options' defaults and checks; the bindings only translate. The pixels are
// copied once, from the caller's RGBA bytes into wasm memory.
import { init, loadedModule } from './backend.js';
import {
  LitecnnError, callNative, checkChoice, checkOptionKeys, describe, fail as failWith, isFiniteNumber,
} from './errors.js';
import { Tensor } from './tensor.js';

const MAX_SIDE = 16384;  // kMaxImageSide in src/runtime/image.h
const FITS = ['stretch', 'crop', 'letterbox'];
const CHANNEL_ORDERS = ['rgb', 'bgr'];
const LAYOUTS = ['nchw', 'nhwc'];
const OPTION_NAMES = ['width', 'height', 'fit', 'channels', 'layout', 'mean', 'std', 'scale', 'offset', 'fill'];
// Browser image sources that are drawn onto a canvas to read their pixels.
const DRAWABLES = [
  'HTMLImageElement',
  'HTMLCanvasElement',
  'HTMLVideoElement',
  'ImageBitmap',
  'OffscreenCanvas',
  'VideoFrame',
];
// Where each kind of image keeps its intrinsic size, most specific first: <img>, <video>,
// VideoFrame, then everything else (ImageData, canvases, bitmaps, {data, width, height}).
const SIZE_KEYS = [
  ['naturalWidth', 'naturalHeight'],
  ['videoWidth', 'videoHeight'],
  ['displayWidth', 'displayHeight'],
  ['width', 'height'],
];

const fail = (message) => failWith(`imageToTensor: ${message}`);

/** Whether `value` is an image (as opposed to a Tensor, {data, dims} or a feeds object). */
export function isImage(value) {
  if (value === null || typeof value !== 'object' || value instanceof Tensor || 'dims' in value) return false;
  return SIZE_KEYS.some(([w]) => w in value);
}

/** The intrinsic [width, height] of anything imageToTensor takes (not validated here). */
export function imageSize(image) {
  const [w, h] = SIZE_KEYS.find(([key]) => key in image) ?? SIZE_KEYS[SIZE_KEYS.length - 1];
  return [image[w], image[h]];
}

function checkSide(value, what) {
  if (!Number.isInteger(value) || value < 1 || value > MAX_SIDE) {
    fail(`${what} must be an integer from 1 to ${MAX_SIDE}, got ${describe(value)}`);
  }
  return value;
}

// A number (the same for every channel) or one number per output channel.
function perChannel(value, fallback, what, { allowScalar = true, nonZero = false } = {}) {
  if (value === undefined) return [fallback, fallback, fallback];
  if (allowScalar && isFiniteNumber(value)) return [value, value, value];
  const ok = Array.isArray(value) && value.length === 3 && value.every(isFiniteNumber);
  if (!ok) {
    const form = allowScalar ? 'a number or an array of 3 numbers' : 'an array of 3 numbers';
    fail(`${what} must be ${form} (one per output channel), got ${describe(value)}`);
  }
  if (nonZero && value.includes(0)) fail(`${what} must not contain 0, got [${value.join(', ')}]`);
  return [...value];
}

// Checks every option once and folds the normalisation into one scale and offset per output
// channel (y = x * scale[c] + offset[c], x the resized byte value).
function checkOptions(options) {
  checkOptionKeys(options, OPTION_NAMES, 'imageToTensor', 'an object with at least {width, height}');
  const scale = options.scale ?? 1 / 255;
  if (!isFiniteNumber(scale)) fail(`options.scale must be a finite number, got ${describe(options.scale)}`);
  const hasMeanStd = options.mean !== undefined || options.std !== undefined;
  if (hasMeanStd && options.offset !== undefined) {
    fail('give either mean/std ((x * scale - mean) / std) or offset (x * scale + offset), not both');
  }
  let scales;
  let offsets;
  if (hasMeanStd) {
    const mean = perChannel(options.mean, 0, 'options.mean', { allowScalar: false });
    const std = perChannel(options.std, 1, 'options.std', { allowScalar: false, nonZero: true });
    scales = std.map((s) => scale / s);
    offsets = mean.map((m, c) => -m / std[c]);
  } else {
    scales = [scale, scale, scale];
    offsets = perChannel(options.offset, 0, 'options.offset');
  }
  return {
    width: checkSide(options.width, 'options.width'),
    height: checkSide(options.height, 'options.height'),
    fit: checkChoice(options.fit, FITS, 'imageToTensor: options.fit'),
    channels: checkChoice(options.channels, CHANNEL_ORDERS, 'imageToTensor: options.channels'),
    layout: checkChoice(options.layout, LAYOUTS, 'imageToTensor: options.layout'),
    scale: scales,
    offset: offsets,
    fill: perChannel(options.fill, 0, 'options.fill'),
  };
}

// --- pixels ------------------------------------------------------------------------------------

const globalClass = (name) => globalThis[name];
const isInstance = (value, name) => typeof globalClass(name) === 'function' && value instanceof globalClass(name);

// {data, width, height} RGBA bytes: ImageData, or what a decoder (pngjs, jpeg-js, sharp's raw
// output) returns in Node.
function checkPixels(image) {
  const { data, width, height } = image;
  checkSide(width, 'image.width');
  checkSide(height, 'image.height');
  // Exact types: a Float32Array of 0..1 values or a plain array would be read wrongly.
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    fail(`image.data must be a Uint8Array or Uint8ClampedArray of RGBA bytes, got ${describe(data)}`);
  }
  const needed = 4 * width * height;
  if (data.length !== needed) {
    fail(`image.data has ${data.length} bytes, but a ${width}x${height} RGBA image needs 4 * width * height = ${needed}`);
  }
  return { data, width, height };
}

// The intrinsic size of a drawable, or a failure naming why it has none yet.
function drawableSize(image, kind) {
  if (kind === 'HTMLImageElement' && (!image.complete || image.naturalWidth === 0)) {
    fail('the <img> has not loaded (or failed to decode); await img.decode() before calling');
  }
  if (kind === 'HTMLVideoElement' && image.readyState < 2) {  // HAVE_CURRENT_DATA
    fail('the <video> has no current frame yet (wait for "loadeddata")');
  }
  return imageSize(image);
}

let scratch = null;  // {canvas, context}: one canvas reused across calls (one per video frame)

function scratchContext(width, height) {
  if (scratch === null) {
    // OffscreenCanvas also works in workers; a DOM canvas covers browsers without it.
    const canvas =
      typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(width, height) : document.createElement('canvas');
    // willReadFrequently keeps the canvas on the CPU, where getImageData does not read back
    // from the GPU on every call.
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) fail('cannot create a 2D canvas context to read the image pixels');
    scratch = { canvas, context };
  }
  const { canvas, context } = scratch;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  // 'copy' replaces the previous contents, so a transparent pixel does not show the last frame.
  context.globalCompositeOperation = 'copy';
  return context;
}

function drawToPixels(image, kind) {
  const [width, height] = drawableSize(image, kind);
  checkSide(width, `${kind} width`);
  checkSide(height, `${kind} height`);
  const context = scratchContext(width, height);
  context.drawImage(image, 0, 0, width, height);
  try {
    return checkPixels(context.getImageData(0, 0, width, height));
  } catch (cause) {
    if (cause instanceof LitecnnError) throw cause;
    // A cross-origin image without CORS taints the canvas and getImageData throws.
    throw new LitecnnError(
      `imageToTensor: cannot read the pixels of this ${kind}: ${cause.message} ` +
        '(a cross-origin image needs CORS headers and crossOrigin = "anonymous")',
      'InvalidArgument',
      { cause },
    );
  }
}

function pixelsOf(image) {
  const kind = DRAWABLES.find((name) => isInstance(image, name));
  if (kind !== undefined) return drawToPixels(image, kind);
  if (image !== null && typeof image === 'object' && 'data' in image) return checkPixels(image);
  fail(
    `image must be ImageData, {data: Uint8Array|Uint8ClampedArray of RGBA bytes, width, height} ` +
      `or one of ${DRAWABLES.join(', ')}, got ${describe(image)}`,
  );
}

// --- conversion ----------------------------------------------------------------------------------

function convert(wasm, { data, width, height }, options) {
  const r = callNative(wasm, 'imageToTensor', () => wasm.preprocessImage(data, width, height, options));
  if (!r.ok) throw new LitecnnError(`imageToTensor: ${r.message}`, r.code);
  const tensor = new Tensor(r.data, r.dims);
  if (options.fit === 'letterbox') tensor.letterbox = Object.freeze(r.letterbox);
  return tensor;
}

/**
 * Converts an image into a model's float input tensor: resized to options.width x
 * options.height (bilinear, half-pixel centres), normalised per channel and laid out NCHW
 * ([1, 3, H, W], default) or NHWC ([1, H, W, 3]). With fit 'letterbox' the tensor also has
 * `letterbox`: {scaleX, scaleY, offsetX, offsetY, width, height}, where tensor x =
 * image x * scaleX + offsetX. See index.d.ts for every option and its default.
 */
export async function imageToTensor(image, options) {
  const checked = checkOptions(options);
  const pixels = pixelsOf(image);
  const ready = loadedModule();
  if (ready !== null) return convert(ready, pixels, checked);
  // Before the module is ready only: the caller may refill its buffer while it instantiates.
  const snapshot = { ...pixels, data: pixels.data.slice() };
  return convert(await init(), snapshot, checked);
}
