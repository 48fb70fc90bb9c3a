//===- lenet5.cpp - LeNet-5 written with the builder DSL ------------------===//
//
// LeCun et al., "Gradient-based learning applied to document recognition"
// (1998), the layer table of Fig. 2:
//
//   layer  kind             maps  kernel  output
//   input  image               1          32x32
//   C1     convolution         6   5x5    28x28   tanh
//   S2     subsampling         6   2x2    14x14
//   C3     convolution        16   5x5    10x10   tanh
//   S4     subsampling        16   2x2     5x5
//   C5     convolution       120   5x5     1x1    tanh
//   F6     full connection    84                  tanh
//   output full connection    10
//
//   kiln-model-lenet5 PREFIX   writes PREFIX.mlir (nn) and PREFIX.onnx
//
//===----------------------------------------------------------------------===//
#include "kiln/Builder.h"

#include "compiler/ir/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

static void lenet5(kiln::Graph &g) {
  using kiln::Init;
  auto x = g.input("image", {1, 1, 32, 32});
  auto h = g.conv2d(x, 6, {5, 5}, {.init = Init::Glorot, .name = "C1"}).tanh();
  h = g.avgPool(h, {2, 2}, {2, 2}, {.name = "S2"});
  h = g.conv2d(h, 16, {5, 5}, {.init = Init::Glorot, .name = "C3"}).tanh();
  h = g.avgPool(h, {2, 2}, {2, 2}, {.name = "S4"});
  h = g.conv2d(h, 120, {5, 5}, {.init = Init::Glorot, .name = "C5"}).tanh();
  h = g.dense(h.flatten(), 84, {.name = "F6"}).tanh();
  g.output("logits", g.dense(h, 10, {.name = "output"}));
}

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PREFIX  (writes PREFIX.mlir, PREFIX.onnx)\n",
                 argv[0]);
    return 2;
  }
  std::string prefix = argv[1];
  kiln::Graph g("lenet5", /*seed=*/5);
  lenet5(g);

  mlir::MLIRContext context;
  auto module = g.tryBuild(context);
  if (!module) {
    llvm::errs() << "kiln-model-lenet5: " << llvm::toString(module.takeError())
                 << "\n";
    return 1;
  }
  std::error_code ec;
  llvm::raw_fd_ostream mlirOut(prefix + ".mlir", ec);
  if (ec) {
    llvm::errs() << "kiln-model-lenet5: " << prefix << ".mlir: " << ec.message()
                 << "\n";
    return 1;
  }
  (*module)->print(mlirOut);
  mlirOut << "\n";
  if (llvm::Error e = g.exportOnnx(prefix + ".onnx")) {
    llvm::errs() << "kiln-model-lenet5: " << llvm::toString(std::move(e))
                 << "\n";
    return 1;
  }
  return 0;
}
