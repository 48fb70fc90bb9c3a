//===- resnet50.cpp - ResNet-50 and ResNeXt-50 with the builder DSL -------===//
//
// He et al. (2016), Table 1, 50-layer column: four stages of 3, 4, 6, 3
// bottleneck blocks (1x1, 3x3, 1x1) whose outputs have 256, 512, 1024,
// 2048 maps. Xie et al., "Aggregated residual transformations for deep
// neural networks" (2017), Table 1: ResNeXt-50 (32x4d) is the same network
// with the 3x3 convolutions split into 32 groups and bottlenecks twice as
// wide (128, 256, 512, 1024).
//
// One source, two tools (KILN_RESNEXT selects): kiln-model-resnet50 and
// kiln-model-resnext50, both PREFIX [--image=224] [--classes=1000].
//
//===----------------------------------------------------------------------===//
#include "Blocks.h"
#include "ModelMain.h"

using namespace kiln;
using namespace kiln::examples;

#ifdef KILN_RESNEXT
static constexpr const char *kName = "resnext50";
static constexpr int64_t kGroups = 32, kWidthPerGroup = 4;
#else
static constexpr const char *kName = "resnet50";
static constexpr int64_t kGroups = 1, kWidthPerGroup = 64;
#endif

static void resnet50(Graph &g, const ModelSize &size) {
  auto x = g.input("image", {size.batch, 3, size.image, size.image});
  auto h = convBnRelu(g, x, 64, 7, 2, 3, "conv1");
  h = g.maxPool(h, {3, 3}, {2, 2}, {.pad = {1}, .name = "pool1"});
  const int64_t blocks[] = {3, 4, 6, 3};
  for (int stage = 0; stage < 4; ++stage) {
    int64_t planes = 64 << stage;
    int64_t width = planes * kWidthPerGroup / 64 * kGroups;
    for (int64_t block = 0; block < blocks[stage]; ++block)
      h = bottleneck(g, h, width, planes * 4,
                     stage > 0 && block == 0 ? 2 : 1, kGroups,
                     "layer" + std::to_string(stage + 1) + "." +
                         std::to_string(block));
  }
  h = g.globalAvgPool(h, "pool5").flatten();
  g.output("logits", g.dense(h, size.classes, {.name = "fc"}));
}

int main(int argc, char **argv) {
  return writeModel(argc, argv, kName, /*seed=*/50,
                    {.image = 224, .classes = 1000}, resnet50);
}
