//===- ModelMain.cpp - main() of the kiln-model-NAME example tools --------===//
#include "ModelMain.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace kiln::examples {

int writeModel(int argc, char **argv, const char *name, unsigned seed,
               ModelSize size, void (*define)(Graph &, const ModelSize &)) {
  std::string tool = std::string("kiln-model-") + name;
  auto usage = [&] {
    llvm::errs() << "usage: " << tool
                 << " PREFIX [--batch=N] [--image=N] [--frames=N] "
                    "[--classes=N]\n  writes PREFIX.mlirbc and PREFIX.onnx\n";
    return 2;
  };
  std::string prefix;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (!arg.starts_with("--")) {
      if (!prefix.empty())
        return usage();
      prefix = arg.str();
      continue;
    }
    auto [key, value] = arg.drop_front(2).split('=');
    int64_t n;
    if (value.getAsInteger(10, n) || n < 1) {
      llvm::errs() << tool << ": " << arg << ": expected a positive integer\n";
      return 2;
    }
    if (key == "batch")
      size.batch = n;
    else if (key == "image")
      size.image = n;
    else if (key == "frames")
      size.frames = n;
    else if (key == "classes")
      size.classes = n;
    else
      return usage();
  }
  if (prefix.empty())
    return usage();

  Graph g(name, seed);
  define(g, size);
  mlir::MLIRContext context;
  auto module = g.tryBuild(context);
  if (!module) {
    llvm::errs() << tool << ": " << llvm::toString(module.takeError()) << "\n";
    return 1;
  }
  // Bytecode: the weights stay binary (text would double them and parse
  // slowly); kiln-opt prints it as text.
  std::error_code ec;
  llvm::raw_fd_ostream mlirOut(prefix + ".mlirbc", ec);
  if (ec) {
    llvm::errs() << tool << ": " << prefix << ".mlirbc: " << ec.message()
                 << "\n";
    return 1;
  }
  if (mlir::failed(mlir::writeBytecodeToFile(module->get(), mlirOut))) {
    llvm::errs() << tool << ": " << prefix << ".mlirbc: cannot write bytecode\n";
    return 1;
  }
  if (llvm::Error e = g.exportOnnx(prefix + ".onnx")) {
    llvm::errs() << tool << ": " << llvm::toString(std::move(e)) << "\n";
    return 1;
  }
  return 0;
}

} // namespace kiln::examples
