// Not and Where: the bool plumbing around a predicate (binary.cc), as detection heads and
// masked outputs use it (keep a score where it is a local peak, else 0). Plain layout: their
// values are masks and selections, not feature maps.
#include <cstring>

#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

class NotOp final : public Op {
 public:
  Status Init(const Attributes&) { return Status::Ok(); }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kPlain; }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, 1));
    if (in[0]->dtype != DataType::kBool) {
      return InvalidModel(std::string("Not of ") + DataTypeName(in[0]->dtype) + " (must be bool)");
    }
    out->at(0).dtype = DataType::kBool;
    out->at(0).dims = in[0]->dims;
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const uint8_t* x = in[0].as<const uint8_t>();
    uint8_t* y = out[0].as<uint8_t>();
    for (int64_t i = 0, n = in[0].num_elements(); i < n; ++i) y[i] = !x[i];
    return Status::Ok();
  }
};

// Where(condition, X, Y): X where the condition holds, else Y, all three broadcast (numpy).
class WhereOp final : public Op {
 public:
  Status Init(const Attributes&) { return Status::Ok(); }
  LayoutPolicy layout_policy() const override { return LayoutPolicy::kPlain; }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 3, 3));
    if (in[0]->dtype != DataType::kBool) {
      return InvalidModel(std::string("condition is ") + DataTypeName(in[0]->dtype) +
                          " (must be bool)");
    }
    if (in[1]->dtype != in[2]->dtype) {
      return InvalidModel(std::string("X is ") + DataTypeName(in[1]->dtype) + " and Y " +
                          DataTypeName(in[2]->dtype));
    }
    LITECNN_ASSIGN_OR_RETURN(Dims xy, BroadcastDims(in[1]->dims, in[2]->dims));
    LITECNN_ASSIGN_OR_RETURN(Dims dims, BroadcastDims(in[0]->dims, xy));
    out->at(0).dtype = in[1]->dtype;
    out->at(0).dims = std::move(dims);
    return Status::Ok();
  }
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& y = out[0];
    std::vector<ptrdiff_t> strides[3];
    for (int k = 0; k < 3; ++k) strides[k] = BroadcastStrides(in[k].dims, in[k].layout, y.dims);
    const uint8_t* cond = in[0].as<const uint8_t>();
    const char* x = in[1].as<const char>();
    const char* other = in[2].as<const char>();
    char* dst = y.as<char>();
    const size_t size = DataTypeSize(y.dtype);
    ForEachBroadcast<3>(y.dims, {strides[0].data(), strides[1].data(), strides[2].data()},
                        [&](int64_t i, const auto& at) {
                          const char* from = cond[at[0]] ? x + at[1] * size : other + at[2] * size;
                          std::memcpy(dst + i * size, from, size);
                        });
    return Status::Ok();
  }
};

}  // namespace

Result<std::unique_ptr<Op>> CreateNot(const Attributes& a) { return CreateOp<NotOp>(a); }
Result<std::unique_ptr<Op>> CreateWhere(const Attributes& a) { return CreateOp<WhereOp>(a); }

}  // namespace litecnn
