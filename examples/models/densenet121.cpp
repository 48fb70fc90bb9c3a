//===- densenet121.cpp - DenseNet-121 written with the builder DSL --------===//
//
// Huang et al., "Densely connected convolutional networks" (2017), Table 1,
// DenseNet-121 (DenseNet-BC, growth rate k = 32): every layer of a dense
// block sees the concatenation of all earlier maps of the block and adds k
// maps (BN-ReLU-conv1x1 to 4k, BN-ReLU-conv3x3 to k); transitions halve the
// maps (BN-ReLU-conv1x1, compression 0.5) and the size (avg pool 2x2/2).
//
//   layers            output (224 input)
//   conv 7x7/2, 64    112x112  (BN, ReLU)
//   max pool 3x3/2     56x56
//   dense block 1      56x56   6 layers
//   transition 1       28x28
//   dense block 2      28x28   12 layers
//   transition 2       14x14
//   dense block 3      14x14   24 layers
//   transition 3        7x7
//   dense block 4       7x7    16 layers
//   BN, ReLU, global average pool, fully connected
//
//   kiln-model-densenet121 PREFIX [--image=224] [--classes=1000]
//
//===----------------------------------------------------------------------===//
#include "ModelMain.h"

using namespace kiln;

namespace {

constexpr int64_t kGrowth = 32, kBottleneck = 4;

Tensor bnRelu(Graph &g, Tensor x, const std::string &name) {
  return g
      .batchNorm(x, {.scale = Init::Uniform(0.5, 1.5),
                     .bias = Init::Normal(0.0, 0.1),
                     .mean = Init::Normal(0.0, 0.1),
                     .variance = Init::Uniform(0.5, 1.5),
                     .name = name})
      .relu();
}

Tensor conv(Graph &g, Tensor x, int64_t out, int64_t k,
            const std::string &name) {
  return g.conv2d(x, out, {k, k}, {.pad = {k / 2}, .bias = false, .name = name});
}

Tensor denseBlock(Graph &g, Tensor x, int layers, const std::string &name) {
  std::vector<Tensor> features{x};
  for (int i = 1; i <= layers; ++i) {
    std::string n = name + ".layer" + std::to_string(i);
    Tensor in = features.size() == 1 ? x : g.concat(features, 1, n + ".concat");
    Tensor h = conv(g, bnRelu(g, in, n + ".bn1"), kBottleneck * kGrowth, 1,
                    n + ".conv1");
    features.push_back(conv(g, bnRelu(g, h, n + ".bn2"), kGrowth, 3,
                            n + ".conv2"));
  }
  return g.concat(features, 1, name + ".concat");
}

Tensor transition(Graph &g, Tensor x, const std::string &name) {
  Tensor h = conv(g, bnRelu(g, x, name + ".bn"), x.dim(1) / 2, 1,
                  name + ".conv");
  return g.avgPool(h, {2, 2}, {2, 2}, {.name = name + ".pool"});
}

void densenet121(Graph &g, const examples::ModelSize &size) {
  auto x = g.input("image", {size.batch, 3, size.image, size.image});
  auto h = g.conv2d(x, 2 * kGrowth, {7, 7},
                    {.stride = {2}, .pad = {3}, .bias = false, .name = "conv0"});
  h = bnRelu(g, h, "norm0");
  h = g.maxPool(h, {3, 3}, {2, 2}, {.pad = {1}, .name = "pool0"});
  const int blocks[] = {6, 12, 24, 16};
  for (int b = 0; b < 4; ++b) {
    h = denseBlock(g, h, blocks[b], "denseblock" + std::to_string(b + 1));
    if (b < 3)
      h = transition(g, h, "transition" + std::to_string(b + 1));
  }
  h = bnRelu(g, h, "norm5");
  h = g.globalAvgPool(h, "pool5").flatten();
  g.output("logits", g.dense(h, size.classes, {.name = "classifier"}));
}

} // namespace

int main(int argc, char **argv) {
  return examples::writeModel(argc, argv, "densenet121", /*seed=*/121,
                              {.image = 224, .classes = 1000}, densenet121);
}
