// A minimal ONNX (protobuf) encoder so that tests can build tiny models in-process: faster
// than a Python round trip and independent of the exporters under models/.
// Field numbers are from onnx/onnx.proto (ModelProto, GraphProto, NodeProto, ...).

const FLOAT = 1;
const INT64 = 7;
const ELEM_TYPES = { float32: FLOAT, int64: INT64 };

class Writer {
  constructor() {
    this.bytes = [];
  }

  varint(value) {
    let v = BigInt.asUintN(64, BigInt(value));  // negative int64s take 10 bytes, as protobuf does
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
    return this;
  }

  tag(field, wireType) {
    return this.varint((field << 3) | wireType);
  }

  int(field, value) {
    return this.tag(field, 0).varint(value);
  }

  bytesField(field, bytes) {
    this.tag(field, 2).varint(bytes.length);
    for (const b of bytes) this.bytes.push(b);
    return this;
  }

  string(field, text) {
    return this.bytesField(field, new TextEncoder().encode(text));
  }

  message(field, writer) {
    return this.bytesField(field, writer.bytes);
  }

  float(field, value) {
    const buf = new Uint8Array(4);
    new DataView(buf.buffer).setFloat32(0, value, true);
    this.tag(field, 5);
    for (const b of buf) this.bytes.push(b);
    return this;
  }

  packedFloats(field, values) {
    const buf = new Uint8Array(values.length * 4);
    const view = new DataView(buf.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return this.bytesField(field, buf);
  }

  finish() {
    return Uint8Array.from(this.bytes);
  }
}

// dims: numbers, or strings for symbolic dims (dim_param); null for a type without a shape.
function valueInfo(name, dims, elemType = FLOAT) {
  const tensorType = new Writer().int(1, elemType);
  if (dims !== null) {
    const shape = new Writer();
    for (const d of dims) {
      const dim = new Writer();
      if (typeof d === 'string') dim.string(2, d);
      else dim.int(1, d);
      shape.message(1, dim);
    }
    tensorType.message(2, shape);
  }
  const type = new Writer().message(1, tensorType);
  return new Writer().string(1, name).message(2, type);
}

// type 'int64' (shapes, indices, repeats) is written as int64_data; the default as float_data.
function tensor({ name, dims, values, type = 'float32' }) {
  const w = new Writer();
  for (const d of dims) w.int(1, d);
  if (type === 'int64') {
    const packed = new Writer();
    for (const v of values) packed.varint(v);
    return w.int(2, INT64).bytesField(7, packed.bytes).string(8, name);
  }
  return w.int(2, FLOAT).packedFloats(4, values).string(8, name);
}

function attribute(name, value) {
  const w = new Writer().string(1, name);
  if (typeof value === 'string') return w.string(4, value).int(20, 3);  // STRING
  if (Number.isInteger(value)) return w.int(3, value).int(20, 2);  // INT
  if (typeof value === 'number') return w.float(2, value).int(20, 1);  // FLOAT
  if (Array.isArray(value)) {
    for (const v of value) w.int(8, v);
    return w.int(20, 7);  // INTS
  }
  throw new Error(`unsupported attribute value for ${name}`);
}

/**
 * Encodes a ModelProto.
 *   inputs/outputs: [{name, dims, type?}]   initializers: [{name, dims, values, type?}]
 *   (type: 'float32', the default, or 'int64')
 *   nodes: [{op, inputs, outputs, name?, attributes?: {name: value}}] (name: `<op>_<index>`)
 *   irVersion: ModelProto.ir_version (IR 3 is when every initializer was listed as an input)
 */
export function encodeModel({ inputs, outputs, nodes, initializers = [], opset = 13, irVersion = 8 }) {
  const graph = new Writer();
  nodes.forEach((node, i) => {
    const w = new Writer();
    for (const input of node.inputs) w.string(1, input);
    for (const output of node.outputs) w.string(2, output);
    w.string(3, node.name ?? `${node.op.toLowerCase()}_${i}`).string(4, node.op);
    for (const [name, value] of Object.entries(node.attributes ?? {})) {
      w.message(5, attribute(name, value));
    }
    graph.message(1, w);
  });
  graph.string(2, 'test_graph');
  for (const init of initializers) graph.message(5, tensor(init));
  const info = (v) => valueInfo(v.name, v.dims, ELEM_TYPES[v.type ?? 'float32']);
  for (const input of inputs) graph.message(11, info(input));
  for (const output of outputs) graph.message(12, info(output));

  const opsetId = new Writer().string(1, '').int(2, opset);
  return new Writer()
    .int(1, irVersion)
    .string(2, 'litecnn-tests')
    .message(7, graph)
    .message(8, opsetId)
    .finish();
}

/** Y = Relu(X). */
export function reluModel(dims = [2, 3]) {
  return encodeModel({
    inputs: [{ name: 'X', dims }],
    outputs: [{ name: 'Y', dims }],
    nodes: [{ op: 'Relu', inputs: ['X'], outputs: ['Y'] }],
  });
}

/** C = A + B. */
export function addModel(dims = [2, 3]) {
  return encodeModel({
    inputs: [
      { name: 'A', dims },
      { name: 'B', dims },
    ],
    outputs: [{ name: 'C', dims }],
    nodes: [{ op: 'Add', inputs: ['A', 'B'], outputs: ['C'] }],
  });
}
