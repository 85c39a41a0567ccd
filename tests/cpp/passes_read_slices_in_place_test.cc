// ReadChannelSlicesInPlace (passes/read_slices_in_place.cc): channel Slices read by a pointwise
// conv and a channel shuffle go; their readers read the slices through strides.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_model_builder.h"

namespace litecnn {
namespace {

using test::LoadedGraph;
using test::OpTypes;
using test::ShuffleModel;

TEST(ReadChannelSlicesInPlace, SlicesFeedingPointwiseConvAndShuffleDisappear) {
  auto g = LoadedGraph(ShuffleModel(2, true, false));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(OpTypes(*g), (std::vector<std::string>{"LayoutConvert", "Conv", "Conv",
                                                   "ChannelShuffle", "LayoutConvert"}));
}

}  // namespace
}  // namespace litecnn
