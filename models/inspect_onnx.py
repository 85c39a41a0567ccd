#!/usr/bin/python3
"""Summarise the ONNX graphs litecnn must run: per-model I/O and op counts, and
the union of op types with every distinct attribute value and where each
non-activation input comes from (initializer, Constant node, or computed).

Output is Markdown (pasted into models/README.md between the
"<!-- BEGIN inspect_onnx -->" / "<!-- END inspect_onnx -->" markers by
`--update-readme`).

Usage:
  /usr/bin/python3 models/inspect_onnx.py [--update-readme] [FILE.onnx ...]
  (default: every file listed in models/manifest.json, from models/generated/)
"""

import argparse
import collections
import json
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
BEGIN, END = "<!-- BEGIN inspect_onnx -->", "<!-- END inspect_onnx -->"

DTYPE = {v: k for k, v in onnx.TensorProto.DataType.items()}


def dims_of(value_info):
    t = value_info.type.tensor_type
    return [d.dim_value if d.HasField("dim_value") else (d.dim_param or "?")
            for d in t.shape.dim]


def fmt_value(v):
    """Compact repr for attribute / constant values."""
    if isinstance(v, bytes):
        return repr(v.decode())
    if isinstance(v, onnx.TensorProto):
        return fmt_array(numpy_helper.to_array(v))
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(fmt_value(x) for x in v) + "]"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def fmt_array(a, max_elems=8):
    if a.size > max_elems:
        return f"<{DTYPE.get(numpy_helper.from_array(a).data_type, a.dtype)} {list(a.shape)}>"
    flat = a.reshape(-1).tolist()
    s = fmt_value([float(x) if a.dtype.kind == "f" else int(x) for x in flat])
    if a.ndim != 1:
        s += f" shape {list(a.shape)}"
    return s if a.dtype == np.float32 else f"{a.dtype} {s}"


def sort_key(s):
    """Numeric-aware sort so group values read 1; 16; 24; ... not 1; 116; 120."""
    try:
        return (0, float(s), s)
    except ValueError:
        return (1, 0.0, s)


def describe_model(path):
    m = onnx.load(path)
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    # Constant nodes: output name -> value tensor.
    consts = {}
    for n in g.node:
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value":
                    consts[n.output[0]] = a.t
    graph_inputs = [i for i in g.input if i.name not in inits]
    info = {
        "file": os.path.basename(path),
        "ir_version": m.ir_version,
        "opsets": {(o.domain or "ai.onnx"): o.version for o in m.opset_import},
        "producer": f"{m.producer_name} {m.producer_version}".strip(),
        "inputs": [(i.name, DTYPE[i.type.tensor_type.elem_type], dims_of(i)) for i in graph_inputs],
        "outputs": [(o.name, DTYPE[o.type.tensor_type.elem_type], dims_of(o)) for o in g.output],
        "initializers": len(inits),
        "params": int(sum(np.prod(t.dims) for t in inits.values())),
        "op_counts": collections.Counter(n.op_type for n in g.node),
    }
    # torch's exporter de-duplicates identical initializers and re-exposes
    # them through Identity nodes; follow those so provenance is accurate.
    identity_of = {n.output[0]: n.input[0] for n in g.node if n.op_type == "Identity"}
    graph_input_names = {i.name for i in graph_inputs}

    def provenance(name):
        via = ""
        while name in identity_of:
            name, via = identity_of[name], " (via Identity)"
        if name == "":
            return "(omitted)"
        if name in graph_input_names:
            return "graph input"
        if name in consts:
            return "Constant " + fmt_value(consts[name]) + via
        if name in inits:
            t = inits[name]
            if np.prod(t.dims) <= 8:
                return "initializer " + fmt_value(t) + via
            # Weight shapes vary per layer; collapse them to rank and dtype.
            return f"initializer rank-{len(t.dims)} {DTYPE[t.data_type].lower()}" + via
        return "computed"

    # Per op: attribute values and the provenance of every input position.
    attrs = collections.defaultdict(lambda: collections.defaultdict(set))
    srcs = collections.defaultdict(lambda: collections.defaultdict(set))
    for n in g.node:
        for a in n.attribute:
            attrs[n.op_type][a.name].add(fmt_value(helper.get_attribute_value(a)))
        srcs[n.op_type]["arity"].add(str(len(n.input)))
        if n.op_type == "Conv" and n.input[1] in inits:
            # Derived (not an ONNX attribute): which kernel family the Conv needs.
            w_dims = list(inits[n.input[1]].dims)  # [Cout, Cin/group, kh, kw]
            group = next((helper.get_attribute_value(a) for a in n.attribute
                          if a.name == "group"), 1)
            k = "x".join(map(str, w_dims[2:]))
            stride = next((helper.get_attribute_value(a) for a in n.attribute
                           if a.name == "strides"), [1, 1])
            if group == 1:
                kind = f"dense {k}"
            elif w_dims[1] == 1 and w_dims[0] == group:
                kind = f"depthwise {k}"
            else:
                kind = f"grouped {k} (Cin/group={w_dims[1]})"
            attrs[n.op_type]["(derived) kind/stride"].add(f"{kind} s{stride[0]}")
        for idx, name in enumerate(n.input):
            srcs[n.op_type][f"in{idx}"].add(provenance(name))
    info["attrs"], info["srcs"] = attrs, srcs
    return info


