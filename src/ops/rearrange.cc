// DepthToSpace, SpaceToDepth, Expand and Tile: each output element is one input element, so each
// op is one strided copy over a box of the output, whatever the element type (float32
// activations, int64 shapes, bool masks). The box's strides are logical ones, so the ops read and
// write either layout (kAny): the sub-pixel upsampling block of super-resolution nets (conv ->
// DepthToSpace -> conv) stays NHWC.
#include <cstdlib>
#include <utility>

#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

// Copies the box `dims` from `in` to `out` (element strides per box axis), innermost loop on the
// axis with the smallest output stride: the axes are reordered so the writes run forward (a
// DepthToSpace's box is [N, C, H, b, W, b] in ONNX's order, its NHWC output contiguous in C).
// Axes of size 1 are dropped, so most boxes fit the 32-bit copy kernel's rank.
void CopyBox(size_t esize, const Dims& dims, const void* in, const std::vector<ptrdiff_t>& is,
             void* out, const std::vector<ptrdiff_t>& os) {
  Dims d;
  std::vector<ptrdiff_t> s, o;
  for (size_t k = 0; k < dims.size(); ++k) {
    if (dims[k] == 1) continue;
    d.push_back(dims[k]);
    s.push_back(is[k]);
    o.push_back(os[k]);
    // Insertion sort, stable, by decreasing output stride (a box has a dozen axes at most;
    // std::stable_sort cost the download 1 KB).
    for (size_t at = o.size() - 1; at > 0 && std::abs(o[at - 1]) < std::abs(o[at]); --at) {
      std::swap(d[at - 1], d[at]);
      std::swap(s[at - 1], s[at]);
      std::swap(o[at - 1], o[at]);
    }
  }
  CopyStrided(esize, d, in, s, out, o);
}

Status CheckElementType(const TensorDesc& d) {
  if (DataTypeSize(d.dtype) == 0) {
    return Unsupported(std::string("element type ") + DataTypeName(d.dtype));
  }
  return Status::Ok();
}

// DepthToSpace (to_space) and SpaceToDepth on [N, C, H, W] with square blocks of `blocksize`.
// DepthToSpace before version 11 has DCR order only; 11 adds `mode` (DCR or CRD). SpaceToDepth
// is DCR's inverse.
class DepthSpaceOp final : public Op {
 public:
  explicit DepthSpaceOp(bool to_space) : to_space_(to_space) {}
  Status Init(const Attributes& attrs) {
    if (!attrs.Has("blocksize")) return InvalidModel("attribute 'blocksize' is required");
    LITECNN_ASSIGN_OR_RETURN(block_, attrs.GetInt("blocksize", 0));
    if (block_ < 1) return InvalidModel("blocksize " + std::to_string(block_) + " must be >= 1");
    if (to_space_ && attrs.version() >= 11) {
      LITECNN_ASSIGN_OR_RETURN(std::string mode, attrs.GetString("mode", "DCR"));
      if (mode != "DCR" && mode != "CRD") {
        return InvalidModel("mode '" + mode + "' (must be DCR or CRD)");
      }
      crd_ = mode == "CRD";
    }
    return Status::Ok();
  }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }

  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, 1));
    LITECNN_RETURN_IF_ERROR(CheckElementType(*in[0]));
    const Dims& x = in[0]->dims;
    if (x.size() != 4) {
      return InvalidModel("input " + DimsToString(x) + " must be 4-D [N, C, H, W]");
    }
    const int64_t b = block_;
    Dims dims = x;
    if (to_space_) {
      if (x[1] % b != 0 || (x[1] / b) % b != 0) {
        return InvalidModel("channels " + std::to_string(x[1]) + " are not a multiple of " +
                            "blocksize^2 (blocksize " + std::to_string(b) + ")");
      }
      dims[1] = x[1] / b / b;
      dims[2] = x[2] * b;  // the input's element count bounds these: no overflow
      dims[3] = x[3] * b;
    } else {
      if (x[2] % b != 0 || x[3] % b != 0) {
        return InvalidModel("height and width of " + DimsToString(x) +
                            " are not multiples of blocksize " + std::to_string(b));
      }
      dims[1] = x[1] * b * b;
      dims[2] = x[2] / b;
      dims[3] = x[3] / b;
    }
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }

  // The box is the space side's [N, C, H, b, W, b] (C the fewer channels): its H, W and block
  // axes step through the space side's rows and columns, and through the depth side's channels
  // as DCR ((row * b + col) * C + c) or CRD ((c * b + row) * b + col) orders them.
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& space = to_space_ ? out[0] : in[0];
    const TensorView& depth = to_space_ ? in[0] : out[0];
    const std::vector<ptrdiff_t> s = LogicalStrides(space.dims, space.layout);
    const std::vector<ptrdiff_t> d = LogicalStrides(depth.dims, depth.layout);
    const ptrdiff_t b = block_;
    const ptrdiff_t c = static_cast<ptrdiff_t>(space.dims[1]);
    const Dims box = {space.dims[0], c, depth.dims[2], b, depth.dims[3], b};
    const std::vector<ptrdiff_t> space_strides = {s[0], s[1], b * s[2], s[2], b * s[3], s[3]};
    const std::vector<ptrdiff_t> depth_strides =
        crd_ ? std::vector<ptrdiff_t>{d[0], b * b * d[1], d[2], b * d[1], d[3], d[1]}
             : std::vector<ptrdiff_t>{d[0], d[1], d[2], b * c * d[1], d[3], c * d[1]};
    const size_t esize = DataTypeSize(in[0].dtype);
    if (to_space_) {
      CopyBox(esize, box, depth.data, depth_strides, space.data, space_strides);
    } else {
      CopyBox(esize, box, space.data, space_strides, depth.data, depth_strides);
    }
    return Status::Ok();
  }

 private:
  bool to_space_;
  bool crd_ = false;
  int64_t block_ = 1;
};

