// Tensor: what models take and give. A leaf module (it imports only the checks), so that
// everything else may import it without an order to respect.

import { describe, dimsText, fail } from './errors.js';

// Element types a Tensor can hold, keyed by litecnn's dtype names (DataTypeName in C++).
const TYPED_ARRAYS = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int32: Int32Array,
  int64: BigInt64Array,
};

function dtypeOf(data) {
  for (const [dtype, ctor] of Object.entries(TYPED_ARRAYS)) {
    // Exact constructor match: a Buffer (a Uint8Array subclass) still counts as uint8.
    if (data instanceof ctor) return dtype;
  }
  return undefined;
}

/** Fails unless dims is an array of non-negative integers; returns their product. */
export function checkDims(dims, what) {
  if (!Array.isArray(dims)) fail(`${what}: dims must be an array of integers, got ${describe(dims)}`);
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) {
      fail(`${what}: dims must be non-negative integers, got ${dimsText(dims)}`);
    }
  }
  return dims.reduce((n, d) => n * d, 1);
}

/** A dense, row-major tensor: a typed array plus its dims (ONNX order, e.g. NCHW). */
export class Tensor {
  constructor(data, dims) {
    const dtype = dtypeOf(data);
    if (dtype === undefined) {
      fail(`Tensor data must be a typed array such as Float32Array, got ${describe(data)}`);
    }
    const count = checkDims(dims, 'Tensor');
    if (count !== data.length) {
      fail(`Tensor data has ${data.length} elements but dims ${dimsText(dims)} need ${count}`);
    }
    this.data = data;
    this.dims = Object.freeze([...dims]);
    this.dtype = dtype;
  }

  get size() {
    return this.data.length;
  }
}
