// TopK, NonMaxSuppression and NonZero: the ops that pick elements by value at the end of
// classifier and detection heads. Plain layout: they read scores and boxes as row-major tensors.
// Each can have an output whose length depends on the values (Op::dynamic_axis):
// NonMaxSuppression's selected boxes and NonZero's indices always, TopK's when K is only known
// at Run.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "ops/op_list.h"
#include "ops/op_util.h"

namespace litecnn {
namespace {

// The one element of a scalar input (rank 0, or 1-D of one element) read at Run.
int64_t IntAt(const TensorView& v) {
  return v.dtype == DataType::kInt32 ? v.as<const int32_t>()[0] : v.as<const int64_t>()[0];
}

// An element as a key whose int64 order is the value order: floats by their bits (negative
// ones mirrored, so -0 and +0 tie), NaN above +inf (as torch.topk and numpy's sort place it),
// which keeps the order total and the selection well defined.
int64_t FloatKey(float f) {
  if (std::isnan(f)) return INT64_MAX;
  int32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return bits >= 0 ? bits : -int64_t{bits & 0x7fffffff};
}

// An element to select: its key (FloatKey, or the int64 itself) and its index.
struct Ranked {
  int64_t key, index;
};
// Whether a ranks before b: a greater key, or the same key and a lower index. Both ops select in
// this one order on raw pointers, so std::partial_sort and the heap of NonMaxSuppression share
// one instantiation of the heap code (a second order or iterator type would add its own).
struct RanksBefore {
  bool operator()(const Ranked& a, const Ranked& b) const {
    return a.key > b.key || (a.key == b.key && a.index < b.index);
  }
};

// TopK: the k largest (from version 11 also smallest) elements along an axis, best first,
// equal values by lower index; Values of the input's type (float32; int64 from version 11) and
// int64 Indices. k is an attribute before version 10, then the 1-element input K.
class TopKOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    version_ = attrs.version();
    LITECNN_ASSIGN_OR_RETURN(axis_attr_, attrs.GetInt("axis", -1));
    if (version_ < 10) {
      if (!attrs.Has("k")) return InvalidModel("TopK before version 10 needs the attribute k");
      LITECNN_ASSIGN_OR_RETURN(k_, attrs.GetInt("k", 0));
    } else if (attrs.Has("k")) {
      return InvalidModel("TopK from version 10 takes k as input K, not as an attribute");
    }
    if (version_ >= 11) {
      LITECNN_ASSIGN_OR_RETURN(int64_t largest, attrs.GetInt("largest", 1));
      largest_ = largest != 0;
      // sorted = 0 leaves the order of the k elements open; sorted is one such order.
      LITECNN_ASSIGN_OR_RETURN(int64_t sorted, attrs.GetInt("sorted", 1));
      (void)sorted;
    }
    return Status::Ok();
  }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    const size_t inputs = version_ < 10 ? 1 : 2;
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, inputs, inputs));
    const TensorDesc& x = *in[0];
    if (x.dtype == DataType::kInt64 && version_ < 11) {
      return InvalidModel("TopK version " + std::to_string(version_) +
                          " takes floats (int64 from version 11)");
    }
    if (x.dtype != DataType::kFloat32 && x.dtype != DataType::kInt64) {
      return Unsupported(std::string("TopK of ") + DataTypeName(x.dtype) +
                         " (litecnn selects among float32 and int64)");
    }
    if (x.dims.empty()) return InvalidModel("TopK of a scalar (X needs an axis)");
    LITECNN_ASSIGN_OR_RETURN(axis_, NormalizeAxis(axis_attr_, x.dims.size()));
    const int64_t n = x.dims[axis_];
    dynamic_ = false;
    if (version_ >= 10) {
      const TensorDesc& k = *in[1];
      if (k.dtype != DataType::kInt64) {
        return InvalidModel(std::string("K must be int64, got ") + DataTypeName(k.dtype));
      }
      if (k.dims.size() > 1 || CheckedElementCount(k.dims).value() != 1) {
        return InvalidModel("K must hold one value, got dims " + DimsToString(k.dims));
      }
      if (k.is_constant()) {
        k_ = k.constant->GetAsInt64(0);
      } else {
        dynamic_ = true;  // K fed at Run: the axis keeps its whole length as the bound
        k_ = n;
      }
    }
    LITECNN_RETURN_IF_ERROR(CheckK(k_, n));
    Dims dims = x.dims;
    dims[axis_] = k_;
    out->at(0).dtype = x.dtype;
    out->at(0).dims = dims;
    if (out->size() > 1) {
      out->at(1).dtype = DataType::kInt64;
      out->at(1).dims = std::move(dims);
    }
    return Status::Ok();
  }
  int dynamic_axis(size_t) const override { return dynamic_ ? static_cast<int>(axis_) : -1; }
  int64_t run_length(size_t) const override { return run_k_; }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& x = in[0];
    const int64_t n = x.dims[axis_];
    run_k_ = k_;
    if (dynamic_) {
      run_k_ = IntAt(in[1]);
      if (Status s = CheckK(run_k_, n); !s.ok()) return InvalidArgument("input K: " + s.message());
    }
    const int64_t k = run_k_;
    int64_t outer = 1, inner = 1;
    for (size_t i = 0; i < axis_; ++i) outer *= x.dims[i];
    for (size_t i = axis_ + 1; i < x.dims.size(); ++i) inner *= x.dims[i];
    if (k == 0 || outer * inner == 0) return Status::Ok();
    entries_.resize(static_cast<size_t>(n));
    const bool is_float = x.dtype == DataType::kFloat32;
    const size_t esize = DataTypeSize(x.dtype);
    const char* src = x.as<const char>();
    char* values = out[0].as<char>();
    int64_t* indices = out.size() > 1 ? out[1].as<int64_t>() : nullptr;
    // One order for both directions: the smallest are the largest of the keys' complements
    // (~ reverses int64 order without the overflow of negating INT64_MIN).
    const int64_t flip = largest_ ? 0 : -1;
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        const int64_t base = o * n * inner + i;
        for (int64_t j = 0; j < n; ++j) {
          const int64_t at = base + j * inner;
          const int64_t key =
              is_float ? FloatKey(x.as<const float>()[at]) : x.as<const int64_t>()[at];
          entries_[j] = {key ^ flip, j};
        }
        // The k best in O(n log k): a heap of k, then sorted.
        Ranked* e = entries_.data();
        std::partial_sort(e, e + k, e + n, RanksBefore());
        for (int64_t r = 0; r < k; ++r) {
          const int64_t dst = (o * k + r) * inner + i;
          const int64_t j = entries_[r].index;
          std::memcpy(values + dst * esize, src + (base + j * inner) * esize, esize);
          if (indices) indices[dst] = j;
        }
      }
    }
    return Status::Ok();
  }

 private:
  Status CheckK(int64_t k, int64_t n) const {
    if (k >= 0 && k <= n) return Status::Ok();
    return InvalidModel("k must be in [0, " + std::to_string(n) + "] (the length of axis " +
                        std::to_string(axis_) + "), got " + std::to_string(k));
  }

  int64_t version_ = 11, axis_attr_ = -1, k_ = 0, run_k_ = 0;
  size_t axis_ = 0;
  bool largest_ = true, dynamic_ = false;
  std::vector<Ranked> entries_;
};