// Expand: the input broadcast (numpy) with a constant shape; the output is the broadcast of both,
// so a shape of lower rank or with 1s keeps the input's dims.
class ExpandOp final : public Op {
 public:
  Status Init(const Attributes&) { return Status::Ok(); }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 2, 2));
    LITECNN_RETURN_IF_ERROR(CheckElementType(*in[0]));
    LITECNN_ASSIGN_OR_RETURN(std::vector<int64_t> shape, ConstantInts(in[1], "shape"));
    for (int64_t v : shape) {
      if (v < 0) return InvalidModel("shape " + IntsToString(shape) + " has a negative dim");
    }
    LITECNN_ASSIGN_OR_RETURN(Dims dims, BroadcastDims(in[0]->dims, shape));
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& x = in[0];
    const TensorView& y = out[0];
    CopyBox(DataTypeSize(x.dtype), y.dims, x.data, BroadcastStrides(x.dims, x.layout, y.dims),
            y.data, LogicalStrides(y.dims, y.layout));
    return Status::Ok();
  }
};

// Tile: the input repeated along every axis by constant counts: the input `repeats` (one per
// axis) from version 6; before, the scalar inputs `tiles` and `axis` repeat it along one axis.
class TileOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    legacy_ = attrs.version() < 6;
    return Status::Ok();
  }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, legacy_ ? 3 : 2, legacy_ ? 3 : 2));
    LITECNN_RETURN_IF_ERROR(CheckElementType(*in[0]));
    const Dims& x = in[0]->dims;
    if (legacy_) {
      LITECNN_ASSIGN_OR_RETURN(std::vector<int64_t> tiles, LegacyScalar(in[1], "tiles"));
      LITECNN_ASSIGN_OR_RETURN(std::vector<int64_t> axis, LegacyScalar(in[2], "axis"));
      LITECNN_ASSIGN_OR_RETURN(size_t a, NormalizeAxis(axis[0], x.size()));
      repeats_.assign(x.size(), 1);
      repeats_[a] = tiles[0];
    } else {
      LITECNN_ASSIGN_OR_RETURN(repeats_, ConstantInts(in[1], "repeats"));
    }
    if (repeats_.size() != x.size()) {
      return InvalidModel("repeats " + IntsToString(repeats_) +
                          " must have one entry per axis of " + DimsToString(x));
    }
    Dims dims(x.size());
    for (size_t k = 0; k < x.size(); ++k) {
      if (repeats_[k] < 0) {
        return InvalidModel("repeats " + IntsToString(repeats_) + " has a negative count");
      }
      if (!CheckedMul(x[k], repeats_[k], &dims[k])) {
        return InvalidModel("repeats " + IntsToString(repeats_) + " overflow " + DimsToString(x));
      }
    }
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }
  // The box is [repeats[0], x[0], repeats[1], x[1], ...]: a repeat axis reads stride 0 and
  // writes a whole input's extent along its axis further on.
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& x = in[0];
    const TensorView& y = out[0];
    const std::vector<ptrdiff_t> xs = LogicalStrides(x.dims, x.layout);
    const std::vector<ptrdiff_t> ys = LogicalStrides(y.dims, y.layout);
    Dims box;
    std::vector<ptrdiff_t> is, os;
    for (size_t k = 0; k < x.dims.size(); ++k) {
      box.push_back(repeats_[k]);
      box.push_back(x.dims[k]);
      is.push_back(0);
      is.push_back(xs[k]);
      os.push_back(static_cast<ptrdiff_t>(x.dims[k]) * ys[k]);
      os.push_back(ys[k]);
    }
    CopyBox(DataTypeSize(x.dtype), box, x.data, is, y.data, os);
    return Status::Ok();
  }

 private:
  // Version 1's tiles and axis: constant scalars of any numeric type (the schema says float).
  static Result<std::vector<int64_t>> LegacyScalar(const TensorDesc* d, const char* what) {
    if (!d->is_constant()) {
      return Unsupported(std::string(what) + " must be known at load time (a constant)");
    }
    if (d->constant->num_elements() != 1) {
      return InvalidModel(std::string(what) + " must be a scalar");
    }
    return std::vector<int64_t>{d->constant->GetAsInt64(0)};
  }
  bool legacy_ = false;
  std::vector<int64_t> repeats_;
};

}  // namespace

Result<std::unique_ptr<Op>> CreateDepthToSpace(const Attributes& a) {
  return CreateOp<DepthSpaceOp>(a, true);
}
Result<std::unique_ptr<Op>> CreateSpaceToDepth(const Attributes& a) {
  return CreateOp<DepthSpaceOp>(a, false);
}
Result<std::unique_ptr<Op>> CreateExpand(const Attributes& a) { return CreateOp<ExpandOp>(a); }
Result<std::unique_ptr<Op>> CreateTile(const Attributes& a) { return CreateOp<TileOp>(a); }

}  // namespace litecnn
