//===- resnet18.cpp - ResNet-18 written with the builder DSL --------------===//
//
// He et al., "Deep residual learning for image recognition" (2016), Table 1,
// 18-layer column: conv1 7x7/2 64, max pool 3x3/2, then four stages of two
// basic blocks (3x3, 3x3) with 64, 128, 256, 512 maps (stages 3-5 start with
// stride 2 and a 1x1 projection shortcut), global average pool, FC.
// Convolutions are followed by batch norm (Section 3.4).
//
//   kiln-model-resnet18 PREFIX [--image=224] [--classes=1000]
//
//===----------------------------------------------------------------------===//
#include "Blocks.h"
#include "ModelMain.h"

using namespace kiln;
using namespace kiln::examples;

static void resnet18(Graph &g, const ModelSize &size) {
  auto x = g.input("image", {size.batch, 3, size.image, size.image});
  auto h = convBnRelu(g, x, 64, 7, 2, 3, "conv1");
  h = g.maxPool(h, {3, 3}, {2, 2}, {.pad = {1}, .name = "pool1"});
  const int64_t planes[] = {64, 128, 256, 512};
  for (int stage = 0; stage < 4; ++stage)
    for (int block = 0; block < 2; ++block)
      h = basicBlock(g, h, planes[stage], stage > 0 && block == 0 ? 2 : 1,
                     "layer" + std::to_string(stage + 1) + "." +
                         std::to_string(block));
  h = g.globalAvgPool(h, "pool5").flatten();
  g.output("logits", g.dense(h, size.classes, {.name = "fc"}));
}

int main(int argc, char **argv) {
  return writeModel(argc, argv, "resnet18", /*seed=*/18,
                    {.image = 224, .classes = 1000}, resnet18);
}
