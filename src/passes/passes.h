// Graph passes. Each lives in its own file, rewrites the graph in place and returns whether it
// changed anything; RunLoadPasses (pass_list.cc) lists their order.
#pragma once

#include "core/status.h"
#include "graph/graph.h"
#include "ops/capabilities.h"  // what passes ask of ops

namespace litecnn {

// Infers every value's dtype and dims in topological order, and computes at load time the
// outputs of nodes whose inputs are all constants (the shape arithmetic of torch exports).
// Folded nodes are removed (a folded output of data-dependent length, Op::dynamic_axis, takes
// the length its run gave). Fails with the node's label on any inconsistency, and refuses a node
// that reads a value of data-dependent length that is not a constant.
Result<bool> InferShapesAndFold(Graph& g);

// Removes Identity and Dropout nodes by rewiring their consumers to their input.
Result<bool> DropIdentity(Graph& g);

// Removes nodes none of whose outputs is used.
Result<bool> PruneDeadNodes(Graph& g);

// Folds a BatchNormalization with constant parameters into the Conv that feeds it.
Result<bool> FoldBatchNorm(Graph& g);

// Mul(x, HardSigmoid(x, 1/6, 0.5)) -> HardSwish(x) (torch exports below opset 14).
Result<bool> RecognizeHardSwish(Graph& g);

// Add(conv(x), r) -> conv with a fused addend r (residual connections); a zero-padding channel
// Concat(a, zeros) as r -> the conv adds a to its first channels and the Concat goes.
Result<bool> FuseResidualAdds(Graph& g);

// Relu / Clip / HardSwish after an op that can apply it to its own output -> fused.
Result<bool> FuseActivations(Graph& g);

// Concat(conv(s), conv(s)) on channels with s = conv(x) -> one Fire op writing the expands
// straight into their slices of the output.
Result<bool> FuseFireModules(Graph& g);

// Reshape-Transpose-Reshape channel shuffles (and a Concat feeding one) -> one ChannelShuffle.
Result<bool> RecognizeChannelShuffle(Graph& g);

// Chooses each value's layout from its producer's and consumers' layout policies and inserts
// layout conversions where a consumer needs another layout; graph outputs end plain.
Result<bool> AssignLayouts(Graph& g);

// A layout conversion (of a Transpose, or not) that leaves every byte where it was -> a View of
// the value with those bytes, placed in its buffer.
Result<bool> ElideNoOpConversions(Graph& g);

// Channel Slices whose readers can read them in place (after layouts are assigned) -> gone.
Result<bool> ReadChannelSlicesInPlace(Graph& g);

// Concat inputs that can be stored inside the Concat's output (a contiguous part of it, or a
// channel slice their producer can write with a pixel stride) get placed there (Value::placed_in)
// so that the Concat copies nothing for them.
Result<bool> WriteConcatsInPlace(Graph& g);

// Runs the passes above in their order.
Status RunLoadPasses(Graph& g);

}  // namespace litecnn
