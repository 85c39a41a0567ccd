#!/usr/bin/python3
"""Export randomly-initialised torchvision classifiers and segmentation nets to ONNX for litecnn's tests.

No pretrained weights can be downloaded here, so every model is built with
``weights=None`` from a fixed per-model seed. Plain random init is a poor test
subject though: BatchNorm starts as the identity (mean 0, var 1, weight 1,
bias 0), which makes constant folding trivial and lets activations drift, and
the logits may come out (nearly) tied. So after construction we

  1. randomise every BatchNorm's affine params (weight ~ U(0.5, 1.5),
     bias ~ N(0, 0.1)) with the seeded generator, then
  2. calibrate its running stats on a seeded random batch (train-mode forward
     with momentum=None, i.e. running stats := statistics of that batch), and
  3. jitter the calibrated stats (mean += N(0, 0.1), var *= U(0.5, 1.5); for
     DeepLabV3 mean += N(0, 0.1) x the channel's std, see STD_RELATIVE_JITTER).

Step 2 is a deliberate deviation from "just draw running stats at random":
with He-initialised convolutions the true per-channel variance is nowhere near
1 deep in the network, so purely random stats let activations blow up or die
out layer by layer. Calibrated-then-jittered stats keep every BN output roughly
N(bias, weight^2) while still being non-trivial numbers that exercise the
Conv+BN folding path.

Segmentation nets (SEGMENTATION below: LRASPP and DeepLabV3 on MobileNetV3-Large, whose
backbones dilate their last stage and whose heads upsample with Resize) are exported the same
way, with their own input size, returning the ``out`` map only (``aux_loss`` off, as when
deployed). DeepLabV3 jitters BN means relative to each channel's std: with absolute jitter
its float32 output was 2.3e-4 (relative) from float64, above the test's 1e-4 tolerance
between two float32 runtimes; relative jitter: 1.4e-6 (STD_RELATIVE_JITTER says why).

The script then checks that, for the exact test input the Node test uses
(mulberry32 PRNG, see ``test_input``), the logits are finite, not all equal,
and that the top-6 logits are separated by clearly more than the test's
comparison tolerance (so top-5 order is a meaningful assertion).

Usage:
  /usr/bin/python3 models/export_torchvision.py [--out-dir DIR] [--json FILE] [NAME ...]
"""

import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch
import torchvision

OPSET = 13
INPUT_NAME = "input"
OUTPUT_NAME = "logits"
INPUT_DIMS = (1, 3, 224, 224)

# Must match TEST_INPUT_SEED in tests/node/models.test.mjs.
TEST_INPUT_SEED = 0x11CE

# Required gap between consecutive top-6 logits, relative to max|logit|.
# The Node test's tolerance is 1e-4 relative; 10x that leaves ample margin.
MIN_TOP_GAP_REL = 1e-3

# name -> (constructor, seed). Seeds are explicit per model (not derived from
# list position) so adding a model never changes the existing ones. If a seed
# fails the separation check in check_logits, bump it and update manifest.json.
MODELS = {
    "mobilenet_v2": (torchvision.models.mobilenet_v2, 1001),
    "mobilenet_v3_small": (torchvision.models.mobilenet_v3_small, 1002),
    "squeezenet1_0": (torchvision.models.squeezenet1_0, 1013),
    "squeezenet1_1": (torchvision.models.squeezenet1_1, 1014),
    "shufflenet_v2_x0_5": (torchvision.models.shufflenet_v2_x0_5, 1005),
    "shufflenet_v2_x1_0": (torchvision.models.shufflenet_v2_x1_0, 1006),
}


# name -> (constructor, seed, input side). Output: the [1, 21, side, side] class-score map "out".
SEGMENTATION = {
    "lraspp_mobilenet_v3_large": (
        torchvision.models.segmentation.lraspp_mobilenet_v3_large, 1101, 320),
    "deeplabv3_mobilenet_v3_large": (
        torchvision.models.segmentation.deeplabv3_mobilenet_v3_large, 1102, 256),
}
SEGMENTATION_OUTPUT = "out"

