// Factories of every op implementation; registry.cc maps ONNX op types onto them.
#pragma once

#include <memory>
#include <utility>

#include "core/status.h"
#include "ops/attributes.h"
#include "ops/op.h"

namespace litecnn {

// Every op class has `Status Init(const Attributes&)` that parses and validates attributes;
// args go to its constructor (the variant of a class that implements several op types).
template <typename T, typename... Args>
Result<std::unique_ptr<Op>> CreateOp(const Attributes& attrs, Args&&... args) {
  auto op = std::make_unique<T>(std::forward<Args>(args)...);
  LITECNN_RETURN_IF_ERROR(op->Init(attrs));
  return std::unique_ptr<Op>(std::move(op));
}

using OpCreateFn = Result<std::unique_ptr<Op>>(const Attributes& attrs);

OpCreateFn CreateConv, CreateConvTranspose;
OpCreateFn CreateMaxPool, CreateAveragePool, CreateGlobalAveragePool;
OpCreateFn CreateRelu, CreateClip, CreateHardSwish, CreateHardSigmoid, CreateSigmoid;
OpCreateFn CreateLeakyRelu, CreateElu, CreateSelu, CreateTanh, CreatePRelu;
OpCreateFn CreateAbs, CreateNeg, CreateExp, CreateLog, CreateSqrt, CreateReciprocal, CreateFloor,
    CreateCeil, CreateSoftplus, CreateSoftsign, CreateErf, CreateGelu;
OpCreateFn CreateSum, CreateMean, CreateMax, CreateMin;
OpCreateFn CreateIdentity, CreateDropout;
OpCreateFn CreateBatchNormalization;
OpCreateFn CreateAdd, CreateSub, CreateMul, CreateDiv, CreatePow;
OpCreateFn CreateEqual, CreateGreater, CreateLess, CreateGreaterOrEqual, CreateLessOrEqual;
OpCreateFn CreateAnd, CreateOr, CreateXor, CreateNot, CreateWhere;
OpCreateFn CreateConcat, CreateSplit, CreateSlice, CreateTranspose, CreatePad;
OpCreateFn CreateReshape, CreateFlatten, CreateSqueeze, CreateUnsqueeze;
OpCreateFn CreateGemm, CreateMatMul, CreateSoftmax, CreateArgMax, CreateArgMin;
OpCreateFn CreateReduceMean, CreateReduceSum, CreateReduceSumSquare, CreateReduceL1, CreateReduceL2,
    CreateReduceLogSum, CreateReduceLogSumExp, CreateReduceMax, CreateReduceMin, CreateReduceProd;
OpCreateFn CreateLRN, CreateInstanceNormalization, CreateLayerNormalization;
OpCreateFn CreateResize, CreateUpsample;
OpCreateFn CreateShape, CreateGather, CreateConstant, CreateConstantOfShape, CreateCast,
    CreateRange;
OpCreateFn CreateTopK, CreateNonMaxSuppression, CreateNonZero, CreateGatherND;
OpCreateFn CreateGatherElements, CreateDepthToSpace, CreateSpaceToDepth, CreateExpand, CreateTile;

// Internal op inserted by the layout pass: copies a value into another layout.
std::unique_ptr<Op> CreateLayoutConvert(Layout to);
// Internal op: its input's bytes as a value of logical dims `dims` (in the layout the pass
// gives it); the memory plan places it in its input's buffer.
std::unique_ptr<Op> CreateView(Dims dims);

}  // namespace litecnn
