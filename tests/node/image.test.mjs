// imageToTensor (web/src/image.js): values on synthetic images where bilinear is exact, the
// crop and letterbox geometry, layouts and channel orders, every validation message, and
// models/images/chelsea.png through a model against the CLI's former JS preprocessing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { PNG } from 'pngjs';

import { LitecnnError, Tensor, imageToTensor, loadModel } from 'litecnn';

import { REPO_ROOT as ROOT, resizeBilinearRGB } from './model_helpers.mjs';
import { addModel, reluModel } from './onnx_encode.mjs';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const RAW = { scale: 1 };  // y = x: byte values straight through

// An RGBA image whose channels are functions of (x, y); alpha is 255.
function synthetic(width, height, rgb) {
  const data = new Uint8Array(4 * width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set([...rgb(x, y), 255], 4 * (y * width + x));
    }
  }
  return { data, width, height };
}

// Ramps: bilinear reproduces linear functions exactly, so expected values need no tolerance.
const ramp = synthetic(8, 4, (x, y) => [10 * x, 30 * y, 7]);

// Element [c, y, x] of an NCHW tensor.
function at(tensor, c, y, x) {
  const [, , height, width] = tensor.dims;
  return tensor.data[(c * height + y) * width + x];
}

describe('imageToTensor values', () => {
  test('halving a ramp is exact, NCHW by default', async () => {
    const t = await imageToTensor(ramp, { width: 4, height: 2, ...RAW });
    assert.ok(t instanceof Tensor);
    assert.deepEqual(t.dims, [1, 3, 2, 4]);
    assert.equal(t.letterbox, undefined);
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 4; x++) {
        assert.equal(at(t, 0, y, x), 10 * (2 * x + 0.5));
        assert.equal(at(t, 1, y, x), 30 * (2 * y + 0.5));
        assert.equal(at(t, 2, y, x), 7);
      }
    }
  });

  test('NHWC holds the same values interleaved, dims [1, H, W, 3]', async () => {
    const nchw = await imageToTensor(ramp, { width: 4, height: 2, ...RAW });
    const nhwc = await imageToTensor(ramp, { width: 4, height: 2, layout: 'nhwc', ...RAW });
    assert.deepEqual(nhwc.dims, [1, 2, 4, 3]);
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 2; y++) {
        for (let x = 0; x < 4; x++) assert.equal(nhwc.data[(y * 4 + x) * 3 + c], at(nchw, c, y, x));
      }
    }
  });

  test('BGR reverses the channels, and mean/std follow the output order', async () => {
    const rgb = await imageToTensor(ramp, { width: 4, height: 2, ...RAW });
    const bgr = await imageToTensor(ramp, { width: 4, height: 2, channels: 'bgr', ...RAW });
    assert.deepEqual(bgr.data.subarray(0, 8), rgb.data.subarray(16, 24));
    assert.deepEqual(bgr.data.subarray(16, 24), rgb.data.subarray(0, 8));
    // Caffe-style BGR means in pixel units: output channel 0 (B, 7) minus mean[0].
    const caffe = await imageToTensor(ramp, { width: 4, height: 2, channels: 'bgr', scale: 1, mean: [104, 117, 123] });
    assert.equal(caffe.data[0], 7 - 104);
  });

  test('defaults: x / 255; mean/std and scale/offset forms', async () => {
    const plain = await imageToTensor(ramp, { width: 8, height: 4 });
    assert.ok(Math.abs(at(plain, 0, 0, 3) - 30 / 255) < 1e-7);
    const norm = await imageToTensor(ramp, { width: 8, height: 4, mean: MEAN, std: STD });
    for (let c = 0; c < 3; c++) {
      const x = [30, 60, 7][c];
      assert.ok(Math.abs(at(norm, c, 2, 3) - (x / 255 - MEAN[c]) / STD[c]) < 1e-6, `channel ${c}`);
    }
    const affine = await imageToTensor(ramp, { width: 8, height: 4, scale: 2 / 255, offset: -1 });
    assert.ok(Math.abs(at(affine, 2, 0, 0) - (14 / 255 - 1)) < 1e-7);
  });
});

