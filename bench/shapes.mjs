// The one list of layer shapes the per-kernel benchmarks use: every Conv of MobileNetV2,
// SqueezeNet 1.0 and SqueezeNet 1.1 (224x224 input), as read from the ONNX files (the bench
// re-derives them from the models and warns if this list drifts: bench/run.mjs).
//
// Who reads it:
//   - bench/kernels_peers.mjs times each shape in onnxruntime-web (a one-Conv ONNX model) and
//     TF.js (tf.fused.conv2d / depthwiseConv2d).
//   - litecnn's own microbenchmarks (bench/kernels/gemm_bench.cc, dwconv_bench.cc) can read the
//     same list as text: `node bench/shapes.mjs --tsv` prints one shape per line (header first):
//       id kind h w cin cout kh kw stride pad group oh ow mflop models
//     (square kernels, equal strides, symmetric pads; mflop = 2*MACs/1e6, bias not counted).
//   `node bench/shapes.mjs --json` prints the same as JSON.
//
// Shape ids are what litecnn kernel results must be keyed by to land in the same table row
// (see mergeLitecnnKernels in bench/kernels_peers.mjs).

// [model, h(=w), cin, cout, k, stride, pad, group, occurrences in the model]
const ROWS = [
  ["mobilenet_v2", 224, 3, 32, 3, 2, 1, 1, 1],
  ["mobilenet_v2", 112, 32, 32, 3, 1, 1, 32, 1],
  ["mobilenet_v2", 112, 32, 16, 1, 1, 0, 1, 1],
  ["mobilenet_v2", 112, 16, 96, 1, 1, 0, 1, 1],
  ["mobilenet_v2", 112, 96, 96, 3, 2, 1, 96, 1],
  ["mobilenet_v2", 56, 96, 24, 1, 1, 0, 1, 1],
  ["mobilenet_v2", 56, 24, 144, 1, 1, 0, 1, 2],
  ["mobilenet_v2", 56, 144, 144, 3, 1, 1, 144, 1],
  ["mobilenet_v2", 56, 144, 24, 1, 1, 0, 1, 1],
  ["mobilenet_v2", 56, 144, 144, 3, 2, 1, 144, 1],
  ["mobilenet_v2", 28, 144, 32, 1, 1, 0, 1, 1],
  ["mobilenet_v2", 28, 32, 192, 1, 1, 0, 1, 3],
  ["mobilenet_v2", 28, 192, 192, 3, 1, 1, 192, 2],
  ["mobilenet_v2", 28, 192, 32, 1, 1, 0, 1, 2],
  ["mobilenet_v2", 28, 192, 192, 3, 2, 1, 192, 1],
  ["mobilenet_v2", 14, 192, 64, 1, 1, 0, 1, 1],
  ["mobilenet_v2", 14, 64, 384, 1, 1, 0, 1, 4],
  ["mobilenet_v2", 14, 384, 384, 3, 1, 1, 384, 4],
  ["mobilenet_v2", 14, 384, 64, 1, 1, 0, 1, 3],
  ["mobilenet_v2", 14, 384, 96, 1, 1, 0, 1, 1],
  ["mobilenet_v2", 14, 96, 576, 1, 1, 0, 1, 3],
  ["mobilenet_v2", 14, 576, 576, 3, 1, 1, 576, 2],
  ["mobilenet_v2", 14, 576, 96, 1, 1, 0, 1, 2],
  ["mobilenet_v2", 14, 576, 576, 3, 2, 1, 576, 1],
  ["mobilenet_v2", 7, 576, 160, 1, 1, 0, 1, 1],
  ["mobilenet_v2", 7, 160, 960, 1, 1, 0, 1, 3],
  ["mobilenet_v2", 7, 960, 960, 3, 1, 1, 960, 3],
  ["mobilenet_v2", 7, 960, 160, 1, 1, 0, 1, 2],
  ["mobilenet_v2", 7, 960, 320, 1, 1, 0, 1, 1],
  ["mobilenet_v2", 7, 320, 1280, 1, 1, 0, 1, 1],
  ["squeezenet1_0", 224, 3, 96, 7, 2, 0, 1, 1],
  ["squeezenet1_0", 54, 96, 16, 1, 1, 0, 1, 1],
  ["squeezenet1_0", 54, 16, 64, 1, 1, 0, 1, 2],
  ["squeezenet1_0", 54, 16, 64, 3, 1, 1, 1, 2],
  ["squeezenet1_0", 54, 128, 16, 1, 1, 0, 1, 1],
  ["squeezenet1_0", 54, 128, 32, 1, 1, 0, 1, 1],
  ["squeezenet1_0", 54, 32, 128, 1, 1, 0, 1, 1],
  ["squeezenet1_0", 54, 32, 128, 3, 1, 1, 1, 1],
  ["squeezenet1_0", 27, 256, 32, 1, 1, 0, 1, 1],
  ["squeezenet1_0", 27, 32, 128, 1, 1, 0, 1, 1],
  ["squeezenet1_0", 27, 32, 128, 3, 1, 1, 1, 1],
  ["squeezenet1_0", 27, 256, 48, 1, 1, 0, 1, 1],
  ["squeezenet1_0", 27, 48, 192, 1, 1, 0, 1, 2],
  ["squeezenet1_0", 27, 48, 192, 3, 1, 1, 1, 2],
  ["squeezenet1_0", 27, 384, 48, 1, 1, 0, 1, 1],
  ["squeezenet1_0", 27, 384, 64, 1, 1, 0, 1, 1],
  ["squeezenet1_0", 27, 64, 256, 1, 1, 0, 1, 1],
  ["squeezenet1_0", 27, 64, 256, 3, 1, 1, 1, 1],
  ["squeezenet1_0", 13, 512, 64, 1, 1, 0, 1, 1],
  ["squeezenet1_0", 13, 64, 256, 1, 1, 0, 1, 1],
  ["squeezenet1_0", 13, 64, 256, 3, 1, 1, 1, 1],
  ["squeezenet1_0", 13, 512, 1000, 1, 1, 0, 1, 1],
  ["squeezenet1_1", 224, 3, 64, 3, 2, 0, 1, 1],
  ["squeezenet1_1", 55, 64, 16, 1, 1, 0, 1, 1],
  ["squeezenet1_1", 55, 16, 64, 1, 1, 0, 1, 2],
  ["squeezenet1_1", 55, 16, 64, 3, 1, 1, 1, 2],
  ["squeezenet1_1", 55, 128, 16, 1, 1, 0, 1, 1],
  ["squeezenet1_1", 27, 128, 32, 1, 1, 0, 1, 1],
  ["squeezenet1_1", 27, 32, 128, 1, 1, 0, 1, 2],
  ["squeezenet1_1", 27, 32, 128, 3, 1, 1, 1, 2],
  ["squeezenet1_1", 27, 256, 32, 1, 1, 0, 1, 1],
  ["squeezenet1_1", 13, 256, 48, 1, 1, 0, 1, 1],
  ["squeezenet1_1", 13, 48, 192, 1, 1, 0, 1, 2],
  ["squeezenet1_1", 13, 48, 192, 3, 1, 1, 1, 2],
  ["squeezenet1_1", 13, 384, 48, 1, 1, 0, 1, 1],
  ["squeezenet1_1", 13, 384, 64, 1, 1, 0, 1, 1],
  ["squeezenet1_1", 13, 64, 256, 1, 1, 0, 1, 2],
  ["squeezenet1_1", 13, 64, 256, 3, 1, 1, 1, 2],
  ["squeezenet1_1", 13, 512, 64, 1, 1, 0, 1, 1],
  ["squeezenet1_1", 13, 512, 1000, 1, 1, 0, 1, 1],
];