def markdown(infos):
    out = []
    w = out.append
    w("### Per model\n")
    for i in infos:
        w(f"#### {i['file']}\n")
        w(f"- producer: {i['producer']}; IR version {i['ir_version']}; opset "
          + ", ".join(f"{d} {v}" for d, v in i["opsets"].items()))
        for name, dt, dims in i["inputs"]:
            w(f"- input `{name}`: {dt} {dims}")
        for name, dt, dims in i["outputs"]:
            w(f"- output `{name}`: {dt} {dims}")
        w(f"- {i['initializers']} initializers, {i['params']:,} parameters")
        w("- ops (" + str(sum(i["op_counts"].values())) + " nodes): "
          + ", ".join(f"{op} x{c}" for op, c in sorted(i["op_counts"].items())))
        w("")

    w("### Union of op types (all models)\n")
    ops = sorted(set().union(*(i["op_counts"] for i in infos)))
    w("| op | used by (node count) | attributes (distinct values) | inputs: where they come from |")
    w("| --- | --- | --- | --- |")
    for op in ops:
        users = [f"{i['file'].removesuffix('.onnx')} ({i['op_counts'][op]})"
                 for i in infos if op in i["op_counts"]]
        attr = collections.defaultdict(set)
        src = collections.defaultdict(set)
        for i in infos:
            for k, vs in i["attrs"].get(op, {}).items():
                attr[k] |= vs
            for k, vs in i["srcs"].get(op, {}).items():
                src[k] |= vs
        attr_s = "<br>".join(f"`{k}`: " + "; ".join(sorted(v, key=sort_key)) for k, v in sorted(attr.items())) or "-"
        src_s = "<br>".join(f"{k}: " + "; ".join(sorted(v, key=sort_key)) for k, v in sorted(src.items())) or "-"
        w(f"| {op} | {', '.join(users)} | {attr_s} | {src_s} |")
    w("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*")
    ap.add_argument("--update-readme", action="store_true",
                    help="replace the generated section of models/README.md")
    args = ap.parse_args()
    files = args.files
    if not files:
        with open(os.path.join(HERE, "manifest.json")) as f:
            manifest = json.load(f)
        files = [os.path.join(HERE, "generated", m["file"]) for m in manifest["models"]]
    md = markdown([describe_model(f) for f in files])
    if args.update_readme:
        readme = os.path.join(HERE, "README.md")
        text = open(readme).read()
        a, b = text.index(BEGIN) + len(BEGIN), text.index(END)
        with open(readme, "w") as f:
            f.write(text[:a] + "\n" + md + "\n" + text[b:])
    else:
        sys.stdout.write(md)


if __name__ == "__main__":
    main()
