//===- layers.cpp - Every layer of the builder DSL in one small network ---===//
//
// Not a network from a paper: a test bench that puts each layer kind of
// kiln/Builder.h (strided, padded and grouped convolutions, batch norm with
// non-trivial statistics, max/average/global pooling, LRN, every
// activation, dropout, residual add, gating mul, concat, reshape, flatten,
// dense, softmax) in one graph, so that test/e2e/builder/run.sh checks them
// all against ONNX Runtime.
//
//   kiln-model-layers PREFIX   writes PREFIX.mlirbc (nn, bytecode) and PREFIX.onnx
//
//===----------------------------------------------------------------------===//
#include "ModelMain.h"

static void layers(kiln::Graph &g, const kiln::examples::ModelSize &size) {
  using kiln::Init;
  auto x = g.input("x", {size.batch, 3, 16, 16});
  auto h = g.conv2d(x, 8, {3, 3}, {.pad = {1}, .biasInit = Init::Normal(0, 0.1)});
  h = g.batchNorm(h, {.scale = Init::Uniform(0.5, 1.5),
                      .bias = Init::Normal(0, 0.1),
                      .mean = Init::Normal(0, 0.1),
                      .variance = Init::Uniform(0.5, 2.0)})
          .relu();
  h = g.maxPool(h, {3, 3}, {2, 2}, {.pad = {1}});                  // 8x8
  auto a = g.conv2d(h, 8, {1, 1}).leakyRelu(0.1);
  auto b = g.conv2d(h, 8, {3, 3}, {.pad = {1}, .groups = 2}).elu(0.5);
  h = g.concat({a, b}, 1);                                         // 16 ch
  h = g.prelu(h, Init::Uniform(0.1, 0.3));
  h = g.lrn(h, 3, {.alpha = 1e-3});
  auto skip = g.conv2d(h, 16, {1, 1}, {.bias = false, .init = Init::Glorot});
  h = h + skip;                                                    // residual
  h = h * g.conv2d(h, 16, {1, 1}).sigmoid();                       // gate
  h = g.conv2d(h, 16, {3, 3}, {.stride = {2, 2}, .pad = {1, 1, 0, 0}});
  h = g.avgPool(h.tanh(), {2, 2}, {1, 1}, {.pad = {1}, .countIncludePad = true});
  h = g.maxPool(h, {2, 2}, {2, 2}, {.ceilMode = true});            // 3x3
  auto pooled = g.globalAvgPool(h);                                // 1x16x1x1
  auto flat = pooled.reshape({0, -1});
  flat = g.sub(g.matmul(flat, g.param("mix", {16, 16}, Init::Glorot)),
               g.param("offset", {16}, Init::Normal(0, 0.1)));
  flat = g.dropout(flat, 0.3);
  auto logits = g.dense(flat, size.classes, {.biasInit = Init::Uniform(-0.1, 0.1)});
  g.output("probs", logits.softmax());
  g.output("features", h.flatten());
}

int main(int argc, char **argv) {
  return kiln::examples::writeModel(argc, argv, "layers", /*seed=*/11,
                                     {.image = 16, .classes = 10}, layers);
}
