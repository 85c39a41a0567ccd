// Rebuilds an ONNX CNN from TensorFlow.js ops, so the TF.js wasm backend (XNNPACK) can run
// exactly the network litecnn and onnxruntime-web run. TF.js has no ONNX loader; this is the
// benchmark's stand-in for a converted TF.js graph model.
//
//   const net = await tfjsFromOnnx(tf, bytes);
//   const x = net.inputs[0].toTf(nchwData);          // once, outside the timed loop
//   const out = await net.predict({ [name]: x });     // {outputName: {data, dims}} (ONNX layout)
//   net.dispose();
//
// How the layout works. Activations are kept channels-last (NHWC), the layout TF.js and XNNPACK
// want. Every runtime value records `perm`: tf tensor axis i holds ONNX axis perm[i] (NCHW data
// held as NHWC has perm [0,2,3,1]; 5-D [N,g,c,H,W] held as [N,H,W,g,c] has [0,3,4,1,2]).
// Transpose nodes only change `perm` (no data movement); an op that needs a particular
// layout "materialises" its input with one tf.transpose (or a reshape when only size-1 axes
// move). ShuffleNet's channel shuffle (Reshape 5-D, Transpose [0,2,1,3,4], Reshape 4-D) thus
// becomes reshape [N,H,W,2,C/2], transpose [0,1,2,4,3], reshape [N,H,W,C]: the NHWC
// equivalent. Shape arithmetic (Shape/Gather/Div/... on constants) is folded at build time.
//
// Fusion: Conv (and Gemm) followed by Relu or Clip(0,6) as the conv output's only consumer
// becomes one tf.fused.conv2d / depthwiseConv2d / matMul with activation relu / relu6.
//
// Supported ops: Conv (dense, depthwise, grouped), Relu, Clip, LeakyRelu, Sigmoid, Tanh,
// HardSigmoid, HardSwish, Add, Sub, Mul, Div, MaxPool/AveragePool (pads, ceil_mode),
// GlobalAveragePool/GlobalMaxPool, ReduceMean, Concat, Reshape, Flatten, Transpose, Squeeze,
// Unsqueeze, Slice (step 1), Split, Gemm, MatMul, Softmax (last axis), Identity, Dropout,
// Constant, ConstantOfShape, Shape, Gather/Cast on constants. Anything else throws
// `Unsupported op ...` at build time (the bench reports the model as skipped for TF.js).

import { decodeModel } from './onnx_decode.mjs';

const prod = (xs) => xs.reduce((a, b) => a * b, 1);
const identity = (r) => Array.from({ length: r }, (_, i) => i);
const isIdentity = (p) => p.every((v, i) => v === i);
const sameArr = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
/** Channels-last perm for ONNX rank r: [N, C..., H, W] held as [N, H, W, C...]. */
const channelsLast = (r) => [0, r - 2, r - 1, ...identity(r).slice(1, r - 2)];
const invert = (p) => { const q = []; p.forEach((v, i) => { q[v] = i; }); return q; };

class Unsupported extends Error {}

