// A minimal ONNX (protobuf) decoder for the benchmark: enough of ModelProto to rebuild a CNN in
// another runtime (bench/tfjs_from_onnx.mjs) and to read layer shapes. It mirrors the field
// numbers used by tests/node/onnx_encode.mjs (from onnx/onnx.proto). No protobuf dependency.

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

// TensorProto.DataType values used by the models here.
export const DTYPE = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, DOUBLE: 11 };

class Reader {
  constructor(bytes, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  done() {
    return this.pos >= this.end;
  }

  // Varints as BigInt-free numbers when they fit in 2^53; int64 fields go through varint64().
  varint() {
    let result = 0;
    let shift = 1;
    for (;;) {
      if (this.pos >= this.end) throw new Error('onnx decode: truncated varint');
      const b = this.bytes[this.pos++];
      result += (b & 0x7f) * shift;
      if (b < 0x80) return result;
      shift *= 128;
    }
  }

  varint64() {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new Error('onnx decode: truncated varint');
      const b = this.bytes[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asIntN(64, result);
      shift += 7n;
    }
  }

  // Yields [field, wireType] and leaves the reader at the value.
  tag() {
    const t = this.varint();
    return [Math.floor(t / 8), t % 8];
  }

  lengthDelimited() {
    const len = this.varint();
    const start = this.pos;
    this.pos += len;
    if (this.pos > this.end) throw new Error('onnx decode: truncated field');
    return [start, this.pos];
  }

  sub() {
    const [s, e] = this.lengthDelimited();
    return new Reader(this.bytes, s, e);
  }

  string() {
    const [s, e] = this.lengthDelimited();
    return new TextDecoder().decode(this.bytes.subarray(s, e));
  }

  float32() {
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  skip(wire) {
    if (wire === WIRE_VARINT) this.varint64();
    else if (wire === WIRE_I64) this.pos += 8;
    else if (wire === WIRE_LEN) this.lengthDelimited();
    else if (wire === WIRE_I32) this.pos += 4;
    else throw new Error(`onnx decode: unsupported wire type ${wire}`);
  }

  // Repeated numeric fields may be packed (LEN) or not; readOne reads one unpacked element.
  repeated(wire, readOne, out) {
    if (wire === WIRE_LEN) {
      const [s, e] = this.lengthDelimited();
      const r = new Reader(this.bytes, s, e);
      while (!r.done()) out.push(readOne(r));
    } else {
      out.push(readOne(this));
    }
  }
}

const readInt64 = (r) => Number(r.varint64());

function decodeTensor(r) {
  const t = { name: '', dims: [], dataType: 0, raw: null, floatData: [], int32Data: [], int64Data: [],
    doubleData: [], external: false };
  while (!r.done()) {
    const [f, w] = r.tag();
    switch (f) {
      case 1: r.repeated(w, readInt64, t.dims); break;
      case 2: t.dataType = r.varint(); break;
      case 4: r.repeated(w, (x) => x.float32(), t.floatData); break;
      case 5: r.repeated(w, readInt64, t.int32Data); break;
      case 7: r.repeated(w, readInt64, t.int64Data); break;
      case 8: t.name = r.string(); break;
      case 9: {
        const [s, e] = r.lengthDelimited();
        t.raw = r.bytes.subarray(s, e);
        break;
      }
      case 10: r.repeated(w, (x) => { const v = x.view.getFloat64(x.pos, true); x.pos += 8; return v; }, t.doubleData); break;
      case 14: t.external = r.varint() === 1; break;
      default: r.skip(w);
    }
  }
  if (t.external) throw new Error(`onnx decode: tensor ${t.name} uses external data (unsupported)`);
  return tensorValues(t);
}

/** Converts a decoded TensorProto into {name, dims, dtype, data}: Float32Array or plain numbers. */
function tensorValues(t) {
  const count = t.dims.reduce((a, b) => a * b, 1);
  let data;
  let dtype;
  if (t.dataType === DTYPE.FLOAT) {
    dtype = 'float32';
    if (t.raw) {
      // Copy: raw_data is not necessarily 4-byte aligned inside the file.
      data = new Float32Array(count);
      new Uint8Array(data.buffer).set(t.raw.subarray(0, count * 4));
    } else {
      data = Float32Array.from(t.floatData);
    }
  } else if (t.dataType === DTYPE.INT64 || t.dataType === DTYPE.INT32 || t.dataType === DTYPE.INT8 ||
             t.dataType === DTYPE.UINT8 || t.dataType === DTYPE.BOOL || t.dataType === DTYPE.DOUBLE) {
    // Shape arithmetic only: plain JS numbers (int64 values here are small).
    dtype = t.dataType === DTYPE.DOUBLE ? 'float64' : 'int';
    if (t.raw) {
      const v = new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength);
      data = [];
      for (let i = 0; i < count; i++) {
        switch (t.dataType) {
          case DTYPE.INT64: data.push(Number(v.getBigInt64(i * 8, true))); break;
          case DTYPE.INT32: data.push(v.getInt32(i * 4, true)); break;
          case DTYPE.INT8: data.push(v.getInt8(i)); break;
          case DTYPE.DOUBLE: data.push(v.getFloat64(i * 8, true)); break;
          default: data.push(v.getUint8(i));
        }
      }
    } else {
      data = t.dataType === DTYPE.INT64 ? t.int64Data : t.dataType === DTYPE.DOUBLE ? t.doubleData : t.int32Data;
    }
  } else {
    throw new Error(`onnx decode: tensor ${t.name} has unsupported data type ${t.dataType}`);
  }
  if (data.length !== count) {
    throw new Error(`onnx decode: tensor ${t.name} has ${data.length} values for dims [${t.dims}]`);
  }
  return { name: t.name, dims: t.dims, dtype, data };
}

function decodeAttribute(r) {
  const a = { name: '', type: 0, f: undefined, i: undefined, s: undefined, t: undefined,
    floats: [], ints: [] };
  while (!r.done()) {
    const [f, w] = r.tag();
    switch (f) {
      case 1: a.name = r.string(); break;
      case 2: a.f = r.float32(); break;
      case 3: a.i = readInt64(r); break;
      case 4: a.s = r.string(); break;
      case 5: a.t = decodeTensor(r.sub()); break;
      case 7: r.repeated(w, (x) => x.float32(), a.floats); break;
      case 8: r.repeated(w, readInt64, a.ints); break;
      case 20: a.type = r.varint(); break;
      default: r.skip(w);
    }
  }
  // AttributeProto.AttributeType: FLOAT 1, INT 2, STRING 3, TENSOR 4, FLOATS 6, INTS 7.
  const value = { 1: a.f, 2: a.i, 3: a.s, 4: a.t, 6: a.floats, 7: a.ints }[a.type];
  return [a.name, value];
}

function decodeNode(r) {
  const n = { inputs: [], outputs: [], name: '', op: '', domain: '', attrs: {} };
  while (!r.done()) {
    const [f, w] = r.tag();
    switch (f) {
      case 1: n.inputs.push(r.string()); break;
      case 2: n.outputs.push(r.string()); break;
      case 3: n.name = r.string(); break;
      case 4: n.op = r.string(); break;
      case 5: {
        const [name, value] = decodeAttribute(r.sub());
        n.attrs[name] = value;
        break;
      }
      case 7: n.domain = r.string(); break;
      default: r.skip(w);
    }
  }
  return n;
}

function decodeValueInfo(r) {
  const v = { name: '', elemType: 0, dims: null };
  while (!r.done()) {
    const [f, w] = r.tag();
    if (f === 1) v.name = r.string();
    else if (f === 2) {
      const type = r.sub();
      while (!type.done()) {
        const [tf, tw] = type.tag();
        if (tf !== 1) { type.skip(tw); continue; }  // tensor_type only
        const tt = type.sub();
        while (!tt.done()) {
          const [ttf, ttw] = tt.tag();
          if (ttf === 1) v.elemType = tt.varint();
          else if (ttf === 2) {
            v.dims = [];
            const shape = tt.sub();
            while (!shape.done()) {
              const [sf, sw] = shape.tag();
              if (sf !== 1) { shape.skip(sw); continue; }
              const dim = shape.sub();
              let d = -1;
              while (!dim.done()) {
                const [df, dw] = dim.tag();
                if (df === 1) d = readInt64(dim);
                else if (df === 2) { dim.string(); d = -1; }  // dim_param: symbolic
                else dim.skip(dw);
              }
              v.dims.push(d);
            }
          } else tt.skip(ttw);
        }
      }
    } else r.skip(w);
  }
  return v;
}

function decodeGraph(r) {
  const g = { name: '', nodes: [], initializers: new Map(), inputs: [], outputs: [] };
  while (!r.done()) {
    const [f, w] = r.tag();
    switch (f) {
      case 1: g.nodes.push(decodeNode(r.sub())); break;
      case 2: g.name = r.string(); break;
      case 5: {
        const t = decodeTensor(r.sub());
        g.initializers.set(t.name, t);
        break;
      }
      case 11: g.inputs.push(decodeValueInfo(r.sub())); break;
      case 12: g.outputs.push(decodeValueInfo(r.sub())); break;
      default: r.skip(w);
    }
  }
  // Graph inputs that are also initializers (IR < 4 style) are not real inputs.
  g.inputs = g.inputs.filter((i) => !g.initializers.has(i.name));
  return g;
}

/**
 * Decodes an ONNX ModelProto.
 * Returns {irVersion, producer, opset, graph: {nodes, initializers: Map, inputs, outputs}}.
 * nodes: [{op, inputs, outputs, attrs: {name: number | number[] | string | tensor}}];
 * tensors: {name, dims, dtype: 'float32' | 'int' | 'float64', data}.
 */
export function decodeModel(bytes) {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const r = new Reader(u8);
  const m = { irVersion: 0, producer: '', opset: 0, graph: null };
  while (!r.done()) {
    const [f, w] = r.tag();
    switch (f) {
      case 1: m.irVersion = r.varint(); break;
      case 2: m.producer = r.string(); break;
      case 7: m.graph = decodeGraph(r.sub()); break;
      case 8: {
        const op = r.sub();
        let domain = '';
        let version = 0;
        while (!op.done()) {
          const [of, ow] = op.tag();
          if (of === 1) domain = op.string();
          else if (of === 2) version = readInt64(op);
          else op.skip(ow);
        }
        if (domain === '' || domain === 'ai.onnx') m.opset = version;
        break;
      }
      default: r.skip(w);
    }
  }
  if (!m.graph) throw new Error('onnx decode: no graph in model');
  return m;
}
