// Cuts the large tensor payloads out of an .onnx file before it is copied into wasm memory.
//
// Why: wasm memory never shrinks, so a page keeps the peak of a load. Copied whole, a 14 MB
// file sits in wasm memory next to the 14 MB of tensors decoded from it (MobileNetV2's peak,
// and a copy whose fresh pages cost a good part of the cold start). Split, only the small rest
// of the file (names, nodes, shapes) is copied in, and each payload is copied once, from the
// caller's bytes straight into its tensor (onnx::ExternalPayloads in src/onnx/decoder.h).
//
// What is cut: raw_data (TensorProto field 9) of the graph's initializers (GraphProto field 5 of
// ModelProto field 7) of at least MIN_PAYLOAD bytes. In the returned skeleton each such
// raw_data is replaced by the varint field PAYLOAD_FIELD holding the payload's index, and the
// lengths of the enclosing TensorProto and GraphProto are re-encoded.
//
// This walk checks only what it needs to and gives up (returns null) on anything unexpected:
// the file is then loaded whole and the C++ decoder reports the problem.

const MIN_PAYLOAD = 4096;
const PAYLOAD_FIELD = 4095;  // onnx::kExternalPayloadField

const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR_RAW_DATA = 9;
const LENGTH_DELIMITED = 2;

class Malformed extends Error {}

// Reads a varint at pos; returns [value, next]. Values stay exact up to 2^53.
function varint(bytes, pos, end) {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new Malformed();
    const b = bytes[pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      if (value > Number.MAX_SAFE_INTEGER) throw new Malformed();
      return [value, pos];
    }
    scale *= 128;
  }
  throw new Malformed();
}

function encodeVarint(value) {
  const out = [];
  while (value >= 0x80) {
    out.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return Uint8Array.from(out);
}

// Calls visit(field, wireType, start, valueStart, valueEnd) for each field in [pos, end): start
// is where the tag begins, [valueStart, valueEnd) the payload of a length-delimited field.
function forEachField(bytes, pos, end, visit) {
  while (pos < end) {
    const start = pos;
    let tag;
    [tag, pos] = varint(bytes, pos, end);
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    let valueStart = pos;
    switch (wireType) {
      case 0:
        [, pos] = varint(bytes, pos, end);
        break;
      case 1:
        pos += 8;
        break;
      case LENGTH_DELIMITED: {
        let length;
        [length, valueStart] = varint(bytes, pos, end);
        pos = valueStart + length;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:  // groups and invalid wire types
        throw new Malformed();
    }
    if (field === 0 || pos > end) throw new Malformed();
    visit(field, wireType, start, valueStart, pos);
  }
}

/**
 * Splits an .onnx file. Returns {skeleton: Uint8Array, payloads: Uint8Array[]} (payloads are
 * views of `bytes`), or null when nothing is worth cutting or the file is not as expected.
 */
export function splitOnnx(bytes) {
  const payloads = [];
  // A message rebuilt from pieces: Uint8Arrays (new bytes) and subarrays of `bytes`.
  const rebuild = (start, end, onField) => {
    const pieces = [];
    let copiedTo = start;
    let changed = false;
    forEachField(bytes, start, end, (field, wireType, fieldStart, valueStart, valueEnd) => {
      const replacement = onField(field, wireType, valueStart, valueEnd);
      if (replacement === null) return;
      if (copiedTo < fieldStart) pieces.push(bytes.subarray(copiedTo, fieldStart));
      pieces.push(...replacement);
      copiedTo = valueEnd;
      changed = true;
    });
    if (!changed) return null;
    if (copiedTo < end) pieces.push(bytes.subarray(copiedTo, end));
    return pieces;
  };
  const lengthDelimited = (field, pieces) => {
    const length = pieces.reduce((n, p) => n + p.length, 0);
    return [encodeVarint(field * 8 + LENGTH_DELIMITED), encodeVarint(length), ...pieces];
  };
  const tensor = (start, end) =>
    rebuild(start, end, (field, wireType, valueStart, valueEnd) => {
      // The field number is litecnn's own: a file that already uses it is not split.
      if (field === PAYLOAD_FIELD) throw new Malformed();
      if (field !== TENSOR_RAW_DATA || wireType !== LENGTH_DELIMITED || valueEnd - valueStart < MIN_PAYLOAD) {
        return null;
      }
      payloads.push(bytes.subarray(valueStart, valueEnd));
      return [encodeVarint(PAYLOAD_FIELD * 8), encodeVarint(payloads.length - 1)];
    });
  const graph = (start, end) =>
    rebuild(start, end, (field, wireType, valueStart, valueEnd) => {
      if (field !== GRAPH_INITIALIZER || wireType !== LENGTH_DELIMITED) return null;
      const pieces = tensor(valueStart, valueEnd);
      return pieces === null ? null : lengthDelimited(GRAPH_INITIALIZER, pieces);
    });

  let pieces;
  try {
    pieces = rebuild(0, bytes.length, (field, wireType, valueStart, valueEnd) => {
      if (field !== MODEL_GRAPH || wireType !== LENGTH_DELIMITED) return null;
      const graphPieces = graph(valueStart, valueEnd);
      return graphPieces === null ? null : lengthDelimited(MODEL_GRAPH, graphPieces);
    });
  } catch (error) {
    if (error instanceof Malformed) return null;
    throw error;
  }
  if (pieces === null) return null;
  const skeleton = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    skeleton.set(piece, offset);
    offset += piece.length;
  }
  return { skeleton, payloads };
}
