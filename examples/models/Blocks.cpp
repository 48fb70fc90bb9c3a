//===- Blocks.cpp - Building blocks shared by the example networks --------===//
#include "Blocks.h"

namespace kiln::examples {

Tensor vggBlock(Graph &g, Tensor x, int64_t convs, int64_t maps, int index) {
  std::string block = std::to_string(index);
  for (int64_t i = 1; i <= convs; ++i) {
    ConvOptions conv;
    conv.pad = {1};
    conv.name = "conv" + block + "_" + std::to_string(i);
    x = g.conv2d(x, maps, {3, 3}, conv).relu();
  }
  PoolOptions pool;
  pool.name = "pool" + block;
  return g.maxPool(x, {2, 2}, {2, 2}, pool);
}

Tensor convBn(Graph &g, Tensor x, int64_t out, int64_t k, int64_t stride,
              int64_t pad, const std::string &name, int64_t groups) {
  ConvOptions conv;
  conv.stride = {stride};
  conv.pad = {pad};
  conv.groups = groups;
  conv.bias = false;
  conv.name = name + ".conv";
  BatchNormOptions bn;
  bn.scale = Init::Uniform(0.5, 1.5);
  bn.bias = Init::Normal(0.0, 0.1);
  bn.mean = Init::Normal(0.0, 0.1);
  bn.variance = Init::Uniform(0.5, 1.5);
  bn.name = name + ".bn";
  return g.batchNorm(g.conv2d(x, out, {k, k}, conv), bn);
}

static Tensor shortcut(Graph &g, Tensor x, int64_t out, int64_t stride,
                       const std::string &name) {
  if (stride == 1 && x.dim(1) == out)
    return x;
  return convBn(g, x, out, 1, stride, 0, name + ".downsample");
}

Tensor basicBlock(Graph &g, Tensor x, int64_t planes, int64_t stride,
                  const std::string &name) {
  Tensor h = convBnRelu(g, x, planes, 3, stride, 1, name + ".1");
  h = convBn(g, h, planes, 3, 1, 1, name + ".2");
  return g.add(h, shortcut(g, x, planes, stride, name), name + ".add").relu();
}

Tensor bottleneck(Graph &g, Tensor x, int64_t width, int64_t out,
                  int64_t stride, int64_t groups, const std::string &name) {
  Tensor h = convBnRelu(g, x, width, 1, 1, 0, name + ".1");
  h = convBnRelu(g, h, width, 3, stride, 1, name + ".2", groups);
  h = convBn(g, h, out, 1, 1, 0, name + ".3");
  return g.add(h, shortcut(g, x, out, stride, name), name + ".add").relu();
}

} // namespace kiln::examples
