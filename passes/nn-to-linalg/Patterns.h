//===- Patterns.h - nn to linalg conversion patterns ------------*- C++ -*-===//
#ifndef KILN_PASSES_NNTOLINALG_PATTERNS_H
#define KILN_PASSES_NNTOLINALG_PATTERNS_H

#include "mlir/Transforms/DialectConversion.h"

namespace kiln {

// One populate function per family of ops, each in its own file.
void populateElementwiseLowering(mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);
void populateLinearAlgebraLowering(mlir::TypeConverter &converter,
                                   mlir::RewritePatternSet &patterns);
void populateConvolutionLowering(mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);
void populatePoolingLowering(mlir::TypeConverter &converter,
                             mlir::RewritePatternSet &patterns);
void populateNormalizationLowering(mlir::TypeConverter &converter,
                                   mlir::RewritePatternSet &patterns);
void populateReductionLowering(mlir::TypeConverter &converter,
                               mlir::RewritePatternSet &patterns);
void populateDataMovementLowering(mlir::TypeConverter &converter,
                                  mlir::RewritePatternSet &patterns);
void populateConvTransposeLowering(mlir::TypeConverter &converter,
                                   mlir::RewritePatternSet &patterns);
void populateResizeLowering(mlir::TypeConverter &converter,
                            mlir::RewritePatternSet &patterns);
void populateUnpoolingLowering(mlir::TypeConverter &converter,
                               mlir::RewritePatternSet &patterns);
void populateScatterLowering(mlir::TypeConverter &converter,
                             mlir::RewritePatternSet &patterns);
void populateSelectionLowering(mlir::TypeConverter &converter,
                               mlir::RewritePatternSet &patterns);
void populateSamplingLowering(mlir::TypeConverter &converter,
                              mlir::RewritePatternSet &patterns);

} // namespace kiln

#endif // KILN_PASSES_NNTOLINALG_PATTERNS_H
