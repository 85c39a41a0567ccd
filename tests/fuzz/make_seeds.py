"""Seed inputs for the fuzzers from the project's own models (run by scripts/fuzz.sh).

The models in models/generated/ are 0.4 to 14 MB, mostly weights: as seeds they would make every
execution slow. Their structure is what the fuzzers need, so each model is cut into graph
prefixes (its first k nodes, with the initializers they read and the last node's outputs as the
graph's outputs) while the prefix's weights stay small, with the input images shrunk to 32x32.
Every seed is a valid model that litecnn loads; the fuzzers mutate from there.

usage: /usr/bin/python3 tests/fuzz/make_seeds.py OUT_DIR MODEL.onnx...
"""
import os
import sys

import onnx
from onnx import helper

MAX_WEIGHT_BYTES = 96 * 1024
SIDE = 32


def prefixes(path, out_dir):
    model = onnx.load(path)
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    base = os.path.splitext(os.path.basename(path))[0]
    inputs = [vi for vi in graph.input if vi.name not in inits]
    small = []
    for vi in inputs:
        vi = onnx.ValueInfoProto.FromString(vi.SerializeToString())
        dims = vi.type.tensor_type.shape.dim
        if len(dims) == 4:  # NCHW (or NHWC) image: shrink the spatial dims
            for i in ((2, 3) if dims[1].dim_value == 3 else (1, 2)):
                dims[i].dim_value = SIDE
        small.append(vi)
    written = 0
    for k in range(1, len(graph.node) + 1):
        nodes = graph.node[:k]
        used = {name for n in nodes for name in n.input}
        weights = [inits[name] for name in sorted(used) if name in inits]
        if sum(t.ByteSize() for t in weights) > MAX_WEIGHT_BYTES:
            break
        last = nodes[-1]
        outputs = [helper.make_tensor_value_info(o, onnx.TensorProto.FLOAT, None)
                   for o in last.output if o]
        # Exported Reshapes (ShuffleNet's channel shuffle) hold the spatial dims as constants:
        # prefixes that contain one keep the model's own input size.
        reshapes = any(n.op_type == "Reshape" for n in nodes)
        sub = helper.make_graph(list(nodes), f"{base}_{k}", inputs if reshapes else small, outputs,
                                weights)
        cut = helper.make_model(sub, opset_imports=list(model.opset_import))
        cut.ir_version = model.ir_version
        with open(os.path.join(out_dir, f"{base}_first{k}.onnx"), "wb") as f:
            f.write(cut.SerializeToString())
        written += 1
    return written


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    total = sum(prefixes(p, out_dir) for p in sys.argv[2:])
    print(f"make_seeds: {total} graph prefixes of {len(sys.argv) - 2} models in {out_dir}")


if __name__ == "__main__":
    main()