# name -> (constructor, seed, input side). The detector up to its head's outputs: per anchor box
# regressions "bbox_regression" [1, A, 4] and class logits "cls_logits" [1, A, 91]. torchvision's
# post-processing (score threshold, per-class top-k, batched NMS) and its transform (normalise,
# resize) are left out: the former is a chain of data-dependent lengths that litecnn does not run
# yet (src/README.md, "Outputs of data-dependent length"), and deployments often decode the boxes
# outside the graph.
DETECTION = {
    "ssdlite320_mobilenet_v3_large": (
        torchvision.models.detection.ssdlite320_mobilenet_v3_large, 1201, 320),
}
DETECTION_OUTPUTS = ["bbox_regression", "cls_logits"]

# Models whose BN mean jitter (step 3 in the docstring) is N(0, 0.1) x the channel's calibrated
# std instead of N(0, 0.1) in absolute units. Absolute jitter shifts a channel whose calibrated
# variance is tiny (the depthwise convs', down to ~1e-5) by tens of its std; the next layers'
# stats were calibrated without that shift, so the mismatch compounds layer by layer. For
# DeepLabV3 (seed 1102, 256x256) that left activations ~1000x their calibrated scale by the
# dilated last stage, where the squeeze-excitation gates (Hardsigmoid, linear only on
# [-3, 3]) got pre-activations of ~650 and turned their float32 rounding into a 4e-4 relative
# error (float32 vs float64 of the whole net: 2.3e-4 in PyTorch; with relative jitter 1.4e-6).
# Only DeepLabV3 uses it so the other models' weights (and manifest sha256) stay as they are.
STD_RELATIVE_JITTER = {"deeplabv3_mobilenet_v3_large", "ssdlite320_mobilenet_v3_large"}


class SegmentationOut(torch.nn.Module):
    """The net's ``out`` entry: torchvision's segmentation models return a dict."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x)["out"]


class DetectionHeadOut(torch.nn.Module):
    """Backbone (with SSDLite's extra blocks) and head: the raw per-anchor outputs."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        features = list(self.net.backbone(x).values())
        head = self.net.head(features)
        return tuple(head[k] for k in DETECTION_OUTPUTS)


ALL = {**MODELS, **SEGMENTATION, **DETECTION}


def model_seed(name):
    return ALL[name][1]


def input_dims(name):
    if name in SEGMENTATION or name in DETECTION:
        side = ALL[name][2]
        return (1, 3, side, side)
    return INPUT_DIMS


def mulberry32(seed, n):
    """Same integer PRNG as the Node test; returns n uint32 values."""
    out = np.empty(n, dtype=np.uint64)
    a = seed & 0xFFFFFFFF
    m = 0xFFFFFFFF
    for i in range(n):
        a = (a + 0x6D2B79F5) & m
        t = a
        t = ((t ^ (t >> 15)) * (t | 1)) & m
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & m)) & m
        out[i] = (t ^ (t >> 14)) & m
    return out


def test_input(dims=INPUT_DIMS):
    """Uniform [-1, 1) float32, exactly what the Node test feeds the classifiers.

    u / 2^32 * 2 - 1 is exact in float64 for a uint32 u, so the only rounding
    is the final float32 cast, which is identical in JS (Math.fround) and numpy.
    """
    n = int(np.prod(dims))
    u = mulberry32(TEST_INPUT_SEED, n).astype(np.float64)
    x = (u / 4294967296.0) * 2.0 - 1.0
    return torch.from_numpy(x.astype(np.float32).reshape(dims))


