//===- CompileTest.cpp - compileModel and the emit kinds ------------------===//
#include "compiler/driver/Compile.h"
#include "compiler/ir/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {

const char *const kGraph = R"mlir(
func.func @main_graph(%x: tensor<2x3xf32> {kiln.name = "x"})
    -> (tensor<2x3xf32> {kiln.name = "y"}) {
  %0 = nn.relu %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
)mlir";

TEST(EmitKinds, NamesAreUniqueAndExtensionsSelectTheFirstKind) {
  llvm::StringSet<> names;
  for (const kiln::EmitKind &kind : kiln::emitKinds())
    EXPECT_TRUE(names.insert(kind.name).second) << kind.name.str();
  auto kindFor = [](llvm::StringRef path) -> std::string {
    const kiln::EmitKind *kind = kiln::emitKindForPath(path);
    return kind ? kind->name.str() : "(none)";
  };
  EXPECT_EQ(kindFor("out/model.so"), "so");
  EXPECT_EQ(kindFor("model.a"), "a");
  EXPECT_EQ(kindFor("model.o"), "obj");
  EXPECT_EQ(kindFor("model"), "exe");
  EXPECT_EQ(kindFor("model.mlir"), "mlir");
  EXPECT_EQ(kindFor("model.h"), "header");
  EXPECT_EQ(kindFor("model.ll"), "ll");
  EXPECT_EQ(kindFor("model.xyz"), "(none)");
}

TEST(EmitKinds, StagesAndLinking) {
  using kiln::Stage;
  EXPECT_EQ(kiln::lookupEmitKind("mlir")->lastStage, Stage::Graph);
  EXPECT_EQ(kiln::lookupEmitKind("linalg")->lastStage, Stage::Linalg);
  EXPECT_EQ(kiln::lookupEmitKind("llvm-mlir")->lastStage, Stage::Lowered);
  EXPECT_EQ(kiln::lookupEmitKind("so")->lastStage, Stage::Final);
  for (llvm::StringRef name : {"so", "a", "exe"})
    EXPECT_TRUE(kiln::lookupEmitKind(name)->links) << name.str();
  for (llvm::StringRef name : {"obj", "ll", "mlir", "header"})
    EXPECT_FALSE(kiln::lookupEmitKind(name)->links) << name.str();
  for (llvm::StringRef name : {"so", "a", "obj"})
    EXPECT_TRUE(kiln::lookupEmitKind(name)->withHeader) << name.str();
  EXPECT_EQ(kiln::lookupEmitKind("bitcode"), nullptr);
}

class CompileModel : public ::testing::Test {
protected:
  void SetUp() override {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registry.insert<kiln::nn::NNDialect>();
    context = std::make_unique<MLIRContext>(registry);
    context->disableMultithreading();
    ASSERT_FALSE(
        llvm::sys::fs::createUniqueDirectory("kiln-compile-test", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  OwningOpRef<ModuleOp> parse(llvm::StringRef text) {
    return parseSourceString<ModuleOp>(text, context.get());
  }
  std::string path(llvm::StringRef file) {
    llvm::SmallString<256> p(dir);
    llvm::sys::path::append(p, file);
    return p.str().str();
  }
  static std::string read(llvm::StringRef file) {
    auto buffer = llvm::MemoryBuffer::getFile(file);
    return buffer ? (*buffer)->getBuffer().str() : "";
  }
  /// Compiles kGraph as `kind` to `file`; diagnostics go to `errors`.
  FailureOr<kiln::Artifact> compile(llvm::StringRef kind, llvm::StringRef file,
                                    llvm::StringRef target = "cpu") {
    auto module = parse(kGraph);
    EXPECT_TRUE(module);
    kiln::CompileOptions options;
    options.kind = kiln::lookupEmitKind(kind);
    options.outputPath = path(file);
    options.sourceName = "graph.mlir";
    options.target = target.str();
    options.pipeline.target.threads = 1;
    ScopedDiagnosticHandler handler(context.get(), [&](Diagnostic &diag) {
      errors += diag.str() + "\n";
      return success();
    });
    return kiln::compileModel(*module, options);
  }

  std::unique_ptr<MLIRContext> context;
  llvm::SmallString<256> dir;
  std::string errors;
};

TEST_F(CompileModel, GraphStageWritesTheNNGraph) {
  auto artifact = compile("mlir", "model.mlir");
  ASSERT_TRUE(succeeded(artifact)) << errors;
  ASSERT_EQ(artifact->files.size(), 1u);
  std::string text = read(artifact->files[0]);
  EXPECT_NE(text.find("nn.relu"), std::string::npos) << text;
}

TEST_F(CompileModel, LinalgStageHasNoNNOps) {
  auto artifact = compile("linalg", "model.mlir");
  ASSERT_TRUE(succeeded(artifact)) << errors;
  std::string text = read(artifact->files[0]);
  EXPECT_NE(text.find("linalg.generic"), std::string::npos) << text;
  EXPECT_EQ(text.find("nn."), std::string::npos) << text;
}

TEST_F(CompileModel, ObjectComesWithItsHeader) {
  auto artifact = compile("obj", "relu.o");
  ASSERT_TRUE(succeeded(artifact)) << errors;
  ASSERT_EQ(artifact->files.size(), 2u);
  EXPECT_EQ(artifact->files[1], path("relu.h"));
  EXPECT_TRUE(llvm::sys::fs::exists(artifact->files[0]));
  // The model's name, and so its C prefix, is OUT's stem.
  EXPECT_NE(read(artifact->files[1]).find("relu_model"), std::string::npos);
}

TEST_F(CompileModel, UnknownTargetFailsWithAMessage) {
  EXPECT_TRUE(failed(compile("so", "m.so", "tpu")));
  EXPECT_NE(errors.find("--target=tpu: only the cpu target is implemented"),
            std::string::npos)
      << errors;
  EXPECT_FALSE(llvm::sys::fs::exists(path("m.so")));
}

TEST_F(CompileModel, PtxNeedsTheNvptxTarget) {
  EXPECT_TRUE(failed(compile("ptx", "m.ptx")));
  EXPECT_NE(errors.find("PTX output needs --target=nvptx"), std::string::npos)
      << errors;
}

TEST_F(CompileModel, MissingGraphFunctionIsNamed) {
  auto module = parse("func.func @other() { return }");
  kiln::CompileOptions options;
  options.kind = kiln::lookupEmitKind("mlir");
  options.outputPath = path("m.mlir");
  options.sourceName = "other.mlir";
  ScopedDiagnosticHandler handler(context.get(), [&](Diagnostic &diag) {
    errors += diag.str();
    return success();
  });
  EXPECT_TRUE(failed(kiln::compileModel(*module, options)));
  EXPECT_EQ(errors, "'other.mlir' has no function 'main_graph'");
}

} // namespace
