#!/usr/bin/python3
"""Re-write an ONNX model at other opsets, node by node, keeping what it computes.

litecnn must load the files people have, at whatever opset their exporter wrote: zoo-era
graphs at opset 7-9 (IR 3, initializers also listed as graph inputs), PyTorch 1.x exports at
11-13, today's at 18 and later. The suite's public models were exported at one opset each, so
tests/node/opsets.test.mjs re-writes them with this script and checks that litecnn and ONNX
Runtime compute the same outputs from every version.

Each node is read into an opset-independent form (inputs that moved between attributes and
inputs in some version are resolved to constants) and written in the form its op has at the
target opset, following the ONNX operator changelog:

  Clip          min/max attributes before 11, inputs from 11
  Split         `split` attribute before 13, input from 13, `num_outputs` attribute from 18
  Squeeze, Unsqueeze   `axes` attribute before 13, input from 13
  ReduceSum     `axes` attribute before 13, input from 13
  Reduce*       `axes` attribute before 18, input from 18 (ReduceMean, ReduceMax, ...)
  Pad           `pads`/`value` attributes before 11, inputs from 11
  Slice         starts/ends/axes attributes before 10, inputs from 10
  Resize        roi and scales required (empty tensors) at 11-12, optional from 13;
                Resize does not exist before 10, and Upsample cannot express half_pixel
  MaxPool       no `ceil_mode` before 10: the extra end padding is made explicit (padding
                is ignored by MaxPool, so this is exact); no `dilations` before 10
  Softmax       2-D coercion before 13: equal only when `axis` is the last axis
  Constant      float types only before 9: other constants become initializers
  ConstantOfShape   since 9: folded to an initializer before that
  negative axes (Concat, Gather, Flatten, Squeeze, ...) only from 11: made non-negative
  HardSwish     since 14: x * HardSigmoid(x) (alpha 1/6), as PyTorch writes it at 13, is
                written as HardSwish from 14, as current PyTorch does

A node that cannot be expressed at the target opset (Resize before 10, a computed Slice
bound before 10, an op this script does not know) makes the whole model unrepresentable at
that opset; the script reports why instead of writing an approximation.

The IR version follows the opset (the ONNX versioning table: opset 7-8 -> IR 3, 9 -> 4,
10 -> 5, 11 -> 6, 12-14 -> 7, 15-18 -> 8, 19-20 -> 9, 21-22 -> 10, 23 -> 11). Below IR 4 every
initializer is also a graph input, as the ONNX model zoo's Caffe2-converted files have it.

Usage:
  /usr/bin/python3 models/rewrite_opset.py IN.onnx --opsets 7,9,11,18,21 --out-dir DIR
Prints one JSON line per opset: {"opset": N, "file": PATH} or {"opset": N, "skipped": WHY}.
"""

import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

