#!/usr/bin/python3
"""Convert face-api's facial expression net (TF.js weights) to ONNX for litecnn.

Source: the npm package @vladmandic/face-api (MIT), files
model/face_expression_model-weights_manifest.json and model/face_expression_model.bin.
The network is not in those files: it is code in the package (src/faceExpressionNet,
src/faceFeatureExtractor, src/faceProcessor, src/common). This script rebuilds it as ONNX:

  FaceFeatureExtractor.forwardInput (input: x, NHWC 112x112 RGB, x = (pixel - mean) / 255)
    dense0 = denseBlock4(x, isFirstLayer) : conv0 is a plain 3x3 conv, stride 2
    dense1..3 = denseBlock4(...)           : conv0 is a separable conv, stride 2
    avgPool 7x7, stride 2, 'valid'         : on a 7x7 map, i.e. a global average pool
  FaceProcessor.runNet: as2D -> matMul(fc/weights [256, 7]) + fc/bias
  FaceExpressionNet.forwardInput: softmax

  denseBlock4(x):  out1 = relu(conv0(x))          (stride 2)
                   out2 = sep(out1)
                   out3 = sep(relu(out1 + out2))
                   out4 = sep(relu(out1 + (out2 + out3)))
                   return relu(out1 + (out2 + (out3 + out4)))
  sep(x) = separableConv2d(x, depthwise 3x3, pointwise 1x1, 'same') + bias

The ONNX graph keeps that exact structure and association order of the adds:

  input  `input`  float [1, 3, 112, 112], NCHW, RGB, (pixel - [122.782, 117.001, 104.298]) / 255
  output `probabilities` float [1, 7], softmax over neutral, happy, sad, angry, fearful,
         disgusted, surprised (face-api's FACE_EXPRESSION_LABELS order)

Mapping of TF.js ops to ONNX (opset 13):
  conv2d 'same' 3x3 stride 2 on an even size: TF pads (0 before, 1 after) per axis,
      ONNX Conv pads [0, 0, 1, 1]; stride 1: pads [1, 1, 1, 1].
  separableConv2d: Conv group=C with [C, 1, 3, 3] weights (no bias), then a 1x1 Conv with
      the bias (TF adds the bias after the pointwise conv; same thing).
  weights: TF HWIO filters -> ONNX OIHW; depthwise [3, 3, C, 1] -> [C, 1, 3, 3];
      fc/weights [256, 7] -> Gemm transB=1 with [7, 256].
  avgPool 7x7 valid on 7x7 -> GlobalAveragePool; as2D -> Flatten (spatial size is 1x1, so
      NHWC and NCHW flattening agree).

Weights: most are stored quantized as uint8 with (scale, min); they are dequantized exactly as
TF.js does (tfjs-core io_utils decodeWeights: value = q * scale + min in double precision, then
stored as float32). uint16 and float16 quantization and plain float32 are handled the same way.

The output is byte-deterministic (fixed node order and names, no timestamps).

Usage:
  /usr/bin/python3 models/convert_face_expression.py MANIFEST.json WEIGHTS.bin OUT.onnx
"""

import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
INPUT_NAME = "input"
OUTPUT_NAME = "probabilities"
INPUT_SIZE = 112
LABELS = ["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"]
# FaceFeatureExtractor.forwardInput: normalize(x, meanRgb).div(255)
MEAN_RGB = [122.782, 117.001, 104.298]

DTYPE_BYTES = {"float32": 4, "int32": 4, "uint8": 1, "uint16": 2, "float16": 2}


def decode_weights(manifest_path, bin_path):
    """TF.js weights manifest + its single .bin -> {name: float32 ndarray (TF layout)}."""
    with open(manifest_path) as f:
        groups = json.load(f)
    if len(groups) != 1 or groups[0]["paths"] != [os.path.basename(bin_path)]:
        raise SystemExit(f"expected one weight group stored in {os.path.basename(bin_path)}")
    with open(bin_path, "rb") as f:
        data = f.read()
    weights = {}
    offset = 0
    for spec in groups[0]["weights"]:
        if spec["dtype"] != "float32":
            raise SystemExit(f"{spec['name']}: unsupported dtype {spec['dtype']}")
        shape = spec["shape"]
        count = int(np.prod(shape)) if shape else 1
        quant = spec.get("quantization")
        stored = quant["dtype"] if quant else "float32"
        size = count * DTYPE_BYTES[stored]
        raw = data[offset:offset + size]
        if len(raw) != size:
            raise SystemExit(f"{spec['name']}: weights file too short")
        offset += size
        if stored == "float32":
            values = np.frombuffer(raw, dtype="<f4").copy()
        elif stored == "float16":
            values = np.frombuffer(raw, dtype="<f2").astype(np.float32)
        elif stored in ("uint8", "uint16"):
            q = np.frombuffer(raw, dtype="u1" if stored == "uint8" else "<u2").astype(np.float64)
            # As TF.js: q * scale + min in double precision, rounded once to float32.
            values = (q * float(quant["scale"]) + float(quant["min"])).astype(np.float32)
        else:
            raise SystemExit(f"{spec['name']}: unsupported quantization {stored}")
        weights[spec["name"]] = values.reshape(shape)
    if offset != len(data):
        raise SystemExit(f"{len(data) - offset} unread bytes at the end of {bin_path}")
    return weights