// NonMaxSuppression: per batch and class, boxes by decreasing score (equal scores by lower
// index) whose score is above score_threshold, each dropped if its IoU with a box already kept
// is above iou_threshold, at most max_output_boxes_per_class kept. Output: one row [batch,
// class, box] per kept box, by batch, class, then the order kept. Versions 10 and 11 are one
// definition (11 restates it).
class NonMaxSuppressionOp final : public Op {
 public:
  Status Init(const Attributes& attrs) {
    LITECNN_ASSIGN_OR_RETURN(center_point_box_, attrs.GetInt("center_point_box", 0));
    if (center_point_box_ != 0 && center_point_box_ != 1) {
      return InvalidModel("center_point_box is " + std::to_string(center_point_box_) +
                          " (must be 0 or 1)");
    }
    return Status::Ok();
  }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 2, 5));
    const TensorDesc& boxes = *in[0];
    const TensorDesc& scores = *in[1];
    LITECNN_RETURN_IF_ERROR(CheckFloat(boxes, "boxes"));
    LITECNN_RETURN_IF_ERROR(CheckFloat(scores, "scores"));
    if (boxes.dims.size() != 3 || boxes.dims[2] != 4) {
      return InvalidModel("boxes must be [batches, boxes, 4], got " + DimsToString(boxes.dims));
    }
    if (scores.dims.size() != 3 || scores.dims[0] != boxes.dims[0] ||
        scores.dims[2] != boxes.dims[1]) {
      return InvalidModel("scores must be [batches, classes, boxes] for boxes " +
                          DimsToString(boxes.dims) + ", got " + DimsToString(scores.dims));
    }
    const char* names[] = {"max_output_boxes_per_class", "iou_threshold", "score_threshold"};
    for (size_t i = 2; i < in.size(); ++i) {
      if (!in[i]) continue;
      const DataType want = i == 2 ? DataType::kInt64 : DataType::kFloat32;
      if (in[i]->dtype != want) {
        return InvalidModel(std::string(names[i - 2]) + " must be " + DataTypeName(want) +
                            ", got " + DataTypeName(in[i]->dtype));
      }
      if (in[i]->dims.size() > 1 || CheckedElementCount(in[i]->dims).value() != 1) {
        return InvalidModel(std::string(names[i - 2]) + " must hold one value, got dims " +
                            DimsToString(in[i]->dims));
      }
    }
    if (in.size() > 3 && in[3] && in[3]->is_constant()) {
      LITECNN_RETURN_IF_ERROR(CheckIou(static_cast<float>(in[3]->constant->GetAsDouble(0))));
    }
    // The most rows a run can select, which the memory plan reserves: every class of every
    // batch keeping min(boxes, max_output_boxes_per_class), all its boxes if that is fed at Run.
    int64_t per_class = boxes.dims[1];
    if (in.size() < 3 || !in[2]) {
      per_class = 0;
    } else if (in[2]->is_constant()) {
      per_class = std::clamp<int64_t>(in[2]->constant->GetAsInt64(0), 0, per_class);
    }
    int64_t rows = 0;
    if (!CheckedMul(scores.dims[0], scores.dims[1], &rows) || !CheckedMul(rows, per_class, &rows)) {
      return LimitExceeded("NonMaxSuppression output rows overflow");
    }
    out->at(0).dtype = DataType::kInt64;
    out->at(0).dims = {rows, 3};
    return Status::Ok();
  }
  int dynamic_axis(size_t) const override { return 0; }
  int64_t run_length(size_t) const override { return selected_rows_; }

  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const auto present = [&](size_t i) { return in.size() > i && in[i].data; };
    const int64_t max_per_class = present(2) ? std::max<int64_t>(IntAt(in[2]), 0) : 0;
    const float iou_threshold = present(3) ? in[3].as<const float>()[0] : 0.f;
    LITECNN_RETURN_IF_ERROR(CheckIou(iou_threshold));
    const bool has_score_threshold = present(4);
    const float score_threshold = has_score_threshold ? in[4].as<const float>()[0] : 0.f;
    const int64_t batches = in[1].dims[0], classes = in[1].dims[1], n = in[1].dims[2];
    const float* box_data = in[0].as<const float>();
    const float* score_data = in[1].as<const float>();
    int64_t* rows = out[0].as<int64_t>();
    selected_rows_ = 0;
    boxes_.resize(static_cast<size_t>(n) * 5);
    candidates_.resize(static_cast<size_t>(n));
    kept_.resize(static_cast<size_t>(n));
    for (int64_t b = 0; b < batches; ++b) {
      for (int64_t j = 0; j < n; ++j) MakeBox(box_data + (b * n + j) * 4, &boxes_[j * 5]);
      for (int64_t c = 0; c < classes && max_per_class > 0; ++c) {
        const float* s = score_data + (b * classes + c) * n;
        Ranked* first = candidates_.data();
        Ranked* last = first;
        for (int64_t j = 0; j < n; ++j) {
          // A NaN score is above no threshold and orders with nothing: never selected.
          if (std::isnan(s[j]) || (has_score_threshold && !(s[j] > score_threshold))) continue;
          // Complemented: the heap's front is what ranks last in RanksBefore's order, and the
          // last of the complements is the highest score, then the lowest index.
          *last++ = {~FloatKey(s[j]), ~j};
        }
        // A heap pops the best candidate in O(log n): a class usually stops at
        // max_output_boxes_per_class long before its candidates run out.
        std::make_heap(first, last, RanksBefore());
        int64_t kept = 0;
        while (first != last && kept < max_per_class) {
          std::pop_heap(first, last--, RanksBefore());
          const int64_t j = ~last->index;
          bool suppressed = false;
          for (int64_t q = 0; q < kept && !suppressed; ++q) {
            suppressed = Overlaps(&boxes_[kept_[q] * 5], &boxes_[j * 5], iou_threshold);
          }
          if (suppressed) continue;
          kept_[kept++] = j;
          int64_t* row = rows + selected_rows_++ * 3;
          row[0] = b;
          row[1] = c;
          row[2] = j;
        }
      }
    }
    return Status::Ok();
  }

 private:
  static Status CheckIou(float t) {
    // No value in the message: formatting a float links printf's float code (5 KB gzipped).
    if (!(t >= 0.f && t <= 1.f)) return InvalidArgument("iou_threshold must be in [0, 1]");
    return Status::Ok();
  }
  // A box as {lo0, hi0, lo1, hi1, area} from [y1, x1, y2, x2] with the corners of either
  // diagonal, or from [x_center, y_center, width, height]; IoU is the same whichever axis
  // comes first.
  void MakeBox(const float* d, float* box) const {
    if (center_point_box_) {
      box[0] = d[0] - d[2] / 2, box[1] = d[0] + d[2] / 2;
      box[2] = d[1] - d[3] / 2, box[3] = d[1] + d[3] / 2;
    } else {
      box[0] = std::min(d[0], d[2]), box[1] = std::max(d[0], d[2]);
      box[2] = std::min(d[1], d[3]), box[3] = std::max(d[1], d[3]);
    }
    box[4] = (box[1] - box[0]) * (box[3] - box[2]);
  }
  // Whether box b's IoU with box a is above the threshold (equal is kept). Boxes that do not
  // intersect, or of no area, suppress nothing.
  static bool Overlaps(const float* a, const float* b, float threshold) {
    const float h = std::min(a[1], b[1]) - std::max(a[0], b[0]);
    const float w = std::min(a[3], b[3]) - std::max(a[2], b[2]);
    if (!(h > 0 && w > 0)) return false;
    const float inter = h * w;
    const float uni = a[4] + b[4] - inter;
    if (!(a[4] > 0 && b[4] > 0 && uni > 0)) return false;
    return inter / uni > threshold;
  }

  int64_t center_point_box_ = 0, selected_rows_ = 0;
  std::vector<float> boxes_;  // 5 floats a box (MakeBox)
  std::vector<Ranked> candidates_;
  std::vector<int64_t> kept_;
};

