//===- NodeImporter.h - Importing one ONNX node -----------------*- C++ -*-===//
//
// The interface between the graph importer and the per-op import functions:
// a NodeImporter reads one node's attributes and inputs, reports errors that
// name the file, the node and the field, and builds nn ops with shape
// inference that fails cleanly (never aborts) on inconsistent shapes.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTENDS_ONNX_NODEIMPORTER_H
#define KILN_FRONTENDS_ONNX_NODEIMPORTER_H

#include "compiler/ir/NNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"

#include <onnx/onnx_pb.h>

#include <functional>
#include <optional>

namespace kiln::onnx_frontend {

class NodeImporter;
using OpImportFn = std::function<mlir::LogicalResult(NodeImporter &)>;
/// op_type -> import function, for the default ONNX domain.
using OpImporterTable = llvm::StringMap<OpImportFn>;

/// Converts a TensorProto to an attribute; fails with `error` set.
mlir::FailureOr<mlir::DenseElementsAttr>
tensorProtoToAttr(const onnx::TensorProto &tensor, mlir::MLIRContext *context,
                  llvm::StringRef modelDir, std::string &error);

/// The MLIR element type of an ONNX data type, or null.
mlir::Type elementTypeOf(int32_t dataType, mlir::MLIRContext *context);

class NodeImporter {
public:
  NodeImporter(const onnx::NodeProto &node, int64_t opset,
               mlir::OpBuilder &builder, mlir::Location loc,
               llvm::ArrayRef<mlir::Value> inputs, llvm::StringRef modelDir)
      : node(node), opset(opset), b(builder), loc(loc), inputs(inputs),
        modelDir(modelDir) {}

  const onnx::NodeProto &proto() const { return node; }
  int64_t opsetVersion() const { return opset; }
  mlir::OpBuilder &builder() { return b; }
  mlir::Location location() const { return loc; }
  mlir::MLIRContext *context() { return b.getContext(); }

  // Inputs. An absent optional input (missing or named "") is a null Value.
  size_t numInputs() const { return inputs.size(); }
  mlir::Value input(size_t i) const {
    return i < inputs.size() ? inputs[i] : mlir::Value();
  }
  /// The input, or an error naming it when absent.
  mlir::FailureOr<mlir::Value> requiredInput(size_t i);
  mlir::RankedTensorType inputType(size_t i) const {
    return mlir::cast<mlir::RankedTensorType>(inputs[i].getType());
  }
  /// The constant value of input i, if it is (or folded to) a constant.
  mlir::DenseElementsAttr constantInput(size_t i) const;
  /// Input i as a list of integers; it must be a constant.
  mlir::FailureOr<llvm::SmallVector<int64_t>> constantInts(size_t i,
                                                           llvm::StringRef what);
  /// Input i as one float; it must be a constant.
  mlir::FailureOr<double> constantScalar(size_t i, llvm::StringRef what);

  // Attributes.
  const onnx::AttributeProto *attribute(llvm::StringRef name) const;
  bool hasAttribute(llvm::StringRef name) const { return attribute(name); }
  int64_t intAttr(llvm::StringRef name, int64_t defaultValue) const;
  double floatAttr(llvm::StringRef name, double defaultValue) const;
  std::string stringAttr(llvm::StringRef name,
                         llvm::StringRef defaultValue) const;
  llvm::SmallVector<int64_t> intsAttr(llvm::StringRef name) const;
  std::optional<llvm::SmallVector<int64_t>>
  optionalIntsAttr(llvm::StringRef name) const;
  llvm::SmallVector<float> floatsAttr(llvm::StringRef name) const;
  /// An optional ints attribute that must hold `count` values; `count`
  /// copies of `fill` when absent.
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  intsAttrOfSize(llvm::StringRef name, int64_t count, int64_t fill);

  /// Normalizes `axis` against `rank`, or reports that field out of range.
  mlir::FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                         llvm::StringRef field);

