//===- fcn.cpp - An FCN-8s segmentation network with the builder DSL -----===//
//
// Long, Shelhamer and Darrell, "Fully convolutional networks for semantic
// segmentation" (2015), Fig. 3 (FCN-8s), on a narrower VGG-style encoder:
// class scores from pool5 are upsampled 2x by a learned transposed
// convolution and added to scores from pool4; that sum is upsampled 2x
// again and added to scores from pool3; a fixed bilinear 8x resize brings
// the result to the input's size.
//
//   stage   layers                       output (224 input)
//   1-2     2x conv3 + ReLU, pool           56x56   (two blocks)
//   3       3x conv3 + ReLU, pool  -> pool3 28x28
//   4       3x conv3 + ReLU, pool  -> pool4 14x14
//   5       3x conv3 + ReLU, pool  -> pool5  7x7
//   fc6/7   conv 7x7 (pad 3) + ReLU, conv 1x1 + ReLU
//   score   1x1 to the classes at pool5, pool4 and pool3
//   up      ConvTranspose 4x4/2 (x2), + score4, ConvTranspose 4x4/2,
//           + score3, Resize x8 (bilinear, half-pixel)
//
//   kiln-model-fcn PREFIX [--image=224] [--classes=21]
//
//===----------------------------------------------------------------------===//
#include "Blocks.h"
#include "ModelMain.h"

using namespace kiln;

static void fcn(Graph &g, const examples::ModelSize &size) {
  struct Block {
    int64_t convs, maps;
  };
  const Block encoder[] = {{2, 32}, {2, 64}, {3, 128}, {3, 256}, {3, 256}};
  auto h = g.input("image", {size.batch, 3, size.image, size.image});
  std::vector<Tensor> pools;
  int block = 0;
  for (const Block &b : encoder) {
    h = examples::vggBlock(g, h, b.convs, b.maps, ++block);
    pools.push_back(h);
  }
  h = g.conv2d(h, 512, {7, 7}, {.pad = {3}, .name = "fc6"}).relu();
  h = g.conv2d(h, 512, {1, 1}, {.name = "fc7"}).relu();
  int64_t k = size.classes;
  auto score5 = g.conv2d(h, k, {1, 1}, {.name = "score_fr"});
  auto score4 = g.conv2d(pools[3], k, {1, 1}, {.name = "score_pool4"});
  auto score3 = g.conv2d(pools[2], k, {1, 1}, {.name = "score_pool3"});
  ConvTransposeOptions up2{.stride = {2}, .pad = {1}, .bias = false};
  up2.name = "upscore2";
  auto fuse4 = g.add(g.convTranspose(score5, k, {4, 4}, up2), score4, "fuse4");
  up2.name = "upscore_pool4";
  auto fuse3 = g.add(g.convTranspose(fuse4, k, {4, 4}, up2), score3, "fuse3");
  auto scores = g.resize(fuse3, {1.0, 1.0, 8.0, 8.0},
                         {.mode = "linear", .name = "upscore8"});
  g.output("scores", scores);
}

int main(int argc, char **argv) {
  return examples::writeModel(argc, argv, "fcn", /*seed=*/8,
                              {.image = 224, .classes = 21}, fcn);
}