@torch.no_grad()
def build(name):
    # Everything below runs in float64 and the model is cast to float32 at the
    # end. Reason: torch's float32 RNG fill and conv kernels are dispatched per
    # CPU ISA (default/AVX2/AVX512) and give different low bits on different
    # CPUs (verified with ATEN_CPU_CAPABILITY=default vs avx2: different file
    # hashes). The float64 RNG paths are scalar, and float64 conv differences
    # (~1e-16) practically never survive rounding to float32, so the exported
    # weights -- and the sha256 in manifest.json -- do not depend on the CPU.
    prev_dtype = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        model = _build_f64(name)
    finally:
        torch.set_default_dtype(prev_dtype)
    return model.float().eval()


def _build_f64(name):
    seed = model_seed(name)
    torch.manual_seed(seed)
    if name in SEGMENTATION:
        # weights_backbone=None too: its default would download ImageNet weights.
        model = SegmentationOut(SEGMENTATION[name][0](weights=None, weights_backbone=None))
    elif name in DETECTION:
        model = DetectionHeadOut(DETECTION[name][0](weights=None, weights_backbone=None))
    else:
        model = MODELS[name][0](weights=None)

    g = torch.Generator().manual_seed(seed ^ 0x5EED)
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    for bn in bns:
        bn.weight.copy_(torch.empty_like(bn.weight).uniform_(0.5, 1.5, generator=g))
        bn.bias.copy_(torch.randn(bn.bias.shape, generator=g) * 0.1)
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average: one batch -> its exact stats

    if bns:
        model.train()
        calib = torch.randn((4,) + input_dims(name)[1:], generator=g)
        model(calib)
        # Mean jitter in absolute units for the models exported before DeepLabV3 (their sha256
        # in manifest.json fix it), in units of each channel's std for STD_RELATIVE_JITTER.
        relative = name in STD_RELATIVE_JITTER
        for bn in bns:
            shift = torch.randn(bn.running_mean.shape, generator=g) * 0.1
            if relative:
                shift *= (bn.running_var + bn.eps).sqrt()
            bn.running_mean.add_(shift)
            bn.running_var.mul_(
                torch.empty_like(bn.running_var).uniform_(0.5, 1.5, generator=g))
            bn.momentum = 0.1

    # SqueezeNet has no BatchNorm; its head is conv -> ReLU -> avgpool, so
    # with random init many logits are exactly 0 (ties). Give the final conv a
    # positive bias spread so every logit is positive and distinct.
    if name.startswith("squeezenet"):
        final_conv = model.classifier[1]
        final_conv.bias.copy_(
            torch.empty_like(final_conv.bias).uniform_(0.05, 0.5, generator=g))
    return model


def check_logits(name, logits):
    v = logits.reshape(-1).double().numpy()
    if not np.all(np.isfinite(v)):
        raise SystemExit(f"{name}: non-finite logits")
    vmax = np.abs(v).max()
    if vmax == 0 or v.max() == v.min():
        raise SystemExit(f"{name}: degenerate logits (all equal)")
    order = np.argsort(-v, kind="stable")
    top6 = v[order[:6]]
    min_gap_rel = float(np.min(top6[:-1] - top6[1:]) / vmax)
    if min_gap_rel < MIN_TOP_GAP_REL:
        raise SystemExit(
            f"{name}: top-5 not well separated (min gap {min_gap_rel:.2e} of max|logit|)")
    return {
        "top5": [int(i) for i in order[:5]],
        "top5_values": [float(x) for x in top6[:5]],
        "min_top_gap_rel": min_gap_rel,
        "logit_std": float(v.std()),
        "logit_max_abs": float(vmax),
    }


def check_segmentation(name, out):
    """The map must be finite and vary (a constant map would compare trivially)."""
    v = out.reshape(-1).double().numpy()
    if not np.all(np.isfinite(v)):
        raise SystemExit(f"{name}: non-finite output")
    if v.std() < 1e-3 * np.abs(v).max():
        raise SystemExit(f"{name}: degenerate output (nearly constant)")
    classes = out[0].argmax(0)
    return {
        "out_max_abs": float(np.abs(v).max()),
        "out_std": float(v.std()),
        "argmax_classes": int(torch.unique(classes).numel()),
    }