  // Outputs.
  void setOutput(size_t i, mlir::Value value);
  size_t numOutputs() const { return node.output_size(); }
  bool wantsOutput(size_t i) const {
    return i < static_cast<size_t>(node.output_size()) && !node.output(i).empty();
  }
  llvm::ArrayRef<mlir::Value> outputs() const { return results; }

  /// Reports an error about `field` of this node; returns failure().
  mlir::LogicalResult error(const llvm::Twine &field, const llvm::Twine &message);

  /// Builds an op whose result types are inferred; reports inference errors
  /// instead of aborting. Folds when the operands are constants.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> create(Args &&...args) {
    mlir::OperationState state(loc, OpTy::getOperationName());
    OpTy::build(b, state, mlir::TypeRange{}, std::forward<Args>(args)...);
    llvm::SmallVector<mlir::Type> types;
    std::string message;
    mlir::LogicalResult inferred = mlir::failure();
    {
      // Inference errors are reported as this node's, with its op type.
      mlir::ScopedDiagnosticHandler capture(
          b.getContext(), [&](mlir::Diagnostic &diag) {
            message = diag.str();
            return mlir::success();
          });
      inferred = OpTy::inferReturnTypes(
          b.getContext(), loc, state.operands,
          state.attributes.getDictionary(b.getContext()),
          state.getRawProperties(), state.regions, types);
    }
    if (mlir::failed(inferred))
      return error("inputs", message);
    state.addTypes(types);
    return finish(b.create(state));
  }

  /// Builds an op with an explicit result type, verifying it.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> createTyped(mlir::Type resultType,
                                           Args &&...args) {
    auto op = OpTy::create(b, loc, resultType, std::forward<Args>(args)...);
    if (mlir::failed(mlir::verify(op)))
      return mlir::failure();
    return finish(op);
  }

  /// A constant of `values` with element type `elementType` and `shape`.
  mlir::Value constantInts(llvm::ArrayRef<int64_t> values,
                           llvm::ArrayRef<int64_t> shape, mlir::Type elementType);
  mlir::Value constant(mlir::DenseElementsAttr value);
  /// A rank-0 constant `value` of a float or integer element type.
  mlir::Value scalar(double value, mlir::Type elementType);

  /// `value` reshaped to `shape` (an nn.reshape, folded for constants).
  mlir::FailureOr<mlir::Value> reshape(mlir::Value value,
                                       llvm::ArrayRef<int64_t> shape);

private:
  mlir::FailureOr<mlir::Value> finish(mlir::Operation *op);

public:
  /// Whether an attribute of the wrong type was read (and reported).
  bool hadAttributeError() const { return attributeError; }

private:
  mutable bool attributeError = false;

  /// Checks that attribute `name`, if present, has `type`; reports it
  /// otherwise (and the importer then fails the node).
  bool hasType(const onnx::AttributeProto *attr,
               onnx::AttributeProto::AttributeType type) const;

  const onnx::NodeProto &node;
  int64_t opset;
  mlir::OpBuilder &b;
  mlir::Location loc;
  llvm::ArrayRef<mlir::Value> inputs;
  llvm::StringRef modelDir;
  llvm::SmallVector<mlir::Value> results;
};

// Each family of ops registers its import functions.
void registerElementwiseImporters(OpImporterTable &table);
void registerNNImporters(OpImporterTable &table);
void registerShapeImporters(OpImporterTable &table);
void registerReductionImporters(OpImporterTable &table);
void registerNormalizationImporters(OpImporterTable &table);
void registerLossImporters(OpImporterTable &table);
void registerRecurrentImporters(OpImporterTable &table);
void registerResamplingImporters(OpImporterTable &table);
void registerScatterImporters(OpImporterTable &table);
// Families that registerNNImporters adds to the table (the graph importer
// calls the families above).
void registerAttentionImporters(OpImporterTable &table);
void registerActivationImporters(OpImporterTable &table);
void registerMiscImporters(OpImporterTable &table);
void registerQuantizationImporters(OpImporterTable &table);

} // namespace kiln::onnx_frontend

#endif // KILN_FRONTENDS_ONNX_NODEIMPORTER_H
