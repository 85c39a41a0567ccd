// Kernel choice, in one place. Ops ask here which microkernel to use for a shape; the tables in
// dispatch.cc say why each choice is made. The candidates come from the kernel lists (*.inc),
// so a kernel added to a list is available here without further edits.
#pragma once

#include <cstddef>

#include "kernels/f32-affine/f32-affine.h"
#include "kernels/f32-conv-hwc/f32-conv-hwc.h"
#include "kernels/f32-dwconv/f32-dwconv.h"
#include "kernels/f32-dwdeconv/f32-dwdeconv.h"
#include "kernels/f32-gemm/f32-gemm-minmax.h"
#include "kernels/f32-gemv/f32-gemv-minmax.h"
#include "kernels/f32-lrn/f32-lrn.h"
#include "kernels/f32-pool/f32-pool.h"
#include "kernels/f32-resize/f32-resize.h"
#include "kernels/f32-softmax/f32-softmax.h"
#include "kernels/f32-vbinary/f32-vbinary.h"
#include "kernels/f32-vunary/f32-vunary.h"
#include "kernels/f32-winograd/f32-winograd.h"
#include "kernels/u8-rgba-resize/u8-rgba-resize.h"
#include "kernels/x32-shuffle/x32-shuffle.h"
#include "kernels/x32-transpose/x32-transpose.h"

namespace litecnn {

struct GemmKernel {
  const char* name = nullptr;
  f32_gemm_minmax_ukernel_fn fn = nullptr;
  size_t mr = 0, nr = 0;
};

struct DwconvKernel {
  const char* name = nullptr;
  f32_dwconv_minmax_ukernel_fn fn = nullptr;
  size_t kernel_h = 0, kernel_w = 0, stride = 0, channel_tile = 0;
};

// The GEMM microkernel for an [m x k] x [k x n] product (m rows of activations).
GemmKernel ChooseGemmKernel(size_t m, size_t n, size_t k);

struct GemvKernel {
  const char* name = nullptr;
  f32_gemv_minmax_ukernel_fn fn = nullptr;
};

// The matrix-vector microkernel for a one-row product over unpacked [n][k] weights.
GemvKernel ChooseGemvKernel();

struct ConvHwcKernel {
  const char* name = nullptr;
  f32_conv_hwc_minmax_ukernel_fn fn = nullptr;
  size_t kernel_h = 0, kernel_w = 0, stride = 0, in_c = 0, oc_tile = 0;
};

// Elementwise, pooling and data-movement kernels: one per kind for this build.
struct ElementwiseKernels {
  f32_vclamp_ukernel_fn clamp;
  f32_vhswish_ukernel_fn hswish;
  f32_vhsigmoid_ukernel_fn hsigmoid;
  f32_vsigmoid_ukernel_fn sigmoid;
  f32_vlrelu_ukernel_fn lrelu;  // LeakyRelu, PRelu with one slope
  f32_velu_ukernel_fn elu;      // Elu, Selu
  f32_vtanh_ukernel_fn tanh;
  f32_softmax_ukernel_fn softmax;
  f32_channel_affine_ukernel_fn channel_affine;
  f32_lrn_ukernel_fn lrn;
  f32_vadd_minmax_ukernel_fn add_minmax;
  f32_vmul_ukernel_fn mul;
  f32_vrowvec_ukernel_fn mul_rowvec;
  f32_vrowvec_ukernel_fn add_rowvec;
  f32_vrowvec_ukernel_fn prelu_rowvec;  // per-channel PRelu over NHWC rows
  f32_maxpool_nhwc_ukernel_fn maxpool;
  f32_avgpool_nhwc_ukernel_fn avgpool;
  f32_gavgpool_nhwc_ukernel_fn gavgpool;
  f32_resize_bilinear_nhwc_ukernel_fn resize_bilinear;  // Resize / Upsample rows
  f32_resize_nearest_nhwc_ukernel_fn resize_nearest;
  x32_channel_shuffle_ukernel_fn channel_shuffle;
  x32_concat2_shuffle_ukernel_fn concat2_shuffle;
  x32_transpose_chw_hwc_ukernel_fn transpose_chw_hwc;  // NCHW -> NHWC (the model's input)
  x32_transpose_hwc_chw_ukernel_fn transpose_hwc_chw;  // NHWC -> NCHW (large output maps)
  u8_rgba_to_f32_bilinear_ukernel_fn rgba_bilinear;    // image preprocessing (runtime/image.cc)
};
const ElementwiseKernels& Elementwise();

// A few-input-channel dense conv microkernel (the first conv), or fn == nullptr if none fits.
ConvHwcKernel ChooseConvHwcKernel(size_t kernel_h, size_t kernel_w, size_t stride, size_t in_c,
                                  size_t out_c);

struct WinogradKernel {
  const char* input_name = nullptr;
  f32_winograd_input_ukernel_fn input = nullptr;
  const char* output_name = nullptr;
  f32_winograd_output_ukernel_fn output = nullptr;
};

// The Winograd F(4x4, 3x3) transforms for a dense 3x3 stride-1 conv with these channel counts,
// or input == nullptr where the direct (im2col) algorithm is the better choice.
WinogradKernel ChooseWinogradKernel(size_t in_c, size_t out_c);

// A depthwise microkernel for this window, or one with fn == nullptr if none is listed.
DwconvKernel ChooseDwconvKernel(size_t kernel_h, size_t kernel_w, size_t stride, size_t channels);

struct DwdeconvKernel {
  const char* name = nullptr;
  f32_dwdeconv_minmax_ukernel_fn fn = nullptr;
  size_t channel_tile = 0;
};

// This build's depthwise transposed-conv microkernel (any window and strides).
DwdeconvKernel ChooseDwdeconvKernel();

}  // namespace litecnn
