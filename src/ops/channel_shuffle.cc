#include "ops/channel_shuffle.h"

#include "ops/capabilities.h"
#include "ops/dispatch.h"
#include "ops/op_util.h"
#include "parallel/thread_pool.h"

namespace litecnn {
namespace {

class ChannelShuffleOp final : public Op, public ReadsChannelSlices {
 public:
  explicit ChannelShuffleOp(size_t groups) : groups_(groups) {}
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kAny; }

  // The two-input (concat) form on NHWC data reads each half with its own pixel stride.
  bool CanReadInputChannelSlice(size_t i) const override {
    return groups_ == 2 && i < 2 && inputs_ == 2;
  }
  void ReadInputChannelSlice(size_t i, size_t offset, size_t pixel_stride) override {
    offset_[i] = offset;
    stride_[i] = pixel_stride;
  }

  // One input: shuffle it. `groups` inputs: shuffle their channel concatenation.
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    if (in.empty()) return InvalidModel("ChannelShuffle needs an input");
    if (in.size() != 1 && in.size() != groups_) {
      return Internal("ChannelShuffle of " + std::to_string(in.size()) + " inputs, " +
                      std::to_string(groups_) + " groups");
    }
    Dims dims = in[0]->dims;
    if (dims.size() != 4) return Internal("ChannelShuffle of rank " + std::to_string(dims.size()));
    for (size_t i = 1; i < in.size(); ++i) {
      if (in[i]->dims != in[0]->dims) return Internal("ChannelShuffle inputs differ");
    }
    inputs_ = in.size();
    dims[1] *= static_cast<int64_t>(in.size());
    if (dims[1] % static_cast<int64_t>(groups_) != 0) {
      return InvalidModel(std::to_string(groups_) + " groups do not divide " +
                          std::to_string(dims[1]) + " channels");
    }
    out->at(0).dtype = in[0]->dtype;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& y = out[0];
    const size_t channels = y.dims[1], cg = channels / groups_;
    const size_t pixels = y.dims[0] * y.dims[2] * y.dims[3];
    const ElementwiseKernels& ew = Elementwise();
    bool all_nhwc = y.layout == Layout::kNHWC && DataTypeSize(y.dtype) == 4;
    for (const TensorView& x : in) all_nhwc = all_nhwc && x.layout == Layout::kNHWC;
    if (all_nhwc && in.size() == 1) {
      ParallelFor(par_, pixels, [&](const Part& p) {
        ew.channel_shuffle(p.end - p.begin, groups_, cg,
                           in[0].as<const uint32_t>() + p.begin * channels,
                           y.as<uint32_t>() + p.begin * channels);
      });
      return Status::Ok();
    }
    if (all_nhwc && in.size() == 2) {
      const size_t s0 = stride_[0] ? stride_[0] : cg, s1 = stride_[1] ? stride_[1] : cg;
      ParallelFor(par_, pixels, [&](const Part& p) {
        ew.concat2_shuffle(p.end - p.begin, cg,
                           in[0].as<const uint32_t>() + offset_[0] + p.begin * s0, s0,
                           in[1].as<const uint32_t>() + offset_[1] + p.begin * s1, s1,
                           y.as<uint32_t>() + p.begin * channels, channels);
      });
      return Status::Ok();
    }
    if (stride_[0] || stride_[1]) return Internal("ChannelShuffle of channel slices needs NHWC");
    // Any layout: group g's channels j go to output channel j * groups + g (a strided copy).
    const size_t esize = DataTypeSize(y.dtype);
    std::vector<ptrdiff_t> ys = LogicalStrides(y.dims, y.layout);
    const ptrdiff_t channel_stride = ys[1];
    ys[1] *= static_cast<ptrdiff_t>(groups_);
    Dims part = y.dims;
    part[1] = static_cast<int64_t>(cg);
    for (size_t g = 0; g < groups_; ++g) {
      const TensorView& x = in.size() == 1 ? in[0] : in[g];
      const std::vector<ptrdiff_t> xs = LogicalStrides(x.dims, x.layout);
      const size_t first = in.size() == 1 ? g * cg : 0;  // source channel of this group
      CopyStrided(esize, part, static_cast<const char*>(x.data) + first * xs[1] * esize, xs,
                  static_cast<char*>(y.data) + g * channel_stride * esize, ys);
    }
    return Status::Ok();
  }

 private:
  size_t groups_;
  size_t inputs_ = 1;
  size_t offset_[2] = {0, 0}, stride_[2] = {0, 0};  // per-input channel slice; 0: dense
};

}  // namespace

std::unique_ptr<Op> CreateChannelShuffle(size_t groups) {
  return std::make_unique<ChannelShuffleOp>(groups);
}

}  // namespace litecnn