def check_detection(name, outs):
    """Both outputs finite and varying; the logits' spread is what the test compares."""
    stats = {}
    for key, t in zip(DETECTION_OUTPUTS, outs):
        v = t.reshape(-1).double().numpy()
        if not np.all(np.isfinite(v)):
            raise SystemExit(f"{name}: non-finite {key}")
        if v.std() < 1e-3 * np.abs(v).max():
            raise SystemExit(f"{name}: degenerate {key} (nearly constant)")
        stats[f"{key}_max_abs"] = float(np.abs(v).max())
    return stats


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def weights_sha256(path):
    """Hash of the initializers only (names, dtypes, dims, raw bytes, sorted).

    Independent of graph serialisation details, for diagnosing a file-hash
    mismatch: same weights hash => only the graph/metadata encoding differs.
    """
    import onnx
    from onnx import numpy_helper
    m = onnx.load(path)
    h = hashlib.sha256()
    for init in sorted(m.graph.initializer, key=lambda t: t.name):
        a = numpy_helper.to_array(init)
        h.update(f"{init.name}|{a.dtype}|{a.shape}|".encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def export(name, out_dir):
    t0 = time.time()
    model = build(name)
    dims = input_dims(name)
    x = test_input(dims)
    with torch.no_grad():
        ref = model(x)
    segmentation = name in SEGMENTATION
    if name in DETECTION:
        stats = check_detection(name, ref)
        output_names = DETECTION_OUTPUTS
    else:
        stats = check_segmentation(name, ref) if segmentation else check_logits(name, ref)
        output_names = [SEGMENTATION_OUTPUT if segmentation else OUTPUT_NAME]

    path = os.path.join(out_dir, f"{name}.onnx")
    tmp = path + ".tmp"
    torch.onnx.export(
        model, torch.zeros(dims), tmp,
        export_params=True, opset_version=OPSET, do_constant_folding=True,
        input_names=[INPUT_NAME], output_names=output_names,
        training=torch.onnx.TrainingMode.EVAL)

    import onnx
    onnx.checker.check_model(onnx.load(tmp))
    os.replace(tmp, path)  # atomic: a half-written file is never left behind

    return {
        "name": name,
        "file": os.path.basename(path),
        "seed": model_seed(name),
        "bytes": os.path.getsize(path),
        "sha256": sha256_file(path),
        "weights_sha256": weights_sha256(path),
        "seconds": round(time.time() - t0, 2),
        **stats,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("names", nargs="*", help=f"subset of {list(ALL)}")
    ap.add_argument("--out-dir", default=os.path.join(os.path.dirname(__file__), "generated"))
    ap.add_argument("--json", help="write per-model results (sha256, top-5, ...) here")
    args = ap.parse_args()

    names = args.names or list(ALL)
    unknown = [n for n in names if n not in ALL]
    if unknown:
        ap.error(f"unknown model(s): {unknown}")
    os.makedirs(args.out_dir, exist_ok=True)

    torch.set_num_threads(1)  # reproducibility of the reference logits
    results = []
    for name in names:
        r = export(name, args.out_dir)
        results.append(r)
        if "out_std" in r:
            quality = f"classes={r['argmax_classes']}  std={r['out_std']:.3g}"
        elif "cls_logits_max_abs" in r:
            quality = f"max|cls_logits|={r['cls_logits_max_abs']:.3g}  max|bbox|={r['bbox_regression_max_abs']:.3g}"
        else:
            quality = f"top5={r['top5']}  gap={r['min_top_gap_rel']:.1e}  std={r['logit_std']:.3g}"
        print(f"{name:20s} {r['bytes']/1e6:6.2f} MB  {r['seconds']:5.1f}s  "
              f"sha256={r['sha256'][:16]}  {quality}", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