class GraphBuilder:
    def __init__(self, weights):
        self.weights = weights
        self.used = set()
        self.nodes = []
        self.initializers = []

    def weight(self, name):
        self.used.add(name)
        return self.weights[name]

    def init(self, name, array):
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array, np.float32), name))
        return name

    def node(self, op, inputs, output, **attrs):
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def conv(self, x, prefix, stride):
        """dense0/conv0: conv2d 3x3 'same' + bias."""
        w = self.weight(f"{prefix}/filters").transpose(3, 2, 0, 1)  # HWIO -> OIHW
        b = self.weight(f"{prefix}/bias")
        return self.node("Conv", [x, self.init(f"{prefix}/filters", w), self.init(f"{prefix}/bias", b)],
                         prefix, kernel_shape=[3, 3], strides=[stride, stride], pads=same_pads(stride))

    def separable(self, x, prefix, stride):
        """separableConv2d(x, depthwise 3x3, pointwise 1x1, 'same') + bias."""
        dw = self.weight(f"{prefix}/depthwise_filter")  # [3, 3, C, 1]
        channels = dw.shape[2]
        dw = dw.transpose(2, 3, 0, 1)  # [C, 1, 3, 3]
        pw = self.weight(f"{prefix}/pointwise_filter").transpose(3, 2, 0, 1)  # [Cout, C, 1, 1]
        b = self.weight(f"{prefix}/bias")
        d = self.node("Conv", [x, self.init(f"{prefix}/depthwise_filter", dw)], f"{prefix}/depthwise",
                      kernel_shape=[3, 3], strides=[stride, stride], pads=same_pads(stride), group=channels)
        return self.node("Conv", [d, self.init(f"{prefix}/pointwise_filter", pw), self.init(f"{prefix}/bias", b)],
                         f"{prefix}/pointwise", kernel_shape=[1, 1])

    def dense_block4(self, x, prefix, first):
        conv0 = self.conv(x, f"{prefix}/conv0", 2) if first else self.separable(x, f"{prefix}/conv0", 2)
        out1 = self.node("Relu", [conv0], f"{prefix}/out1")
        out2 = self.separable(out1, f"{prefix}/conv1", 1)
        in3 = self.node("Relu", [self.node("Add", [out1, out2], f"{prefix}/sum12")], f"{prefix}/in3")
        out3 = self.separable(in3, f"{prefix}/conv2", 1)
        s23 = self.node("Add", [out2, out3], f"{prefix}/sum23")
        in4 = self.node("Relu", [self.node("Add", [out1, s23], f"{prefix}/sum123")], f"{prefix}/in4")
        out4 = self.separable(in4, f"{prefix}/conv3", 1)
        s34 = self.node("Add", [out3, out4], f"{prefix}/sum34")
        s234 = self.node("Add", [out2, s34], f"{prefix}/sum234")
        s1234 = self.node("Add", [out1, s234], f"{prefix}/sum1234")
        return self.node("Relu", [s1234], f"{prefix}/out")


def same_pads(stride):
    # TF 'same' for a 3x3 kernel on an even input size: stride 1 pads 1 on each side; stride 2
    # pads 0 before and 1 after (total (out - 1) * 2 + 3 - in = 1, the extra one goes after).
    return [1, 1, 1, 1] if stride == 1 else [0, 0, 1, 1]


def build_model(weights):
    g = GraphBuilder(weights)
    x = INPUT_NAME
    for i in range(4):
        x = g.dense_block4(x, f"dense{i}", first=(i == 0))
    x = g.node("GlobalAveragePool", [x], "avg_pool")
    x = g.node("Flatten", [x], "flatten", axis=1)
    fc_w = g.weight("fc/weights").T  # [256, 7] -> [7, 256]
    fc_b = g.weight("fc/bias")
    x = g.node("Gemm", [x, g.init("fc/weights", fc_w), g.init("fc/bias", fc_b)], "logits", transB=1)
    g.node("Softmax", [x], OUTPUT_NAME, axis=1)

    unused = sorted(set(weights) - g.used)
    if unused:
        raise SystemExit(f"weights not used by the graph: {unused}")

    graph = helper.make_graph(
        g.nodes, "face_expression_net",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, [1, 3, INPUT_SIZE, INPUT_SIZE])],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, [1, len(LABELS)])],
        g.initializers,
        doc_string=("face-api FaceExpressionNet (@vladmandic/face-api, MIT). Input: RGB, NCHW, "
                    f"(pixel - {MEAN_RGB}) / 255. Output: softmax over {', '.join(LABELS)}."))
    model = helper.make_model(graph, producer_name="litecnn models/convert_face_expression.py",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("manifest")
    ap.add_argument("weights")
    ap.add_argument("out")
    args = ap.parse_args()
    model = build_model(decode_weights(args.manifest, args.weights))
    params = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    tmp = f"{args.out}.tmp"
    onnx.save(model, tmp)
    os.replace(tmp, args.out)
    print(f"face_expression: {len(model.graph.node)} nodes, {params:,} parameters -> {args.out}")


if __name__ == "__main__":
    sys.exit(main())
