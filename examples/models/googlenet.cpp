//===- googlenet.cpp - GoogLeNet (Inception v1) with the builder DSL ------===//
//
// Szegedy et al., "Going deeper with convolutions" (2015), Table 1. Each
// inception module concatenates four branches: 1x1; 1x1 reduce then 3x3;
// 1x1 reduce then 5x5; 3x3/1 max pool then 1x1 projection. Every
// convolution is followed by ReLU.
//
//   module  #1x1  #3x3red  #3x3  #5x5red  #5x5  pool proj
//   3a        64       96   128       16    32         32
//   3b       128      128   192       32    96         64
//   4a       192       96   208       16    48         64
//   4b       160      112   224       24    64         64
//   4c       128      128   256       24    64         64
//   4d       112      144   288       32    64         64
//   4e       256      160   320       32   128        128
//   5a       256      160   320       32   128        128
//   5b       384      192   384       48   128        128
//
// The stem is conv 7x7/2, max pool 3x3/2, LRN, conv 1x1, conv 3x3, LRN,
// max pool 3x3/2; the head average-pools the 7x7 maps (global pooling, so
// that smaller test images work too), dropout 40%, linear, softmax. The
// auxiliary classifiers serve training only and are left out.
//
//   kiln-model-googlenet PREFIX [--image=224] [--classes=1000]
//
//===----------------------------------------------------------------------===//
#include "ModelMain.h"

using namespace kiln;

namespace {

struct Inception {
  const char *name;
  int64_t c1x1, reduce3, c3x3, reduce5, c5x5, poolProj;
};

Tensor conv(Graph &g, Tensor x, int64_t out, int64_t k, const std::string &name,
            int64_t stride = 1) {
  return g.conv2d(x, out, {k, k},
                  {.stride = {stride}, .pad = {k / 2}, .name = name})
      .relu();
}

Tensor inception(Graph &g, Tensor x, const Inception &m) {
  std::string n = std::string("inception_") + m.name;
  auto b1 = conv(g, x, m.c1x1, 1, n + ".1x1");
  auto b2 = conv(g, conv(g, x, m.reduce3, 1, n + ".3x3_reduce"), m.c3x3, 3,
                 n + ".3x3");
  auto b3 = conv(g, conv(g, x, m.reduce5, 1, n + ".5x5_reduce"), m.c5x5, 5,
                 n + ".5x5");
  auto pooled = g.maxPool(x, {3, 3}, {1, 1}, {.pad = {1}, .name = n + ".pool"});
  auto b4 = conv(g, pooled, m.poolProj, 1, n + ".pool_proj");
  return g.concat({b1, b2, b3, b4}, 1, n + ".concat");
}

Tensor maxPool3x3s2(Graph &g, Tensor x, const std::string &name) {
  return g.maxPool(x, {3, 3}, {2, 2}, {.ceilMode = true, .name = name});
}

void googlenet(Graph &g, const examples::ModelSize &size) {
  LrnOptions lrn{.alpha = 1e-4, .beta = 0.75, .bias = 1.0};
  auto x = g.input("image", {size.batch, 3, size.image, size.image});
  auto h = conv(g, x, 64, 7, "conv1", /*stride=*/2);
  h = g.lrn(maxPool3x3s2(g, h, "pool1"), 5, lrn);
  h = conv(g, h, 64, 1, "conv2_reduce");
  h = g.lrn(conv(g, h, 192, 3, "conv2"), 5, lrn);
  h = maxPool3x3s2(g, h, "pool2");
  for (const Inception &m : {Inception{"3a", 64, 96, 128, 16, 32, 32},
                             Inception{"3b", 128, 128, 192, 32, 96, 64}})
    h = inception(g, h, m);
  h = maxPool3x3s2(g, h, "pool3");
  for (const Inception &m : {Inception{"4a", 192, 96, 208, 16, 48, 64},
                             Inception{"4b", 160, 112, 224, 24, 64, 64},
                             Inception{"4c", 128, 128, 256, 24, 64, 64},
                             Inception{"4d", 112, 144, 288, 32, 64, 64},
                             Inception{"4e", 256, 160, 320, 32, 128, 128}})
    h = inception(g, h, m);
  h = maxPool3x3s2(g, h, "pool4");
  for (const Inception &m : {Inception{"5a", 256, 160, 320, 32, 128, 128},
                             Inception{"5b", 384, 192, 384, 48, 128, 128}})
    h = inception(g, h, m);
  h = g.dropout(g.globalAvgPool(h, "pool5"), 0.4);
  auto logits = g.dense(h.flatten(), size.classes, {.name = "loss3"});
  g.output("probs", logits.softmax());
}

} // namespace

int main(int argc, char **argv) {
  return examples::writeModel(argc, argv, "googlenet", /*seed=*/22,
                              {.image = 224, .classes = 1000}, googlenet);
}
