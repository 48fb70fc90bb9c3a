//===- LowerNNToLinalg.cpp - nn to linalg on tensors ----------------------===//
#include "compiler/ir/NNDialect.h"
#include "passes/Passes.h"
#include "passes/nn-to-linalg/Patterns.h"
#include "passes/nn-to-linalg/ScalarArith.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Transforms/DialectConversion.h"

namespace kiln {
#define GEN_PASS_DEF_LOWERNNTOLINALG
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// Element types become the signless types code computes in.
class SignlessTypeConverter : public TypeConverter {
public:
  SignlessTypeConverter() {
    addConversion([](Type type) { return type; });
    // Unsigned and sub-byte integers and the narrow floats become the
    // signless integers they are stored as (ScalarArith's compute types).
    addConversion([](IntegerType type) -> Type { return computeTypeOf(type); });
    addConversion([](FloatType type) -> Type { return computeTypeOf(type); });
    addConversion([this](RankedTensorType type) -> Type {
      return RankedTensorType::get(type.getShape(),
                                   convertType(type.getElementType()));
    });
  }
};

struct LowerNNToLinalgPass
    : impl::LowerNNToLinalgBase<LowerNNToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    SignlessTypeConverter converter;
    RewritePatternSet patterns(context);
    populateElementwiseLowering(converter, patterns);
    populateLinearAlgebraLowering(converter, patterns);
    populateConvolutionLowering(converter, patterns);
    populatePoolingLowering(converter, patterns);
    populateNormalizationLowering(converter, patterns);
    populateReductionLowering(converter, patterns);
    populateDataMovementLowering(converter, patterns);
    populateConvTransposeLowering(converter, patterns);
    populateResizeLowering(converter, patterns);
    populateUnpoolingLowering(converter, patterns);
    populateScatterLowering(converter, patterns);
    populateSelectionLowering(converter, patterns);
    populateSamplingLowering(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*context);
    target.addIllegalDialect<nn::NNDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace kiln