/** Transposes plain row-major data with dims by perm (out axis i = in axis perm[i]). */
function transposeData(data, dims, perm) {
  const r = dims.length;
  const outDims = perm.map((a) => dims[a]);
  const inStrides = new Array(r);
  let s = 1;
  for (let i = r - 1; i >= 0; i--) { inStrides[i] = s; s *= dims[i]; }
  const out = new data.constructor(data.length);
  const idx = new Array(r).fill(0);
  const strides = perm.map((a) => inStrides[a]);
  for (let o = 0; o < data.length; o++) {
    let off = 0;
    for (let i = 0; i < r; i++) off += idx[i] * strides[i];
    out[o] = data[off];
    for (let i = r - 1; i >= 0; i--) {
      if (++idx[i] < outDims[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

function broadcastDims(a, b) {
  const r = Math.max(a.length, b.length);
  const out = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`cannot broadcast [${a}] with [${b}]`);
    out.push(Math.max(x, y));
  }
  return out;
}

/** Elementwise op on constants with numpy broadcasting (small shape-arithmetic tensors). */
function foldBinary(a, b, f, dtype) {
  const dims = broadcastDims(a.dims, b.dims);
  const n = prod(dims);
  const at = (v, flat) => {
    if (v.data.length === 1) return v.data[0];
    // General broadcast index.
    let rem = flat;
    let off = 0;
    let stride = 1;
    const vd = [...new Array(dims.length - v.dims.length).fill(1), ...v.dims];
    const strides = [];
    for (let i = vd.length - 1; i >= 0; i--) { strides[i] = stride; stride *= vd[i]; }
    for (let i = dims.length - 1; i >= 0; i--) {
      const c = rem % dims[i];
      rem = Math.floor(rem / dims[i]);
      if (vd[i] !== 1) off += c * strides[i];
    }
    return v.data[off];
  };
  const data = dtype === 'float32' ? new Float32Array(n) : new Array(n);
  for (let i = 0; i < n; i++) data[i] = f(at(a, i), at(b, i));
  return { kind: 'const', dims, dtype, data };
}

function normAxis(axis, rank) {
  return axis < 0 ? axis + rank : axis;
}

/**
 * Builds a TF.js network from ONNX bytes. `tf` is @tensorflow/tfjs-core with a backend set.
 * options.inputLayout: {inputName: 'NHWC' | 'ONNX'}; default NHWC for 4-D inputs consumed only
 * by spatial ops (Conv/pools), else the ONNX layout.
 */
export async function tfjsFromOnnx(tf, bytes, options = {}) {
  const model = decodeModel(bytes);
  const g = model.graph;
  const vals = new Map();      // name -> {kind:'const', dims, dtype, data} | {kind:'rt', dims, perm}
  const weights = new Map();   // '#w:...' -> tf.Tensor uploaded at build time
  const steps = [];            // {inputs: [names], outputs: [names], fn}
  const stats = { fused: 0, transposes: 0, opCounts: {}, convs: [] };

  for (const [name, t] of g.initializers) vals.set(name, { kind: 'const', ...t });
  // Constant nodes have no inputs: evaluate them all first (Clip bounds may follow the Conv).
  for (const n of g.nodes) {
    if (n.op === 'Constant') {
      const t = n.attrs.value;
      if (!t) throw new Unsupported(`Constant without a tensor value (${n.name})`);
      vals.set(n.outputs[0], { kind: 'const', dims: t.dims, dtype: t.dtype, data: t.data });
    }
  }

  const consumers = new Map();
  g.nodes.forEach((n, i) => n.inputs.forEach((x) => {
    if (!consumers.has(x)) consumers.set(x, []);
    consumers.get(x).push(i);
  }));
  const graphOutputs = new Set(g.outputs.map((o) => o.name));

  const constOf = (name) => {
    const v = vals.get(name);
    return v && v.kind === 'const' ? v : null;
  };
  const need = (name, what) => {
    const v = vals.get(name);
    if (!v) throw new Error(`${what}: value ${name} is not defined`);
    return v;
  };
  const needConst = (name, what) => {
    const v = constOf(name);
    if (!v) throw new Unsupported(`${what}: input ${name} must be a constant`);
    return v;
  };
  const ints = (name, what) => needConst(name, what).data.map(Number);

  let weightCounter = 0;
  /** Uploads a constant as a tf tensor, rank-padded and laid out for perm. */
  const upload = (v, rank = v.dims.length, perm = identity(rank)) => {
    const dims = [...new Array(rank - v.dims.length).fill(1), ...v.dims];
    let data = v.data instanceof Float32Array ? v.data : Float32Array.from(v.data);
    if (!isIdentity(perm)) data = transposeData(data, dims, perm);
    const key = `#w:${weightCounter++}`;
    weights.set(key, tf.tensor(data, perm.map((a) => dims[a]), 'float32'));
    return key;
  };

  const addStep = (inputs, outputs, fn) => steps.push({ inputs, outputs, fn });

  const matCache = new Map();
  /** Returns the name of `name` held with layout `perm` (adds a transpose step if needed). */
  const materialize = (name, perm) => {
    const v = need(name, 'materialize');
    if (v.kind === 'const') return upload(v, perm.length, perm);
    if (sameArr(v.perm, perm)) return name;
    const key = `${name}@${perm.join(',')}`;
    if (matCache.has(key)) return matCache.get(key);
    const q = perm.map((a) => v.perm.indexOf(a));
    const outShape = perm.map((a) => v.dims[a]);
    // If only size-1 axes move, a reshape is enough.
    const nonUnit = (p) => p.filter((a) => v.dims[a] !== 1);
    const reshapeOnly = sameArr(nonUnit(v.perm), nonUnit(perm));
    addStep([name], [key], reshapeOnly ? (x) => tf.reshape(x, outShape) : (x) => tf.transpose(x, q));
    if (!reshapeOnly) stats.transposes++;
    vals.set(key, { kind: 'rt', dims: v.dims, perm });
    matCache.set(key, key);
    return key;
  };

  // --- graph inputs ---
  const inputs = g.inputs.map((inp) => {
    const dims = inp.dims.map((d) => (d < 0 ? 1 : d));
    let layout = options.inputLayout?.[inp.name];
    if (!layout) {
      const spatial = new Set(['Conv', 'MaxPool', 'AveragePool', 'GlobalAveragePool']);
      const cons = consumers.get(inp.name) ?? [];
      layout = dims.length === 4 && cons.length > 0 && cons.every((i) => spatial.has(g.nodes[i].op))
        ? 'NHWC' : 'ONNX';
    }
    const perm = layout === 'NHWC' ? channelsLast(4) : identity(dims.length);
    vals.set(inp.name, { kind: 'rt', dims, perm });
    const tfShape = perm.map((a) => dims[a]);
    return {
      name: inp.name, dims, layout, tfShape,
      /** ONNX-layout Float32Array -> data in the layout this network takes (call outside timing). */
      toTf: (data) => (isIdentity(perm) ? data : transposeData(data, dims, perm)),
    };
  });

  // --- nodes ---
  const skip = new Set();
  const convPads = (n, inDims, kernel, strides, dilations) => {
    const autoPad = n.attrs.auto_pad ?? 'NOTSET';
    const k = kernel.length;
    if (autoPad === 'NOTSET') return n.attrs.pads ?? new Array(2 * k).fill(0);
    if (autoPad === 'VALID') return new Array(2 * k).fill(0);
    const pads = new Array(2 * k).fill(0);
    for (let i = 0; i < k; i++) {
      const inSize = inDims[2 + i];
      const out = Math.ceil(inSize / strides[i]);
      const total = Math.max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - inSize);
      const small = Math.floor(total / 2);
      pads[i] = autoPad === 'SAME_LOWER' ? total - small : small;
      pads[i + k] = total - pads[i];
    }
    return pads;
  };
  const tfPad = (p) => (p.every((v) => v === 0) ? 'valid' : [[0, 0], [p[0], p[2]], [p[1], p[3]], [0, 0]]);

  /** If node i's only consumer is Relu/Clip(0,6), fuse it: returns [activation, outName]. */
  const fusableActivation = (i) => {
    const out = g.nodes[i].outputs[0];
    const cons = consumers.get(out) ?? [];
    if (graphOutputs.has(out) || cons.length !== 1) return ['linear', out];
    const a = g.nodes[cons[0]];
    let act = null;
    if (a.op === 'Relu') act = 'relu';
    else if (a.op === 'Clip') {
      const lo = a.inputs[1] ? constOf(a.inputs[1])?.data[0] : a.attrs.min;
      const hi = a.inputs[2] ? constOf(a.inputs[2])?.data[0] : a.attrs.max;
      if (lo === 0 && hi === 6) act = 'relu6';
      else if (lo === 0 && (hi === undefined || hi === Infinity)) act = 'relu';
    }
    if (!act) return ['linear', out];
    skip.add(cons[0]);
    stats.fused++;
    return [act, a.outputs[0]];
  };

  const unary = (n, f) => {
    const v = need(n.inputs[0], n.op);
    if (v.kind === 'const') throw new Unsupported(`${n.op} on a constant`);
    addStep([n.inputs[0]], [n.outputs[0]], f);
    vals.set(n.outputs[0], { kind: 'rt', dims: v.dims, perm: v.perm });
  };

  const binary = (n, tfOp, fold) => {
    const [an, bn] = n.inputs;
    const a = need(an, n.op);
    const b = need(bn, n.op);
    if (a.kind === 'const' && b.kind === 'const') {
      const dtype = a.dtype === 'float32' || b.dtype === 'float32' ? 'float32' : a.dtype;
      vals.set(n.outputs[0], foldBinary(a, b, dtype === 'int' && n.op === 'Div'
        ? (x, y) => Math.trunc(x / y) : fold, dtype));
      return;
    }
    const dims = broadcastDims(a.dims, b.dims);
    const r = dims.length;
    // The runtime operand with the full rank sets the layout; the other follows it.
    const lead = a.kind === 'rt' && a.dims.length === r ? a : b.kind === 'rt' && b.dims.length === r ? b : null;
    const perm = lead ? lead.perm : identity(r);
    const prep = (name, v) => {
      if (v.kind === 'const') return upload(v, r, perm);
      if (v.dims.length !== r) {
        // Rank-pad a lower-rank runtime operand (ONNX layout first).
        const m = materialize(name, identity(v.dims.length));
        const key = `${name}@rank${r}`;
        const padded = [...new Array(r - v.dims.length).fill(1), ...v.dims];
        addStep([m], [key], (x) => tf.reshape(x, padded));
        vals.set(key, { kind: 'rt', dims: padded, perm: identity(r) });
        return materialize(key, perm);
      }
      return materialize(name, perm);
    };
    const ai = prep(an, a);
    const bi = prep(bn, b);
    addStep([ai, bi], [n.outputs[0]], tfOp);
    vals.set(n.outputs[0], { kind: 'rt', dims, perm });
  };

  const pool = (n, kind) => {
    const v = need(n.inputs[0], n.op);
    if (v.dims.length !== 4) throw new Unsupported(`${n.op} on rank ${v.dims.length}`);
    const x = materialize(n.inputs[0], channelsLast(4));
    const kernel = n.attrs.kernel_shape;
    const strides = n.attrs.strides ?? [1, 1];
    const dil = n.attrs.dilations ?? [1, 1];
    if (dil.some((d) => d !== 1)) throw new Unsupported(`${n.op} with dilations`);
    const pads = [...convPads(n, v.dims, kernel, strides, dil)];
    const out = [];
    for (let i = 0; i < 2; i++) {
      const padded = v.dims[2 + i] + pads[i] + pads[i + 2];
      let o = n.attrs.ceil_mode
        ? Math.ceil((padded - kernel[i]) / strides[i]) + 1
        : Math.floor((padded - kernel[i]) / strides[i]) + 1;
      // ONNX/PyTorch: the last window must start inside the input or the begin padding.
      if (n.attrs.ceil_mode && (o - 1) * strides[i] >= v.dims[2 + i] + pads[i]) o--;
      // Extra end padding turns tf's floor rounding into ceil_mode. Max pooling ignores padding;
      // TF.js/XNNPACK average pooling excludes it from the divisor, as ONNX does for this region.
      pads[i + 2] += Math.max(0, (o - 1) * strides[i] + kernel[i] - padded);
      out.push(o);
    }
    if (kind === 'avg' && n.attrs.count_include_pad && pads.some((p) => p)) {
      throw new Unsupported('AveragePool with count_include_pad=1 and padding');
    }
    const pad = tfPad(pads);
    addStep([x], [n.outputs[0]], kind === 'max'
      ? (t) => tf.maxPool(t, kernel, strides, pad)
      : (t) => tf.avgPool(t, kernel, strides, pad));
    vals.set(n.outputs[0], { kind: 'rt', dims: [v.dims[0], v.dims[1], ...out], perm: channelsLast(4) });
  };

  const reshapeTo = (name, v, outDims, outName) => {
    const r = v.dims.length;
    const s = outDims.length;
    // Spatial dims kept as the last two, batch kept: reshape in channels-last form.
    if (r >= 3 && s >= 3 && v.dims[0] === outDims[0] && v.dims[r - 2] === outDims[s - 2] &&
        v.dims[r - 1] === outDims[s - 1] && sameArr(v.perm, channelsLast(r))) {
      const permOut = channelsLast(s);
      addStep([name], [outName], (x) => tf.reshape(x, permOut.map((a) => outDims[a])));
      vals.set(outName, { kind: 'rt', dims: outDims, perm: permOut });
      return;
    }
    if (r >= 3 && s >= 3 && v.dims[0] === outDims[0] && v.dims[r - 2] === outDims[s - 2] &&
        v.dims[r - 1] === outDims[s - 1] && !isIdentity(v.perm)) {
      reshapeTo(materialize(name, channelsLast(r)), { ...v, perm: channelsLast(r) }, outDims, outName);
      return;
    }
    const m = materialize(name, identity(r));
    addStep([m], [outName], (x) => tf.reshape(x, outDims));
    vals.set(outName, { kind: 'rt', dims: outDims, perm: identity(s) });
  };

  g.nodes.forEach((n, i) => {
    if (skip.has(i) || n.op === 'Constant') return;
    if (n.domain && n.domain !== 'ai.onnx') throw new Unsupported(`op ${n.domain}.${n.op}`);
    stats.opCounts[n.op] = (stats.opCounts[n.op] ?? 0) + 1;
    const out = n.outputs[0];
    switch (n.op) {
      case 'Identity':
      case 'Dropout': {
        const v = need(n.inputs[0], n.op);
        if (v.kind === 'const') vals.set(out, v);
        else { addStep([n.inputs[0]], [out], (x) => x); vals.set(out, v); }
        break;
      }
      case 'Conv': {
        const v = need(n.inputs[0], 'Conv');
        if (v.kind !== 'rt' || v.dims.length !== 4) throw new Unsupported('Conv: only 2-D convs on runtime inputs');
        const w = needConst(n.inputs[1], 'Conv weight');
        const bias = n.inputs[2] ? needConst(n.inputs[2], 'Conv bias') : null;
        const [cout, cinPerGroup, kh, kw] = w.dims;
        const group = n.attrs.group ?? 1;
        const cin = v.dims[1];
        const strides = n.attrs.strides ?? [1, 1];
        const dil = n.attrs.dilations ?? [1, 1];
        const pads = convPads(n, v.dims, [kh, kw], strides, dil);
        const pad = tfPad(pads);
        const [activation, outName] = fusableActivation(i);
        const x = materialize(n.inputs[0], channelsLast(4));
        const biasKey = bias ? upload(bias) : null;
        const b = () => (biasKey ? weights.get(biasKey) : undefined);
        const filterKey = `#w:${weightCounter++}`;
        let fn;
        if (group === cin && cinPerGroup === 1) {
          // Depthwise: OIHW [C*M, 1, kh, kw] -> [kh, kw, C, M].
          const mult = cout / group;
          const f = new Float32Array(w.data.length);
          for (let c = 0; c < cin; c++) for (let m = 0; m < mult; m++) {
            for (let y = 0; y < kh; y++) for (let xx = 0; xx < kw; xx++) {
              f[((y * kw + xx) * cin + c) * mult + m] = w.data[((c * mult + m) * kh + y) * kw + xx];
            }
          }
          weights.set(filterKey, tf.tensor(f, [kh, kw, cin, mult], 'float32'));
          fn = (t) => tf.fused.depthwiseConv2d({ x: t, filter: weights.get(filterKey), strides, pad,
            dilations: dil, bias: b(), activation });
        } else {
          // Dense (per group): OIHW -> HWIO.
          const coutG = cout / group;
          const filters = [];
          for (let gi = 0; gi < group; gi++) {
            const f = new Float32Array(kh * kw * cinPerGroup * coutG);
            for (let o = 0; o < coutG; o++) for (let ci = 0; ci < cinPerGroup; ci++) {
              for (let y = 0; y < kh; y++) for (let xx = 0; xx < kw; xx++) {
                f[((y * kw + xx) * cinPerGroup + ci) * coutG + o] =
                  w.data[(((gi * coutG + o) * cinPerGroup + ci) * kh + y) * kw + xx];
              }
            }
            filters.push(tf.tensor(f, [kh, kw, cinPerGroup, coutG], 'float32'));
          }
          if (group === 1) {
            weights.set(filterKey, filters[0]);
            fn = (t) => tf.fused.conv2d({ x: t, filter: weights.get(filterKey), strides, pad,
              dilations: dil, bias: b(), activation });
          } else {
            filters.forEach((f, gi) => weights.set(`${filterKey}/${gi}`, f));
            const biasParts = bias
              ? filters.map((_, gi) => tf.tensor(bias.data.slice(gi * coutG, (gi + 1) * coutG), [coutG]))
              : null;
            biasParts?.forEach((t, gi) => weights.set(`${filterKey}/b${gi}`, t));
            fn = (t) => {
              const parts = tf.split(t, group, 3).map((p, gi) => tf.fused.conv2d({ x: p,
                filter: filters[gi], strides, pad, dilations: dil, bias: biasParts?.[gi], activation }));
              return tf.concat(parts, 3);
            };
          }
        }
        addStep([x], [outName], fn);
        const oh = Math.floor((v.dims[2] + pads[0] + pads[2] - ((kh - 1) * dil[0] + 1)) / strides[0]) + 1;
        const ow = Math.floor((v.dims[3] + pads[1] + pads[3] - ((kw - 1) * dil[1] + 1)) / strides[1]) + 1;
        vals.set(outName, { kind: 'rt', dims: [v.dims[0], cout, oh, ow], perm: channelsLast(4) });
        // Layer shapes for bench/shapes.mjs's consistency check.
        stats.convs.push({ h: v.dims[2], w: v.dims[3], cin, cout, kh, kw, stride: strides[0], pads: [...pads],
          group, activation });
        break;
      }
      case 'Relu': unary(n, (x) => tf.relu(x)); break;
      case 'Sigmoid': unary(n, (x) => tf.sigmoid(x)); break;
      case 'Tanh': unary(n, (x) => tf.tanh(x)); break;
      case 'LeakyRelu': { const a = n.attrs.alpha ?? 0.01; unary(n, (x) => tf.leakyRelu(x, a)); break; }
      case 'Clip': {
        const lo = n.inputs[1] ? needConst(n.inputs[1], 'Clip min').data[0] : (n.attrs.min ?? -Infinity);
        const hi = n.inputs[2] ? needConst(n.inputs[2], 'Clip max').data[0] : (n.attrs.max ?? Infinity);
        if (lo === 0 && hi === 6) unary(n, (x) => tf.relu6(x));
        else if (lo === 0 && hi === Infinity) unary(n, (x) => tf.relu(x));
        else unary(n, (x) => tf.clipByValue(x, lo, hi));
        break;
      }
      case 'HardSigmoid': {
        const a = n.attrs.alpha ?? 0.2;
        const b = n.attrs.beta ?? 0.5;
        unary(n, (x) => tf.clipByValue(tf.add(tf.mul(x, a), b), 0, 1));
        break;
      }
      case 'HardSwish':
        unary(n, (x) => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6)));
        break;
      case 'Add': binary(n, (a, b) => tf.add(a, b), (x, y) => x + y); break;
      case 'Sub': binary(n, (a, b) => tf.sub(a, b), (x, y) => x - y); break;
      case 'Mul': binary(n, (a, b) => tf.mul(a, b), (x, y) => x * y); break;
      case 'Div': binary(n, (a, b) => tf.div(a, b), (x, y) => x / y); break;
      case 'MaxPool': pool(n, 'max'); break;
      case 'AveragePool': pool(n, 'avg'); break;
      case 'GlobalAveragePool':
      case 'GlobalMaxPool': {
        const v = need(n.inputs[0], n.op);
        const r = v.dims.length;
        const spatial = identity(r).slice(2).map((a) => v.perm.indexOf(a));
        const f = n.op === 'GlobalAveragePool' ? tf.mean : tf.max;
        addStep([n.inputs[0]], [out], (x) => f(x, spatial, true));
        vals.set(out, { kind: 'rt', dims: v.dims.map((d, a) => (a >= 2 ? 1 : d)), perm: v.perm });
        break;
      }
      case 'ReduceMean': {
        const v = need(n.inputs[0], n.op);
        const r = v.dims.length;
        const axes = (n.attrs.axes ?? (n.inputs[1] ? ints(n.inputs[1], 'ReduceMean axes') : identity(r)))
          .map((a) => normAxis(a, r));
        const keep = (n.attrs.keepdims ?? 1) === 1;
        const tfAxes = axes.map((a) => v.perm.indexOf(a));
        addStep([n.inputs[0]], [out], (x) => tf.mean(x, tfAxes, keep));
        if (keep) vals.set(out, { kind: 'rt', dims: v.dims.map((d, a) => (axes.includes(a) ? 1 : d)), perm: v.perm });
        else {
          const kept = identity(r).filter((a) => !axes.includes(a));
          const perm = v.perm.filter((a) => !axes.includes(a)).map((a) => kept.indexOf(a));
          vals.set(out, { kind: 'rt', dims: kept.map((a) => v.dims[a]), perm });
        }
        break;
      }
      case 'Concat': {
        const vs = n.inputs.map((x) => need(x, 'Concat'));
        const r = vs[0].dims.length;
        const axis = normAxis(n.attrs.axis, r);
        if (vs.every((v) => v.kind === 'const')) {
          if (r !== 1) throw new Unsupported('Concat of constants beyond rank 1');
          const data = vs.flatMap((v) => Array.from(v.data));
          vals.set(out, { kind: 'const', dims: [data.length], dtype: vs[0].dtype,
            data: vs[0].dtype === 'float32' ? Float32Array.from(data) : data });
          break;
        }
        const perm = vs.find((v) => v.kind === 'rt').perm;
        const names = n.inputs.map((x) => materialize(x, perm));
        const tfAxis = perm.indexOf(axis);
        addStep(names, [out], (...ts) => tf.concat(ts, tfAxis));
        const dims = [...vs[0].dims];
        dims[axis] = vs.reduce((s, v) => s + v.dims[axis], 0);
        vals.set(out, { kind: 'rt', dims, perm });
        break;
      }
      case 'Reshape': {
        const v = need(n.inputs[0], 'Reshape');
        const shape = ints(n.inputs[1], 'Reshape shape');
        const total = prod(v.dims);
        const dims = shape.map((d, a) => (d === 0 && !n.attrs.allowzero ? v.dims[a] : d));
        const known = prod(dims.filter((d) => d !== -1));
        const outDims = dims.map((d) => (d === -1 ? total / known : d));
        if (v.kind === 'const') vals.set(out, { ...v, dims: outDims });
        else reshapeTo(n.inputs[0], v, outDims, out);
        break;
      }
      case 'Flatten': {
        const v = need(n.inputs[0], 'Flatten');
        const axis = normAxis(n.attrs.axis ?? 1, v.dims.length);
        const outDims = [prod(v.dims.slice(0, axis)), prod(v.dims.slice(axis))];
        if (v.kind === 'const') vals.set(out, { ...v, dims: outDims });
        else reshapeTo(n.inputs[0], v, outDims, out);
        break;
      }
      case 'Squeeze':
      case 'Unsqueeze': {
        const v = need(n.inputs[0], n.op);
        const axesIn = n.attrs.axes ?? (n.inputs[1] ? ints(n.inputs[1], `${n.op} axes`) : null);
        let outDims;
        if (n.op === 'Squeeze') {
          const axes = (axesIn ?? v.dims.map((d, a) => (d === 1 ? a : -1)).filter((a) => a >= 0))
            .map((a) => normAxis(a, v.dims.length));
          outDims = v.dims.filter((_, a) => !axes.includes(a));
        } else {
          const r = v.dims.length + axesIn.length;
          const axes = axesIn.map((a) => normAxis(a, r));
          outDims = [];
          let k = 0;
          for (let a = 0; a < r; a++) outDims.push(axes.includes(a) ? 1 : v.dims[k++]);
        }
        if (v.kind === 'const') vals.set(out, { ...v, dims: outDims });
        else reshapeTo(n.inputs[0], v, outDims, out);
        break;
      }
      case 'Transpose': {
        const v = need(n.inputs[0], 'Transpose');
        const p = n.attrs.perm ?? identity(v.dims.length).reverse();
        const dims = p.map((a) => v.dims[a]);
        if (v.kind === 'const') {
          const data = transposeData(v.data instanceof Float32Array ? v.data : Float32Array.from(v.data), v.dims, p);
          vals.set(out, { kind: 'const', dtype: v.dtype, dims, data: v.dtype === 'float32' ? data : Array.from(data) });
          break;
        }
        // No data movement: only the bookkeeping changes.
        const pinv = invert(p);
        addStep([n.inputs[0]], [out], (x) => x);
        vals.set(out, { kind: 'rt', dims, perm: v.perm.map((a) => pinv[a]) });
        break;
      }
      case 'Shape': {
        const v = need(n.inputs[0], 'Shape');
        vals.set(out, { kind: 'const', dims: [v.dims.length], dtype: 'int', data: [...v.dims] });
        break;
      }
      case 'Gather': {
        const v = needConst(n.inputs[0], 'Gather data');
        const idx = needConst(n.inputs[1], 'Gather indices');
        if (v.dims.length !== 1) throw new Unsupported('Gather beyond rank-1 constants');
        const data = idx.data.map((k) => v.data[k < 0 ? k + v.data.length : k]);
        vals.set(out, { kind: 'const', dims: idx.dims, dtype: v.dtype, data });
        break;
      }
      case 'Cast': {
        const v = needConst(n.inputs[0], 'Cast');
        const float = n.attrs.to === 1;
        vals.set(out, { kind: 'const', dims: v.dims, dtype: float ? 'float32' : 'int',
          data: float ? Float32Array.from(v.data) : Array.from(v.data, Math.trunc) });
        break;
      }
      case 'ConstantOfShape': {
        const dims = ints(n.inputs[0], 'ConstantOfShape shape');
        const t = n.attrs.value;
        const value = t ? t.data[0] : 0;
        const isFloat = !t || t.dtype === 'float32';
        const count = prod(dims);
        vals.set(out, { kind: 'const', dims, dtype: isFloat ? 'float32' : 'int',
          data: isFloat ? new Float32Array(count).fill(value) : new Array(count).fill(value) });
        break;
      }
      case 'Slice': {
        const v = need(n.inputs[0], 'Slice');
        const r = v.dims.length;
        const starts = n.attrs.starts ?? ints(n.inputs[1], 'Slice starts');
        const ends = n.attrs.ends ?? ints(n.inputs[2], 'Slice ends');
        const axes = (n.attrs.axes ?? (n.inputs[3] ? ints(n.inputs[3], 'Slice axes') : identity(starts.length)))
          .map((a) => normAxis(a, r));
        const steps_ = n.inputs[4] ? ints(n.inputs[4], 'Slice steps') : starts.map(() => 1);
        if (steps_.some((s) => s !== 1)) throw new Unsupported('Slice with steps != 1');
        const begin = new Array(r).fill(0);
        const size = [...v.dims];
        axes.forEach((a, k) => {
          const d = v.dims[a];
          const clamp = (x) => Math.min(Math.max(x < 0 ? x + d : x, 0), d);
          begin[a] = clamp(starts[k]);
          size[a] = Math.max(0, clamp(ends[k]) - begin[a]);
        });
        if (v.kind === 'const') {
          if (r !== 1) throw new Unsupported('Slice of constants beyond rank 1');
          const data = v.data.slice(begin[0], begin[0] + size[0]);
          vals.set(out, { ...v, dims: [size[0]], data });
          break;
        }
        const tb = v.perm.map((a) => begin[a]);
        const ts = v.perm.map((a) => size[a]);
        addStep([n.inputs[0]], [out], (x) => tf.slice(x, tb, ts));
        vals.set(out, { kind: 'rt', dims: size, perm: v.perm });
        break;
      }
      case 'Split': {
        const v = need(n.inputs[0], 'Split');
        if (v.kind !== 'rt') throw new Unsupported('Split of a constant');
        const r = v.dims.length;
        const axis = normAxis(n.attrs.axis ?? 0, r);
        let sizes = n.attrs.split ?? (n.inputs[1] ? ints(n.inputs[1], 'Split sizes') : null);
        if (!sizes) sizes = n.outputs.map(() => v.dims[axis] / n.outputs.length);
        const tfAxis = v.perm.indexOf(axis);
        addStep([n.inputs[0]], n.outputs, (x) => tf.split(x, sizes, tfAxis));
        n.outputs.forEach((o, k) => {
          const dims = [...v.dims];
          dims[axis] = sizes[k];
          vals.set(o, { kind: 'rt', dims, perm: v.perm });
        });
        break;
      }
      case 'Gemm': {
        const a = need(n.inputs[0], 'Gemm');
        if (a.kind !== 'rt' || a.dims.length !== 2) throw new Unsupported('Gemm: A must be a runtime matrix');
        const bc = needConst(n.inputs[1], 'Gemm B');
        const alpha = n.attrs.alpha ?? 1;
        const beta = n.attrs.beta ?? 1;
        const transA = n.attrs.transA ?? 0;
        const transB = n.attrs.transB ?? 0;
        // B as [K, N] (pre-transposed at build time), alpha folded in.
        let bData = bc.data;
        if (transB) bData = transposeData(bData, bc.dims, [1, 0]);
        if (alpha !== 1) bData = bData.map((x) => x * alpha);
        const [K, N] = transB ? [bc.dims[1], bc.dims[0]] : bc.dims;
        const bKey = `#w:${weightCounter++}`;
        weights.set(bKey, tf.tensor(bData, [K, N], 'float32'));
        let biasKey = null;
        if (n.inputs[2]) {
          const c = needConst(n.inputs[2], 'Gemm C');
          const cd = beta === 1 ? c.data : Float32Array.from(c.data, (x) => x * beta);
          biasKey = upload({ ...c, data: cd }, c.dims.length);
        }
        const [activation, outName] = fusableActivation(i);
        const x = materialize(n.inputs[0], identity(2));
        addStep([x], [outName], (t) => tf.fused.matMul({ a: t, b: weights.get(bKey), transposeA: !!transA,
          bias: biasKey ? weights.get(biasKey) : undefined, activation }));
        const M = transA ? a.dims[1] : a.dims[0];
        vals.set(outName, { kind: 'rt', dims: [M, N], perm: identity(2) });
        break;
      }
      case 'MatMul': {
        const a = need(n.inputs[0], 'MatMul');
        const b = need(n.inputs[1], 'MatMul');
        const ra = a.dims.length;
        if (ra < 2 || b.dims.length !== 2) throw new Unsupported('MatMul: only [..., M, K] x [K, N]');
        const ai = materialize(n.inputs[0], identity(ra));
        const bi = materialize(n.inputs[1], identity(2));
        const M = prod(a.dims.slice(0, -1));
        const outDims = [...a.dims.slice(0, -1), b.dims[1]];
        addStep([ai, bi], [out], (x, y) => tf.reshape(tf.matMul(tf.reshape(x, [M, a.dims[ra - 1]]), y), outDims));
        vals.set(out, { kind: 'rt', dims: outDims, perm: identity(outDims.length) });
        break;
      }
      case 'Softmax': {
        const v = need(n.inputs[0], 'Softmax');
        const r = v.dims.length;
        const axis = normAxis(n.attrs.axis ?? (model.opset >= 13 ? -1 : 1), r);
        if (axis !== r - 1 && !(model.opset < 13 && axis === 1 && r === 2)) {
          throw new Unsupported('Softmax on a non-last axis');
        }
        const x = materialize(n.inputs[0], identity(r));
        addStep([x], [out], (t) => tf.softmax(t));
        vals.set(out, { kind: 'rt', dims: v.dims, perm: identity(r) });
        break;
      }
      default:
        throw new Unsupported(`op ${n.op} (node ${n.name})`);
    }
  });

  // Graph outputs in ONNX layout.
  const outputs = g.outputs.map((o) => {
    const v = need(o.name, 'output');
    if (v.kind === 'const') throw new Unsupported(`output ${o.name} is a constant`);
    return { name: o.name, dims: v.dims, tfName: materialize(o.name, identity(v.dims.length)) };
  });

  // Lifetimes: a tensor is disposed after its last reader (refcounted: aliases share tensors).
  const lastUse = new Map();
  steps.forEach((s, k) => s.inputs.forEach((x) => lastUse.set(x, k)));
  for (const o of outputs) lastUse.set(o.tfName, Infinity);
  const inputNames = new Set(inputs.map((x) => x.name));

  /** Runs the network: feeds {inputName: tf.Tensor in the input's tfShape}. Returns tf tensors. */
  function execute(feeds) {
    const env = new Map();
    const refs = new Map();  // tensor -> live names
    const hold = (name, t) => {
      env.set(name, t);
      refs.set(t, (refs.get(t) ?? 0) + 1);
    };
    const release = (name) => {
      const t = env.get(name);
      env.delete(name);
      const c = refs.get(t) - 1;
      refs.set(t, c);
      if (c === 0 && !feedSet.has(t)) t.dispose();
    };
    const feedSet = new Set();
    for (const inp of inputs) {
      const t = feeds[inp.name];
      if (!t) throw new Error(`missing input ${inp.name}`);
      feedSet.add(t);
      hold(inp.name, t);
    }
    steps.forEach((s, k) => {
      const args = s.inputs.map((x) => (x.startsWith('#w:') ? weights.get(x) : env.get(x)));
      const r = s.fn(...args);
      const rs = Array.isArray(r) ? r : [r];
      s.outputs.forEach((o, j) => {
        if (lastUse.has(o)) hold(o, rs[j]);
        else if (!feedSet.has(rs[j]) && !refs.get(rs[j])) rs[j].dispose();  // unused output
      });
      for (const x of new Set(s.inputs)) if (!x.startsWith('#w:') && lastUse.get(x) === k) release(x);
    });
    for (const x of inputNames) if (env.has(x) && lastUse.get(x) === undefined) release(x);
    return Object.fromEntries(outputs.map((o) => [o.name, env.get(o.tfName)]));
  }

  return {
    inputs,
    outputs: outputs.map(({ name, dims }) => ({ name, dims })),
    stats: { ...stats, steps: steps.length, weights: weights.size },
    execute,
    /** Full run incl. input upload and output download: {outputName: {data, dims}}. */
    async predict(feeds) {
      const ts = Object.fromEntries(inputs.map((inp) => [inp.name, tf.tensor(feeds[inp.name], inp.tfShape, 'float32')]));
      const outs = execute(ts);
      for (const t of Object.values(ts)) t.dispose();
      const result = {};
      for (const o of outputs) {
        const t = outs[o.name];
        result[o.name] = { data: await t.data(), dims: o.dims };
        t.dispose();
      }
      return result;
    },
    dispose() {
      for (const t of weights.values()) t.dispose();
      weights.clear();
    },
  };
}

export { Unsupported };