// NonZero: the indices of X's nonzero elements (NaN is one, -0 is not), [rank, count] int64
// in row-major order of the elements: row r holds their indices on axis r. count is the
// values' (Op::dynamic_axis 1), bounded by X's element count, which the memory plan reserves;
// Run counts first, so that the rows are written dense as [rank, count] from the buffer's start.
// Versions 9 and 13 (types) are one definition.
class NonZeroOp final : public Op {
 public:
  Status Init(const Attributes&) { return Status::Ok(); }
  Status Infer(const std::vector<const TensorDesc*>& in, std::vector<TensorDesc>* out) override {
    LITECNN_RETURN_IF_ERROR(CheckInputCount(in, 1, 1));
    const TensorDesc& x = *in[0];
    switch (x.dtype) {
      case DataType::kFloat32:
      case DataType::kInt64:
      case DataType::kInt32:
      case DataType::kBool:
      case DataType::kUint8:
      case DataType::kInt8:
        break;
      default:
        return Unsupported(std::string("NonZero of ") + DataTypeName(x.dtype) +
                           " (litecnn's are float32, int64, int32, bool, uint8 and int8)");
    }
    if (x.dims.empty()) {
      return Unsupported("NonZero of a scalar (its [0, count] output holds no index)");
    }
    LITECNN_ASSIGN_OR_RETURN(const int64_t n, CheckedElementCount(x.dims));
    out->at(0).dtype = DataType::kInt64;
    out->at(0).dims = {static_cast<int64_t>(x.dims.size()), n};
    return Status::Ok();
  }
  int dynamic_axis(size_t) const override { return 1; }
  int64_t run_length(size_t) const override { return count_; }

