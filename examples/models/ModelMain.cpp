//===- ModelMain.cpp - main() of the kiln-model-NAME example tools --------===//
#include "ModelMain.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <string>

namespace kiln::examples {

int writeModel(int argc, char **argv, const char *name, unsigned seed,
               void (*define)(Graph &)) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PREFIX  (writes PREFIX.mlir, PREFIX.onnx)\n",
                 argv[0]);
    return 2;
  }
  std::string prefix = argv[1];
  std::string tool = std::string("kiln-model-") + name;
  Graph g(name, seed);
  define(g);

  mlir::MLIRContext context;
  auto module = g.tryBuild(context);
  if (!module) {
    llvm::errs() << tool << ": " << llvm::toString(module.takeError()) << "\n";
    return 1;
  }
  std::error_code ec;
  llvm::raw_fd_ostream mlirOut(prefix + ".mlir", ec);
  if (ec) {
    llvm::errs() << tool << ": " << prefix << ".mlir: " << ec.message() << "\n";
    return 1;
  }
  (*module)->print(mlirOut);
  mlirOut << "\n";
  if (llvm::Error e = g.exportOnnx(prefix + ".onnx")) {
    llvm::errs() << tool << ": " << llvm::toString(std::move(e)) << "\n";
    return 1;
  }
  return 0;
}

} // namespace kiln::examples
