#include "tflite/constants.h"

#include <cstring>

namespace litecnn::tflite {
namespace {

// IEEE half to float, exactly (every half is a float): subnormals renormalised, inf and NaN kept.
float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    bits = sign;
  } else {
    exp = 113;
    while ((mant & 0x400) == 0) {
      mant <<= 1;
      --exp;
    }
    bits = sign | (exp << 23) | ((mant & 0x3ff) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

std::string Named(const tflite::Tensor& t) { return "tensor '" + t.name + "'"; }

// Element size in the file, and the litecnn dtype the constant becomes.
Status StorageOf(const tflite::Tensor& t, size_t* size, DataType* dtype) {
  switch (t.type) {
    case TensorType::kFloat32:
      *size = 4, *dtype = DataType::kFloat32;
      return Status::Ok();
    case TensorType::kFloat16:
      *size = 2, *dtype = DataType::kFloat32;
      return Status::Ok();
    case TensorType::kInt32:
      *size = 4, *dtype = DataType::kInt32;
      return Status::Ok();
    case TensorType::kInt64:
      *size = 8, *dtype = DataType::kInt64;
      return Status::Ok();
    default:
      return Unsupported(Named(t) + ": constants of type " + TensorTypeName(t.type) +
                         " are not supported (float32, float16, int32 and int64 are)");
  }
}

// Copies `count` stored elements from `src` into dst[0..count), widening float16.
void CopyElements(const tflite::Tensor& t, const uint8_t* src, size_t count, uint8_t* dst) {
  if (t.type == TensorType::kFloat16) {
    float* out = reinterpret_cast<float*>(dst);
    for (size_t i = 0; i < count; ++i) {
      uint16_t h;
      std::memcpy(&h, src + 2 * i, 2);
      out[i] = HalfToFloat(h);
    }
  } else {
    std::memcpy(
        dst, src,
        count * DataTypeSize(t.type == TensorType::kInt64 ? DataType::kInt64 : DataType::kInt32));
  }
}

// TFLite's sparse format (schema.fbs SparsityParameters, a TACO variant) without blocks: the
// dims in traversal order, each dense (all indices) or CSR (segments give the range of stored
// indices under each position of the dims before). Walks every stored element once, checking
// every index read, and writes it at its place in the dense row-major tensor.
class Densifier {
 public:
  Densifier(const tflite::Tensor& t, const Dims& dims) : t_(t), dims_(dims) {}

  Status Run(const uint8_t* values, size_t stored, size_t elem_size, uint8_t* dense) {
    const SparsityParameters& sp = *t_.sparsity;
    const size_t rank = dims_.size();
    if (!sp.block_map.empty()) {
      return Unsupported(Named(t_) + ": block-sparse tensors are not supported");
    }
    if (sp.traversal_order.size() != rank || sp.dim_metadata.size() != rank) {
      return InvalidModel(Named(t_) + ": sparsity has " +
                          std::to_string(sp.traversal_order.size()) + " traversal dims and " +
                          std::to_string(sp.dim_metadata.size()) + " dim_metadata for rank " +
                          std::to_string(rank));
    }
    std::vector<bool> seen(rank, false);
    for (int32_t d : sp.traversal_order) {
      if (d < 0 || static_cast<size_t>(d) >= rank || seen[d]) {
        return InvalidModel(Named(t_) + ": traversal_order is not a permutation of its dims");
      }
      seen[d] = true;
    }
    values_ = values, stored_ = stored, elem_size_ = elem_size, dense_ = dense;
    index_.assign(rank, 0);
    return Walk(0, 0);
  }

 private:
  // Level `level` of the traversal, at position `pos` of the levels before it.
  Status Walk(size_t level, int64_t pos) {
    const SparsityParameters& sp = *t_.sparsity;
    if (level == dims_.size()) return Store(pos);
    const int32_t d = sp.traversal_order[level];
    const DimensionMetadata& m = sp.dim_metadata[level];
    if (m.format == DimensionType::kDense) {
      if (m.dense_size != dims_[d]) {
        return InvalidModel(Named(t_) + ": dense_size " + std::to_string(m.dense_size) +
                            " of dim " + std::to_string(d) + " is not its size " +
                            std::to_string(dims_[d]));
      }
      for (int64_t i = 0; i < dims_[d]; ++i) {
        index_[d] = i;
        LITECNN_RETURN_IF_ERROR(Walk(level + 1, pos * dims_[d] + i));
      }
      return Status::Ok();
    }
    const std::vector<int32_t>& seg = m.array_segments;
    const std::vector<int32_t>& idx = m.array_indices;
    if (pos < 0 || static_cast<size_t>(pos) + 1 >= seg.size() || seg[pos] < 0 ||
        seg[pos] > seg[pos + 1] || static_cast<size_t>(seg[pos + 1]) > idx.size()) {
      return InvalidModel(Named(t_) + ": array_segments of dim " + std::to_string(d) +
                          " are inconsistent at position " + std::to_string(pos));
    }
    for (int32_t k = seg[pos]; k < seg[pos + 1]; ++k) {
      if (idx[k] < 0 || idx[k] >= dims_[d]) {
        return InvalidModel(Named(t_) + ": array_indices[" + std::to_string(k) +
                            "] = " + std::to_string(idx[k]) + " is outside dim " +
                            std::to_string(d) + " of size " + std::to_string(dims_[d]));
      }
      index_[d] = idx[k];
      LITECNN_RETURN_IF_ERROR(Walk(level + 1, k));
    }
    return Status::Ok();
  }

  Status Store(int64_t pos) {
    if (pos < 0 || static_cast<size_t>(pos) >= stored_) {
      return InvalidModel(Named(t_) + ": sparse index data name element " + std::to_string(pos) +
                          " of " + std::to_string(stored_) + " stored values");
    }
    int64_t linear = 0;
    for (size_t i = 0; i < dims_.size(); ++i) linear = linear * dims_[i] + index_[i];
    CopyElements(t_, values_ + pos * elem_size_, 1, dense_ + linear * out_size());
    return Status::Ok();
  }

  size_t out_size() const { return t_.type == TensorType::kInt64 ? 8 : 4; }

  const tflite::Tensor& t_;
  const Dims& dims_;
  const uint8_t* values_ = nullptr;
  size_t stored_ = 0, elem_size_ = 0;
  uint8_t* dense_ = nullptr;
  std::vector<int64_t> index_;
};

}  // namespace

Result<litecnn::Tensor> ConstantTensor(const Model& model, const tflite::Tensor& t) {
  const ByteView& data = model.buffers[t.buffer].data;
  size_t elem_size = 0;
  DataType dtype = DataType::kUndefined;
  LITECNN_RETURN_IF_ERROR(StorageOf(t, &elem_size, &dtype));
  const Dims dims(t.shape.begin(), t.shape.end());
  LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor out, litecnn::Tensor::Create(dtype, dims));
  if (data.size % elem_size != 0) {
    return InvalidModel(Named(t) + ": buffer of " + std::to_string(data.size) +
                        " bytes is not a whole number of " + TensorTypeName(t.type) + " elements");
  }
  const size_t stored = data.size / elem_size;
  uint8_t* dst = static_cast<uint8_t*>(out.raw());
  if (t.sparsity) {
    if (stored > static_cast<size_t>(out.num_elements())) {
      return InvalidModel(Named(t) + ": " + std::to_string(stored) +
                          " stored values for a dense size of " +
                          std::to_string(out.num_elements()));
    }
    Densifier densify(t, dims);
    LITECNN_RETURN_IF_ERROR(densify.Run(data.data, stored, elem_size, dst));
    return out;
  }
  if (stored != static_cast<size_t>(out.num_elements())) {
    return InvalidModel(Named(t) + " " + DimsToString(dims) + ": buffer of " +
                        std::to_string(data.size) + " bytes holds " + std::to_string(stored) + " " +
                        TensorTypeName(t.type) + " elements, not " +
                        std::to_string(out.num_elements()));
  }
  CopyElements(t, data.data, stored, dst);
  return out;
}

Result<litecnn::Tensor> PermuteAxes(const litecnn::Tensor& src, const std::vector<int>& perm) {
  const Dims& in = src.dims();
  if (perm.size() != in.size()) return Internal("PermuteAxes: perm rank differs from tensor rank");
  Dims out_dims(in.size());
  for (size_t i = 0; i < perm.size(); ++i) out_dims[i] = in[perm[i]];
  LITECNN_ASSIGN_OR_RETURN(litecnn::Tensor out, litecnn::Tensor::Create(src.dtype(), out_dims));
  const size_t elem = DataTypeSize(src.dtype());
  const size_t rank = in.size();
  // Row-major strides of the source, read in the output's order.
  std::vector<int64_t> in_strides(rank, 1), strides(rank);
  for (size_t i = rank; i-- > 1;) in_strides[i - 1] = in_strides[i] * in[i];
  for (size_t i = 0; i < rank; ++i) strides[i] = in_strides[perm[i]];
  std::vector<int64_t> index(rank, 0);
  const uint8_t* s = static_cast<const uint8_t*>(src.raw());
  uint8_t* d = static_cast<uint8_t*>(out.raw());
  for (int64_t n = 0; n < out.num_elements(); ++n) {
    int64_t offset = 0;
    for (size_t i = 0; i < rank; ++i) offset += index[i] * strides[i];
    std::memcpy(d + n * elem, s + offset * elem, elem);
    for (size_t i = rank; i-- > 0;) {
      if (++index[i] < out_dims[i]) break;
      index[i] = 0;
    }
  }
  return out;
}

}  // namespace litecnn::tflite
