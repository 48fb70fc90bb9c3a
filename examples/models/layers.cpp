//===- layers.cpp - Every layer of the builder DSL in one small network ---===//
//
// Not a network from a paper: a test bench that puts each layer kind of
// kiln/Builder.h (strided, padded and grouped convolutions, batch norm with
// non-trivial statistics, max/average/global pooling, LRN, every
// activation, dropout, residual add, gating mul, concat, reshape, flatten,
// dense, softmax) in one graph, so that test/e2e/builder/run.sh checks them
// all against ONNX Runtime.
//
//   kiln-model-layers PREFIX   writes PREFIX.mlir (nn) and PREFIX.onnx
//
//===----------------------------------------------------------------------===//
#include "kiln/Builder.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

static void layers(kiln::Graph &g) {
  using kiln::Init;
  auto x = g.input("x", {1, 3, 16, 16});
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
  auto logits = g.dense(flat, 10, {.biasInit = Init::Uniform(-0.1, 0.1)});
  g.output("probs", logits.softmax());
  g.output("features", h.flatten());
}

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PREFIX  (writes PREFIX.mlir, PREFIX.onnx)\n",
                 argv[0]);
    return 2;
  }
  std::string prefix = argv[1];
  kiln::Graph g("layers", /*seed=*/11);
  layers(g);
  mlir::MLIRContext context;
  auto module = g.tryBuild(context);
  if (!module) {
    llvm::errs() << "kiln-model-layers: " << llvm::toString(module.takeError())
                 << "\n";
    return 1;
  }
  std::error_code ec;
  llvm::raw_fd_ostream mlirOut(prefix + ".mlir", ec);
  if (ec) {
    llvm::errs() << "kiln-model-layers: " << prefix << ".mlir: " << ec.message()
                 << "\n";
    return 1;
  }
  (*module)->print(mlirOut);
  mlirOut << "\n";
  if (llvm::Error e = g.exportOnnx(prefix + ".onnx")) {
    llvm::errs() << "kiln-model-layers: " << llvm::toString(std::move(e)) << "\n";
    return 1;
  }
  return 0;
}