ONNX_DOMAINS = ("", "ai.onnx")
INT64_MAX = np.iinfo(np.int64).max
REDUCE_OPS = {"ReduceMean", "ReduceMax", "ReduceMin", "ReduceSum", "ReduceProd",
              "ReduceSumSquare", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp"}
# Ops whose inputs, outputs and the attributes PyTorch/tf2onnx write mean the same at every
# opset from 7 to 23 (the changelog's other versions of them add types or optional features).
STABLE_OPS = {"Conv", "Relu", "Sigmoid", "HardSigmoid", "Tanh", "LeakyRelu", "Add", "Sub",
              "Mul", "Div", "GlobalAveragePool", "GlobalMaxPool", "Transpose", "Reshape",
              "Identity", "Cast", "Shape", "MatMul", "PRelu", "Sum", "Max", "Min",
              "BatchNormalization", "ConvTranspose", "AveragePool", "Gemm", "Flatten",
              "Concat", "Gather", "Equal", "Constant", "ConstantOfShape", "HardSwish"}
# Attributes holding an axis, per op, that must be non-negative before opset 11.
AXIS_ATTRS = {"Concat": "axis", "Gather": "axis", "Flatten": "axis", "Split": "axis",
              "Softmax": "axis", "LogSoftmax": "axis"}


class Unrepresentable(Exception):
    """The model has no exact form at the target opset."""


def ir_version_for(opset):
    for limit, ir in ((8, 3), (9, 4), (10, 5), (11, 6), (14, 7), (18, 8), (20, 9), (22, 10)):
        if opset <= limit:
            return ir
    return 11


def source_opset(model):
    versions = [o.version for o in model.opset_import if o.domain in ONNX_DOMAINS]
    if len(versions) != 1:
        raise SystemExit("the model must import the ONNX domain exactly once")
    return versions[0]


def static_shapes(model):
    """name -> list of dims (None when unknown), from ONNX shape inference at the source opset."""
    inferred = onnx.shape_inference.infer_shapes(model)
    shapes = {}
    graph = inferred.graph
    for vi in list(graph.input) + list(graph.value_info) + list(graph.output):
        t = vi.type.tensor_type
        if t.HasField("shape"):
            shapes[vi.name] = [d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim]
    for init in graph.initializer:
        shapes[init.name] = list(init.dims)
    return shapes


def fold_constants(graph, shapes):
    """name -> numpy value for every tensor known before the model runs.

    The small int64 shape arithmetic exporters write (Shape -> Gather -> Add -> Div -> Mul for a
    computed Slice bound) is evaluated here, so that it can become an attribute at opsets that
    want one. Float compute is never folded: only what an attribute could hold.
    """
    values = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    for node in graph.node:
        ins = list(node.input)
        known = all(name == "" or name in values for name in ins)
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        out = None
        if node.op_type == "Constant" and "value" in attrs:
            out = numpy_helper.to_array(attrs["value"])
        elif node.op_type == "Shape":
            dims = shapes.get(ins[0])
            if dims is not None and None not in dims:
                out = np.array(dims, dtype=np.int64)
        elif not known:
            continue
        elif node.op_type == "Gather":
            out = np.take(values[ins[0]], values[ins[1]], axis=attrs.get("axis", 0))
        elif node.op_type in ("Add", "Sub", "Mul") and values[ins[0]].dtype == np.int64:
            a, b = values[ins[0]], values[ins[1]]
            out = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply}[node.op_type](a, b)
        elif node.op_type == "Div" and values[ins[0]].dtype == np.int64:
            a, b = values[ins[0]], values[ins[1]]
            out = (np.abs(a) // np.abs(b)) * np.sign(a) * np.sign(b)  # ONNX truncates
        elif node.op_type == "Concat" and values[ins[0]].dtype == np.int64:
            out = np.concatenate([values[n] for n in ins], axis=attrs["axis"])
        elif node.op_type == "Unsqueeze" and values[ins[0]].dtype == np.int64:
            axes = attrs["axes"] if "axes" in attrs else values[ins[1]]
            out = values[ins[0]]
            for axis in sorted(int(a) % (out.ndim + len(axes)) for a in axes):
                out = np.expand_dims(out, axis)
        elif node.op_type == "Identity":
            out = values[ins[0]]
        elif node.op_type == "ConstantOfShape":
            fill = numpy_helper.to_array(attrs["value"]) if "value" in attrs else np.zeros(1, np.float32)
            out = np.full(tuple(int(d) for d in values[ins[0]]), fill.reshape(-1)[0], dtype=fill.dtype)
        if out is not None:
            values[node.output[0]] = np.asarray(out)
    return values


class Rewriter:
    """Writes one graph at one target opset."""

    def __init__(self, model, target):
        self.model = model
        self.graph = model.graph
        self.src = source_opset(model)
        self.tgt = target
        self.shapes = static_shapes(model)
        self.values = fold_constants(self.graph, self.shapes)
        self.new_inits = []
        self.used_names = {n for node in self.graph.node for n in list(node.input) + list(node.output)}
        self.used_names |= {i.name for i in self.graph.initializer}

    # --- helpers -------------------------------------------------------------------------

    def const(self, hint, array):
        """A new initializer holding `array`; returns its name."""
        name, i = hint, 0
        while name in self.used_names:
            i += 1
            name = f"{hint}_{i}"
        self.used_names.add(name)
        self.new_inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def value_of(self, node, index, what):
        """The constant value of node's input `index` (None when the input is absent)."""
        if index >= len(node.input) or node.input[index] == "":
            return None
        name = node.input[index]
        if name not in self.values:
            raise Unrepresentable(f"{node.op_type} '{node.name}': its {what} is computed at run time, "
                                  f"and opset {self.tgt} needs it as an attribute")
        return self.values[name]

    def rank(self, name):
        dims = self.shapes.get(name)
        if dims is None:
            raise Unrepresentable(f"the rank of '{name}' is unknown")
        return len(dims)

    def axes_nonnegative(self, axes, rank):
        return [int(a) % rank for a in axes] if self.tgt < 11 else [int(a) for a in axes]

    # --- the graph -----------------------------------------------------------------------

    def rewrite(self):
        nodes = self.fuse_hardswish(list(self.graph.node)) if self.tgt >= 14 else list(self.graph.node)
        out_nodes = []
        for node in nodes:
            out_nodes.extend(self.node(node))
        out_nodes = self.drop_dead(out_nodes)

        used = {n for node in out_nodes for n in node.input} | {o.name for o in self.graph.output}
        originally_used = {n for node in self.graph.node for n in node.input} | {o.name for o in self.graph.output}
        # Keep initializers nothing read before either (BlazeFace's unused ones: a loader must
        # tolerate them); drop the ones this rewrite made unused (moved into attributes).
        inits = [i for i in self.graph.initializer if i.name in used or i.name not in originally_used]
        inits += [i for i in self.new_inits if i.name in used]

        graph = helper.make_graph(out_nodes, self.graph.name, list(self.graph.input),
                                  list(self.graph.output), inits)
        if ir_version_for(self.tgt) < 4:
            # IR 3: every initializer is also a graph input (a constant unless the user feeds it).
            listed = {i.name for i in graph.input}
            for init in inits:
                if init.name not in listed:
                    graph.input.append(helper.make_tensor_value_info(init.name, init.data_type, list(init.dims)))
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", self.tgt)],
                                  producer_name="litecnn models/rewrite_opset.py",
                                  producer_version=f"{self.src}->{self.tgt}")
        model.ir_version = ir_version_for(self.tgt)
        return model

    def fuse_hardswish(self, nodes):
        """x * HardSigmoid(x; alpha 1/6, beta 1/2) -> HardSwish(x), where the HardSigmoid has no other reader."""
        readers = {}
        for node in nodes:
            for name in node.input:
                readers[name] = readers.get(name, 0) + 1
        producer = {o: n for n in nodes for o in n.output}
        fused, drop = {}, set()
        for node in nodes:
            if node.op_type != "Mul":
                continue
            for x, h in (node.input, reversed(node.input)):
                hs = producer.get(h)
                if hs is None or hs.op_type != "HardSigmoid" or hs.input[0] != x or readers[h] != 1:
                    continue
                attrs = {a.name: helper.get_attribute_value(a) for a in hs.attribute}
                if abs(attrs.get("alpha", 0.2) - 1 / 6) > 1e-6 or abs(attrs.get("beta", 0.5) - 0.5) > 1e-6:
                    continue
                fused[id(node)] = helper.make_node("HardSwish", [x], list(node.output), name=node.name)
                drop.add(id(hs))
                break
        return [fused.get(id(n), n) for n in nodes if id(n) not in drop]

    def drop_dead(self, nodes):
        """Nodes whose outputs nothing reads (the shape arithmetic folded into attributes)."""
        outputs = {o.name for o in self.graph.output}
        while True:
            read = {n for node in nodes for n in node.input} | outputs
            alive = [n for n in nodes if any(o in read for o in n.output if o)]
            if len(alive) == len(nodes):
                return nodes
            nodes = alive

    # --- one node ------------------------------------------------------------------------

    def node(self, node):
        if node.domain not in ONNX_DOMAINS:
            raise Unrepresentable(f"node '{node.name}' is in domain '{node.domain}'")
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        op = node.op_type
        handler = getattr(self, f"op_{op}", None)
        if handler is None:
            if op in REDUCE_OPS:
                handler = self.op_reduce
            elif op not in STABLE_OPS:
                raise Unrepresentable(f"this script does not know how {op}'s versions differ")
            else:
                handler = self.op_stable
        return handler(node, attrs)

    def make(self, node, inputs, attrs, op=None):
        # Trailing absent optional inputs are left out rather than written as "".
        inputs = list(inputs)
        while inputs and inputs[-1] == "":
            inputs.pop()
        return helper.make_node(op or node.op_type, inputs, list(node.output), name=node.name,
                                **{k: v for k, v in attrs.items() if v is not None})

    def op_stable(self, node, attrs):
        attrs = dict(attrs)
        op = node.op_type
        if op in AXIS_ATTRS and attrs.get(AXIS_ATTRS[op], 0) < 0 and self.tgt < 11:
            key = AXIS_ATTRS[op]
            attrs[key] = self.axes_nonnegative([attrs[key]], self.rank(node.input[0]))[0]
        if op == "Gemm" and self.tgt < 11 and (len(node.input) < 3 or node.input[2] == ""):
            raise Unrepresentable("Gemm without C needs opset 11")
        if op == "AveragePool" and self.tgt < 10 and attrs.get("ceil_mode", 0):
            raise Unrepresentable("AveragePool ceil_mode needs opset 10")
        if op == "AveragePool" and self.tgt < 10:
            attrs.pop("ceil_mode", None)
        if op == "Equal" and self.tgt < 11 and self.values.get(node.input[0], np.zeros(0, np.int64)).dtype.kind == "f":
            raise Unrepresentable("Equal on floats needs opset 11")
        if op == "HardSwish" and self.tgt < 14:
            raise Unrepresentable("HardSwish needs opset 14")
        if op == "Constant" and self.tgt < 9:
            value = numpy_helper.to_array(attrs["value"])
            if value.dtype.kind != "f":
                # Constant-1 holds float types only: give the value to the readers as an initializer.
                self.new_inits.append(numpy_helper.from_array(value, node.output[0]))
                return []
        if op == "ConstantOfShape" and self.tgt < 9:
            self.new_inits.append(numpy_helper.from_array(self.values[node.output[0]], node.output[0]))
            return []
        return [self.make(node, node.input, attrs)]

    def op_Clip(self, node, attrs):
        if self.src < 11:
            lo, hi = attrs.get("min"), attrs.get("max")
        else:
            lo, hi = self.value_of(node, 1, "min"), self.value_of(node, 2, "max")
            if self.tgt >= 11:
                return [self.make(node, node.input, attrs)]
        if self.tgt < 11:
            return [self.make(node, node.input[:1], {"min": None if lo is None else float(lo),
                                                     "max": None if hi is None else float(hi)})]
        ins = [node.input[0],
               "" if lo is None else self.const(f"{node.name}_min", np.array(lo, np.float32)),
               "" if hi is None else self.const(f"{node.name}_max", np.array(hi, np.float32))]
        return [self.make(node, ins, {})]

    def op_Split(self, node, attrs):
        attrs = dict(attrs)
        axis = attrs.get("axis", 0)
        rank = self.rank(node.input[0])
        axis = self.axes_nonnegative([axis], rank)[0]
        if self.src < 13:
            split = attrs.pop("split", None)
        else:
            split = self.value_of(node, 1, "split")
            attrs.pop("num_outputs", None)
        attrs["axis"] = axis
        n = len(node.output)
        if split is None:
            dim = self.shapes[node.input[0]][axis]
            if dim is None or dim % n:
                raise Unrepresentable(f"Split '{node.name}': sizes unknown")
            split = [dim // n] * n
        split = [int(s) for s in split]
        if self.tgt < 13:
            return [self.make(node, node.input[:1], {**attrs, "split": split})]
        if self.tgt >= 18 and len(set(split)) == 1:
            return [self.make(node, node.input[:1], {**attrs, "num_outputs": n})]
        return [self.make(node, [node.input[0], self.const(f"{node.name}_split", np.array(split, np.int64))], attrs)]

    def axes_op(self, node, attrs, input_form_since):
        """Squeeze/Unsqueeze/Reduce*: `axes` attribute before `input_form_since`, input after."""
        attrs = dict(attrs)
        if self.src < input_form_since:
            axes = attrs.pop("axes", None)
        else:
            axes = self.value_of(node, 1, "axes")
        if self.tgt >= input_form_since and self.src >= input_form_since:
            return [self.make(node, node.input, attrs)]
        if axes is not None:
            rank = self.rank(node.input[0]) + (len(axes) if node.op_type == "Unsqueeze" else 0)
            axes = self.axes_nonnegative(axes, rank)
        if self.tgt < input_form_since:
            if attrs.pop("noop_with_empty_axes", 0) and axes is None:
                raise Unrepresentable(f"{node.op_type}: noop_with_empty_axes needs opset {input_form_since}")
            return [self.make(node, node.input[:1], {**attrs, "axes": axes})]
        ins = [node.input[0], "" if axes is None else self.const(f"{node.name}_axes", np.array(axes, np.int64))]
        return [self.make(node, ins, attrs)]

    def op_Squeeze(self, node, attrs):
        return self.axes_op(node, attrs, 13)

    def op_Unsqueeze(self, node, attrs):
        return self.axes_op(node, attrs, 13)

    def op_reduce(self, node, attrs):
        return self.axes_op(node, attrs, 13 if node.op_type == "ReduceSum" else 18)

    def op_Pad(self, node, attrs):
        attrs = dict(attrs)
        if self.src < 11:
            pads, value = attrs.pop("pads"), attrs.pop("value", 0.0)
        else:
            if self.tgt >= 11:
                return [self.make(node, node.input, attrs)]
            if len(node.input) > 3 and node.input[3]:
                raise Unrepresentable("Pad with axes needs opset 18")
            pads = self.value_of(node, 1, "pads")
            value = self.value_of(node, 2, "constant_value")
            value = 0.0 if value is None else float(np.asarray(value).reshape(-1)[0])
        pads = [int(p) for p in pads]
        if self.tgt < 11:
            return [self.make(node, node.input[:1], {**attrs, "pads": pads, "value": float(value)})]
        ins = [node.input[0], self.const(f"{node.name}_pads", np.array(pads, np.int64)),
               self.const(f"{node.name}_value", np.array(value, np.float32))]
        return [self.make(node, ins, attrs)]

    def op_Slice(self, node, attrs):
        if self.src >= 10 and self.tgt >= 10:
            return [self.make(node, node.input, attrs)]
        if self.src < 10:
            starts, ends, axes, steps = attrs["starts"], attrs["ends"], attrs.get("axes"), None
        else:
            starts, ends = self.value_of(node, 1, "starts"), self.value_of(node, 2, "ends")
            axes, steps = self.value_of(node, 3, "axes"), self.value_of(node, 4, "steps")
        if axes is None:
            axes = list(range(len(starts)))
        axes = self.axes_nonnegative(axes, self.rank(node.input[0]))
        if self.tgt < 10:
            if steps is not None and any(int(s) != 1 for s in steps):
                raise Unrepresentable("Slice with steps needs opset 10")
            clip = lambda v: [int(min(x, INT64_MAX)) for x in v]  # noqa: E731
            return [self.make(node, node.input[:1], {"starts": clip(starts), "ends": clip(ends), "axes": axes})]
        ins = [node.input[0], self.const(f"{node.name}_starts", np.array(starts, np.int64)),
               self.const(f"{node.name}_ends", np.array(ends, np.int64)),
               self.const(f"{node.name}_axes", np.array(axes, np.int64))]
        return [self.make(node, ins, attrs)]

    def op_Resize(self, node, attrs):
        if self.src < 11:
            raise Unrepresentable("Resize-10 sources are not handled")
        if self.tgt < 11:
            raise Unrepresentable(f"Resize '{node.name}' ({attrs.get('coordinate_transformation_mode', b'half_pixel').decode()}) "
                                  f"has no exact form before opset 11 (Upsample and Resize-10 are asymmetric)")
        ins = list(node.input) + [""] * (4 - len(node.input))
        if self.tgt < 13:
            # Resize-11: roi and scales are required inputs; empty tensors mean "not given".
            if ins[1] == "":
                ins[1] = self.const(f"{node.name}_roi", np.zeros(0, np.float32))
            if ins[2] == "":
                ins[2] = self.const(f"{node.name}_scales", np.zeros(0, np.float32))
        return [self.make(node, ins, attrs)]

    def op_MaxPool(self, node, attrs):
        attrs = dict(attrs)
        if self.tgt >= 10:
            return [self.make(node, node.input, attrs)]
        if any(d != 1 for d in attrs.pop("dilations", [1])):
            raise Unrepresentable("MaxPool dilations need opset 10")
        if len(node.output) > 1 and self.tgt < 8:
            raise Unrepresentable("MaxPool Indices need opset 8")
        if attrs.pop("ceil_mode", 0):
            if attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
                raise Unrepresentable("MaxPool ceil_mode with auto_pad")
            in_dims = self.shapes[node.input[0]][2:]
            out_dims = self.shapes[node.output[0]][2:]
            kernel, n = attrs["kernel_shape"], len(attrs["kernel_shape"])
            strides = attrs.get("strides", [1] * n)
            pads = list(attrs.get("pads", [0] * 2 * n))
            for i in range(n):
                # Extend the end padding so that floor mode makes the windows ceil mode made;
                # MaxPool ignores padding, so the values are unchanged.
                need = (out_dims[i] - 1) * strides[i] + kernel[i] - (in_dims[i] + pads[i] + pads[n + i])
                pads[n + i] += max(0, need)
            attrs["pads"] = pads
        if self.tgt < 8:
            attrs.pop("storage_order", None)
        return [self.make(node, node.input, attrs)]

    def op_Softmax(self, node, attrs):
        attrs = dict(attrs)
        rank = self.rank(node.input[0])
        axis = attrs.get("axis", 1 if self.src < 13 else -1) % rank
        if (self.src < 13) != (self.tgt < 13) and axis != rank - 1:
            raise Unrepresentable("Softmax over a non-last axis changed meaning at opset 13")
        attrs["axis"] = axis if self.tgt < 11 else attrs.get("axis", axis)
        return [self.make(node, node.input, attrs)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--opsets", required=True, help="comma-separated, e.g. 7,9,11,18,21")
    ap.add_argument("--out-dir", required=True)
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    model = onnx.load(args.model)
    stem = os.path.splitext(os.path.basename(args.model))[0]
    for target in (int(t) for t in args.opsets.split(",")):
        try:
            out = Rewriter(model, target).rewrite()
        except Unrepresentable as e:
            print(json.dumps({"opset": target, "skipped": str(e)}), flush=True)
            continue
        path = os.path.join(args.out_dir, f"{stem}.opset{target}.onnx")
        onnx.save(out, path)
        print(json.dumps({"opset": target, "file": path}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
