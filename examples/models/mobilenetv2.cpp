//===- mobilenetv2.cpp - MobileNetV2 written with the builder DSL ---------===//
//
// Sandler et al., "MobileNetV2: inverted residuals and linear bottlenecks"
// (2018), Table 2. Each bottleneck expands by t (1x1 conv, ReLU6), filters
// with a 3x3 depthwise convolution (groups = channels, ReLU6), and projects
// linearly (1x1 conv, no activation); a residual connects blocks of stride
// 1 with equal channels. Batch norm follows every convolution.
//
//   input    operator      t    c     n  s
//   224x224  conv2d 3x3    -    32    1  2
//   112x112  bottleneck    1    16    1  1
//   112x112  bottleneck    6    24    2  2
//    56x56   bottleneck    6    32    3  2
//    28x28   bottleneck    6    64    4  2
//    14x14   bottleneck    6    96    3  1
//    14x14   bottleneck    6   160    3  2
//     7x7    bottleneck    6   320    1  1
//     7x7    conv2d 1x1    -  1280    1  1
//     7x7    avgpool 7x7   -     -    1  -
//   1x1x1280 conv2d 1x1    -     k    -  -   (here a dense layer)
//
//   kiln-model-mobilenetv2 PREFIX [--image=224] [--classes=1000]
//
//===----------------------------------------------------------------------===//
#include "Blocks.h"
#include "ModelMain.h"

using namespace kiln;
using namespace kiln::examples;

static Tensor relu6(Tensor x) { return x.clip(0.0, 6.0); }

static Tensor invertedResidual(Graph &g, Tensor x, int64_t expansion,
                               int64_t out, int64_t stride,
                               const std::string &name) {
  int64_t hidden = x.dim(1) * expansion;
  Tensor h = x;
  if (expansion != 1)
    h = relu6(convBn(g, h, hidden, 1, 1, 0, name + ".expand"));
  h = relu6(convBn(g, h, hidden, 3, stride, 1, name + ".depthwise",
                   /*groups=*/hidden));
  h = convBn(g, h, out, 1, 1, 0, name + ".project");
  if (stride == 1 && x.dim(1) == out)
    h = g.add(x, h, name + ".add");
  return h;
}

static void mobilenetv2(Graph &g, const ModelSize &size) {
  struct Row {
    int64_t t, c, n, s;
  };
  const Row table2[] = {{1, 16, 1, 1},  {6, 24, 2, 2},  {6, 32, 3, 2},
                        {6, 64, 4, 2},  {6, 96, 3, 1},  {6, 160, 3, 2},
                        {6, 320, 1, 1}};
  auto x = g.input("image", {size.batch, 3, size.image, size.image});
  auto h = relu6(convBn(g, x, 32, 3, 2, 1, "conv1"));
  int block = 0;
  for (const Row &r : table2)
    for (int64_t i = 0; i < r.n; ++i)
      h = invertedResidual(g, h, r.t, r.c, i == 0 ? r.s : 1,
                           "block" + std::to_string(++block));
  h = relu6(convBn(g, h, 1280, 1, 1, 0, "conv_last"));
  h = g.dropout(g.globalAvgPool(h, "pool").flatten(), 0.2);
  g.output("logits", g.dense(h, size.classes, {.name = "classifier"}));
}

int main(int argc, char **argv) {
  return writeModel(argc, argv, "mobilenetv2", /*seed=*/2,
                    {.image = 224, .classes = 1000}, mobilenetv2);
}
