// RecognizeChannelShuffle (passes/recognize_channel_shuffle.cc): Reshape-Transpose-Reshape, and
// a Concat of two halves feeding it, become one ChannelShuffle with the transpose chain's numbers,
// unless the 5-D value has another reader.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::ExpectSameAsUnfused;
using test::LoadedGraph;
using test::OpTypes;
using test::ShuffleModel;

TEST(RecognizeChannelShuffle, ReshapeTransposeReshapeBecomesOneOp) {
  for (int64_t groups : {2, 3, 4}) {
    auto g = LoadedGraph(ShuffleModel(groups, false, false));
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "ChannelShuffle",
                                                     "LayoutConvert"}))
        << groups << " groups";
  }
}

TEST(RecognizeChannelShuffle, ConcatOfTwoHalvesIsAbsorbed) {
  auto g = LoadedGraph(ShuffleModel(2, true, false));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  for (const Node& n : g->nodes) {
    EXPECT_NE(n.op_type, "Concat");
    EXPECT_NE(n.op_type, "Transpose");
  }
}

TEST(RecognizeChannelShuffle, NotWhenTheFiveDimValueHasAnotherReader) {
  auto g = LoadedGraph(ShuffleModel(2, false, true));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  for (const Node& n : g->nodes) EXPECT_NE(n.op_type, "ChannelShuffle");
}

TEST(RecognizeChannelShuffle, SameNumbersAsTheTransposeChain) {
  for (int64_t groups : {2, 3, 4}) {
    // The unfused model also outputs r5 (second output), which blocks the rewrite; the first
    // outputs must agree.
    ExpectSameAsUnfused(ShuffleModel(groups, false, false), ShuffleModel(groups, false, true),
                        {1, 12, 3, 4});
  }
  ExpectSameAsUnfused(ShuffleModel(2, true, false), ShuffleModel(2, true, true), {1, 12, 3, 4});
}

}  // namespace
}  // namespace litecnn