/** Kind of a conv: 'pointwise' (1x1 s1 dense), 'depthwise' (group == cin == cout), 'conv' (dense kxk). */
export function convKind({ k, stride, group, cin, cout }) {
  if (group === cin && group === cout && group > 1) return 'depthwise';
  if (k === 1 && stride === 1 && group === 1) return 'pointwise';
  return 'conv';
}

export function shapeId(s) {
  const kind = convKind(s);
  if (kind === 'depthwise') return `dw${s.k}x${s.k}_s${s.stride}_${s.h}x${s.w}_c${s.cin}`;
  if (kind === 'pointwise') return `pw_${s.h}x${s.w}_${s.cin}to${s.cout}`;
  return `conv${s.k}x${s.k}_s${s.stride}_p${s.pad}_${s.h}x${s.w}_${s.cin}to${s.cout}`;
}

/** Output size and FLOPs (2 per multiply-add; bias and activation not counted). */
export function convCost(s) {
  const oh = Math.floor((s.h + 2 * s.pad - s.k) / s.stride) + 1;
  const ow = Math.floor((s.w + 2 * s.pad - s.k) / s.stride) + 1;
  const flops = 2 * oh * ow * s.cout * (s.cin / s.group) * s.k * s.k;
  return { oh, ow, flops };
}

/** Every (model, layer shape) row, with kind, id, output size and FLOPs. */
export const LAYERS = ROWS.map(([model, h, cin, cout, k, stride, pad, group, count]) => {
  const s = { model, h, w: h, cin, cout, k, stride, pad, group, count };
  return { ...s, kind: convKind(s), id: shapeId(s), ...convCost(s) };
});

/** Unique shapes (deduplicated across models), each with the models that use it. */
export const SHAPES = (() => {
  const byId = new Map();
  for (const l of LAYERS) {
    if (!byId.has(l.id)) {
      const { model, count, ...shape } = l;
      byId.set(l.id, { ...shape, models: {} });
    }
    byId.get(l.id).models[l.model] = l.count;
  }
  return [...byId.values()];
})();

/** Compares this list with conv shapes read from a model; returns a list of differences. */
export function checkAgainstModel(model, convs) {
  const want = new Map(LAYERS.filter((l) => l.model === model).map((l) => [l.id, l.count]));
  const got = new Map();
  for (const c of convs) {
    if (c.h !== c.w || c.kh !== c.kw || new Set(c.pads).size > 1) {
      got.set(`non-square conv ${JSON.stringify(c)}`, 1);
      continue;
    }
    const id = shapeId({ h: c.h, w: c.w, cin: c.cin, cout: c.cout, k: c.kh, stride: c.stride,
      pad: c.pads[0], group: c.group });
    got.set(id, (got.get(id) ?? 0) + 1);
  }
  const diffs = [];
  for (const [id, n] of want) if (got.get(id) !== n) diffs.push(`${id}: list ${n}, model ${got.get(id) ?? 0}`);
  for (const [id, n] of got) if (!want.has(id)) diffs.push(`${id}: list 0, model ${n}`);
  return diffs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(SHAPES, null, 1));
  } else {
    console.log(['id', 'kind', 'h', 'w', 'cin', 'cout', 'kh', 'kw', 'stride', 'pad', 'group', 'oh', 'ow',
      'mflop', 'models'].join('\t'));
    for (const s of SHAPES) {
      console.log([s.id, s.kind, s.h, s.w, s.cin, s.cout, s.k, s.k, s.stride, s.pad, s.group, s.oh, s.ow,
        (s.flops / 1e6).toFixed(3), Object.entries(s.models).map(([m, n]) => `${m}:${n}`).join(',')].join('\t'));
    }
  }
}