  // One loop over every element type (a template per type would cost 1.4 KB of wasm).
  Status Run(const std::vector<TensorView>& in, const std::vector<TensorView>& out) override {
    const TensorView& x = in[0];
    const int64_t n = x.num_elements();
    int64_t* y = out[0].as<int64_t>();
    count_ = 0;
    for (int64_t i = 0; i < n; ++i) count_ += IsNonZero(x, i);
    const size_t rank = x.dims.size();
    int64_t col = 0;
    for (int64_t i = 0; i < n; ++i) {
      if (!IsNonZero(x, i)) continue;
      int64_t rest = i;
      for (size_t r = rank; r-- > 0;) {
        y[r * count_ + col] = rest % x.dims[r];
        rest /= x.dims[r];
      }
      ++col;
    }
    return Status::Ok();
  }

 private:
  static bool IsNonZero(const TensorView& x, int64_t i) {
    switch (x.dtype) {
      case DataType::kFloat32:
        return x.as<const float>()[i] != 0.f;
      case DataType::kInt64:
        return x.as<const int64_t>()[i] != 0;
      case DataType::kInt32:
        return x.as<const int32_t>()[i] != 0;
      default:  // bool, uint8, int8: one byte
        return x.as<const uint8_t>()[i] != 0;
    }
  }

  int64_t count_ = 0;
};

}  // namespace

Result<std::unique_ptr<Op>> CreateTopK(const Attributes& a) { return CreateOp<TopKOp>(a); }
Result<std::unique_ptr<Op>> CreateNonMaxSuppression(const Attributes& a) {
  return CreateOp<NonMaxSuppressionOp>(a);
}
Result<std::unique_ptr<Op>> CreateNonZero(const Attributes& a) { return CreateOp<NonZeroOp>(a); }

}  // namespace litecnn