describe('imageToTensor geometry', () => {
  test("'crop' takes the centred square of a wide image", async () => {
    // 12x4 -> 4x4: the crop is x in [4, 8), mapped 1:1, so R = 20 x exactly.
    const wide = synthetic(12, 4, (x) => [20 * x, 0, 0]);
    const t = await imageToTensor(wide, { width: 4, height: 4, fit: 'crop', ...RAW });
    for (let x = 0; x < 4; x++) assert.equal(at(t, 0, 1, x), 20 * (4 + x));
    assert.equal(t.letterbox, undefined);
  });

  test("'letterbox' centres the image, fills the bands and reports the placement", async () => {
    const t = await imageToTensor(ramp, { width: 8, height: 8, fit: 'letterbox', fill: [1, 2, 3], ...RAW });
    assert.deepEqual(t.letterbox, { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 2, width: 8, height: 4 });
    assert.ok(Object.isFrozen(t.letterbox));
    for (const y of [0, 1, 6, 7]) {
      for (let c = 0; c < 3; c++) assert.equal(at(t, c, y, 5), c + 1, `band row ${y}`);
    }
    for (let y = 2; y < 6; y++) assert.equal(at(t, 1, y, 0), 30 * (y - 2));
    // Mapping a point back: image x = (tensor x - offsetX) / scaleX.
    const half = await imageToTensor(ramp, { width: 4, height: 4, fit: 'letterbox' });
    assert.deepEqual(half.letterbox, { scaleX: 0.5, scaleY: 0.5, offsetX: 0, offsetY: 1, width: 4, height: 2 });
  });
});

describe('imageToTensor validation', () => {
  const ok = { width: 4, height: 4 };
  const cases = [
    ['wrong data length', { ...ramp, data: ramp.data.subarray(1) }, ok,
      'image.data has 127 bytes, but a 8x4 RGBA image needs 4 * width * height = 128'],
    ['zero width', { ...ramp, width: 0 }, ok, 'image.width must be an integer from 1 to 16384, got 0'],
    ['float data', { ...ramp, data: new Float32Array(128) }, ok,
      'image.data must be a Uint8Array or Uint8ClampedArray of RGBA bytes, got Float32Array'],
    ['non-image input', 42, ok, /image must be ImageData, \{data: .* or one of HTMLImageElement, .*, got 42$/],
    ['non-image object', new Map(), ok, /image must be ImageData, .* got Map$/],
    ['missing options', ramp, undefined, 'options must be an object with at least {width, height}, got undefined'],
    ['zero target height', ramp, { width: 4, height: 0 }, 'options.height must be an integer from 1 to 16384, got 0'],
    ['huge target width', ramp, { width: 20000, height: 4 }, 'options.width must be an integer from 1 to 16384, got 20000'],
    ['unknown fit', ramp, { ...ok, fit: 'zoom' }, 'options.fit must be one of "stretch", "crop", "letterbox", got "zoom"'],
    ['unknown layout', ramp, { ...ok, layout: 'chw' }, 'options.layout must be one of "nchw", "nhwc", got "chw"'],
    ['unknown channels', ramp, { ...ok, channels: 'rgba' }, 'options.channels must be one of "rgb", "bgr", got "rgba"'],
    ['mean of the wrong length', ramp, { ...ok, mean: [0.5, 0.5] },
      'options.mean must be an array of 3 numbers (one per output channel), got an array of 2'],
    ['std with a zero', ramp, { ...ok, std: [1, 0, 1] }, 'options.std must not contain 0, got [1, 0, 1]'],
    ['offset with mean', ramp, { ...ok, mean: MEAN, offset: 1 },
      'give either mean/std ((x * scale - mean) / std) or offset (x * scale + offset), not both'],
    ['non-finite scale', ramp, { ...ok, scale: NaN }, 'options.scale must be a finite number, got NaN'],
    ['misspelt option', ramp, { ...ok, mode: 'crop' }, /unknown option "mode" \(known: width, height, fit, /],
  ];
  for (const [name, image, options, message] of cases) {
    test(name, async () => {
      await assert.rejects(imageToTensor(image, options), (error) => {
        assert.ok(error instanceof LitecnnError, `expected a LitecnnError, got ${error}`);
        assert.equal(error.code, 'InvalidArgument');
        if (typeof message === 'string') assert.equal(error.message, `imageToTensor: ${message}`);
        else assert.match(error.message, message);
        return true;
      });
    });
  }
});

// The CLI's former preprocessing (web/cli.js before imageToTensor): bilinear with half-pixel
// centres in double precision (model_helpers' resizeBilinearRGB), ImageNet normalisation, NCHW.
function referencePreprocess({ width: inW, height: inH, data }, width, height) {
  const rgb = resizeBilinearRGB({ width: inW, height: inH, rgba: data }, width, height);
  const out = new Float32Array(3 * width * height);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) out[c * width * height + i] = (rgb[i * 3 + c] / 255 - MEAN[c]) / STD[c];
  }
  return out;
}

const maxAbsDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const argmax = (a) => a.reduce((best, v, i) => (v > a[best] ? i : best), 0);

test('chelsea.png through squeezenet1_1: same tensor and class as the former JS path', async () => {
  const png = PNG.sync.read(readFileSync(path.join(ROOT, 'models/images/chelsea.png')));
  const image = { data: png.data, width: png.width, height: png.height };  // data is a Buffer
  const tensor = await imageToTensor(image, { width: 224, height: 224, mean: MEAN, std: STD });
  const reference = referencePreprocess(image, 224, 224);
  assert.ok(maxAbsDiff(tensor.data, reference) < 1e-5, `max diff ${maxAbsDiff(tensor.data, reference)}`);

  const model = await loadModel(path.join(ROOT, 'models/generated/squeezenet1_1.onnx'));
  try {
    const name = model.inputs[0].name;
    const ours = Object.values(await model.run({ [name]: tensor }))[0].data;
    const theirs = Object.values(await model.run({ [name]: new Tensor(reference, [1, 3, 224, 224]) }))[0].data;
    assert.equal(argmax(ours), argmax(theirs));
    const scale = theirs.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(maxAbsDiff(ours, theirs) <= 1e-4 * scale, `logits differ by ${maxAbsDiff(ours, theirs)}`);
  } finally {
    model.dispose();
  }
});

test('classify() takes an image: resized to the model input, same classes as via imageToTensor', async () => {
  const png = PNG.sync.read(readFileSync(path.join(ROOT, 'models/images/chelsea.png')));
  const image = { data: png.data, width: png.width, height: png.height };
  const model = await loadModel(path.join(ROOT, 'models/generated/squeezenet1_1.onnx'));
  try {
    const direct = await model.classify(image, { topK: 5, mean: MEAN, std: STD });
    const viaTensor = await model.classify(await imageToTensor(image, { width: 224, height: 224, mean: MEAN, std: STD }), { topK: 5 });
    assert.deepEqual(direct, viaTensor);
    await assert.rejects(model.classify(image, { fit: 'zoom' }), /fit must be one of/);
    await assert.rejects(model.classify(new Tensor(new Float32Array(3 * 224 * 224), [1, 3, 224, 224]), { mean: MEAN }),
      /unknown option "mean" \(image options apply to images only\)/);
  } finally {
    model.dispose();
  }
});

test('model.imageInput reads the layout classify uses: NCHW, NHWC, sides fixed at load, none', async () => {
  const cases = [
    [[1, 3, 8, 6], { name: 'X', layout: 'nchw', width: 6, height: 8 }],
    [[1, 8, 6, 3], { name: 'X', layout: 'nhwc', width: 6, height: 8 }],
    [[1, 3, 5, 3], { name: 'X', layout: 'nchw', width: 3, height: 5 }],  // a 3 in both places: NCHW
    [[1, 4, 8, 6], null],  // not RGB
    [[2, 3], null],
  ];
  for (const [dims, expected] of cases) {
    const model = await loadModel(reluModel(dims));
    try {
      assert.deepEqual(model.imageInput, expected, `dims [${dims}]`);
    } finally {
      model.dispose();
    }
  }
  // Symbolic sides are fixed at load (by inputDims, else 1): imageInput has the size runs take.
  const fixed = await loadModel(reluModel([1, 3, 'h', 'w']), { inputDims: { X: [1, 3, 10, 12] } });
  assert.deepEqual(fixed.imageInput, { name: 'X', layout: 'nchw', width: 12, height: 10 });
  fixed.dispose();
  const two = await loadModel(addModel([1, 3, 4, 4]));
  assert.equal(two.imageInput, null);
  two.dispose();
});

test('classify() feeds an image to an NHWC model in NHWC', async () => {
  const png = PNG.sync.read(readFileSync(path.join(ROOT, 'models/images/chelsea.png')));
  const image = { data: png.data, width: png.width, height: png.height };
  const model = await loadModel(reluModel([1, 6, 5, 3]));
  try {
    const [top] = await model.classify(image, { topK: 1, scale: 1, offset: 0 });
    const tensor = await imageToTensor(image, { width: 5, height: 6, layout: 'nhwc', scale: 1, offset: 0 });
    assert.equal(top.index, argmax(tensor.data));
  } finally {
    model.dispose();
  }
});
