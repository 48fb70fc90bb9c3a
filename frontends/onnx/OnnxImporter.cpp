//===- OnnxImporter.cpp - ONNX ModelProto to the nn dialect ---------------===//
//
// Reads a ModelProto, turns initializers and Constant nodes into nn.constant,
// imports the nodes in order through the per-op import functions (folding as
// it goes, so exporters' Shape/Gather/Concat/Reshape chains become
// constants), and checks the declared outputs against the inferred ones.
//
//===----------------------------------------------------------------------===//
#include "frontends/onnx/OnnxImporter.h"
#include "frontends/onnx/NodeImporter.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <map>

using namespace mlir;

namespace kiln::onnx_frontend {

std::string parseInputShape(StringRef spec, ImportOptions &options) {
  auto [name, dims] = spec.rsplit('=');
  if (name.empty() || dims.empty())
    return "expected NAME=D0xD1x..., got '" + spec.str() + "'";
  std::vector<int64_t> shape;
  SmallVector<StringRef> parts;
  dims.split(parts, 'x');
  for (StringRef part : parts) {
    int64_t d;
    if (part.getAsInteger(10, d) || d < 0)
      return "bad dimension '" + part.str() + "' in '" + spec.str() + "'";
    shape.push_back(d);
  }
  options.inputShapes[name] = shape;
  return "";
}

std::string parseBoundInput(StringRef spec, ImportOptions &options) {
  auto [name, file] = spec.split('=');
  if (name.empty() || file.empty())
    return "expected NAME=FILE.pb, got '" + spec.str() + "'";
  options.boundInputs[name] = file.str();
  return "";
}

namespace {

const OpImporterTable &opImporters() {
  static const OpImporterTable table = [] {
    OpImporterTable t;
    registerElementwiseImporters(t);
    registerNNImporters(t);
    registerShapeImporters(t);
    registerReductionImporters(t);
    registerNormalizationImporters(t);
    registerLossImporters(t);
    registerRecurrentImporters(t);
    registerResamplingImporters(t);
    registerScatterImporters(t);
    return t;
  }();
  return table;
}

/// The values in scope and the import of one node after another; shared by
/// the whole-graph importer and NodeByNodeImporter.
class NodeSequence {
public:
  NodeSequence(MLIRContext &context, Location fileLoc, std::string modelDir,
               int64_t opset)
      : context(context), builder(&context), fileLoc(fileLoc),
        modelDir(std::move(modelDir)), opset(opset) {}

  OpBuilder &getBuilder() { return builder; }
  llvm::StringMap<Value> &scope() { return values; }
  void setOpset(int64_t version) { opset = version; }

  Location nodeLoc(const onnx::NodeProto &node, int index) {
    std::string name = node.name().empty()
                           ? node.op_type() + "_" + std::to_string(index)
                           : node.name();
    return NameLoc::get(StringAttr::get(&context, name), fileLoc);
  }

  /// Imports `node` at the builder's insertion point; its outputs join the
  /// scope. Errors are emitted at the node's location.
  LogicalResult importNode(const onnx::NodeProto &node, int index) {
    Location loc = nodeLoc(node, index);
    bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
    auto importFn = opImporters().find(node.op_type());
    if (!defaultDomain || importFn == opImporters().end())
      return emitError(loc) << "unsupported operator " << node.op_type();
    SmallVector<Value> inputs;
    for (int i = 0; i < node.input_size(); ++i) {
      const std::string &name = node.input(i);
      if (name.empty()) {
        inputs.push_back(Value());
        continue;
      }
      auto it = values.find(name);
      if (it == values.end())
        return emitError(loc) << node.op_type() << " input " << i << " ('"
                              << name
                              << "'): no graph input, initializer or earlier "
                                 "node produces it";
      inputs.push_back(it->second);
    }
    NodeImporter importer(node, opset, builder, loc, inputs, modelDir);
    if (failed(importFn->second(importer)) || importer.hadAttributeError())
      return failure();
    for (int i = 0; i < node.output_size(); ++i) {
      if (node.output(i).empty())
        continue;
      if (static_cast<size_t>(i) >= importer.outputs().size() ||
          !importer.outputs()[i])
        return importer.error("output " + Twine(i),
                              "is not supported by kiln");
      if (!values.insert({node.output(i), importer.outputs()[i]}).second)
        return importer.error("output " + Twine(i),
                              "'" + node.output(i) +
                                  "' is already defined by an earlier node "
                                  "or the graph's inputs");
    }
    return success();
  }

private:
  MLIRContext &context;
  OpBuilder builder;
  Location fileLoc;
  std::string modelDir;
  int64_t opset;
  llvm::StringMap<Value> values;
};

class GraphImporter {
public:
  GraphImporter(MLIRContext &context, const onnx::ModelProto &model,
                StringRef path, const ImportOptions &options)
      : context(context), path(path), modelDir(modelDirOf(path)),
        options(options), model(model),
        fileLoc(FileLineColLoc::get(&context, path, 0, 0)),
        nodes(context, fileLoc, modelDir, /*opset=*/0),
        builder(nodes.getBuilder()), values(nodes.scope()) {}

  OwningOpRef<ModuleOp> run() {
    if (failed(checkModel()))
      return {};
    return importGraph();
  }

private:
  static std::string modelDirOf(StringRef path) {
    std::string dir = llvm::sys::path::parent_path(path).str();
    return dir.empty() ? "." : dir;
  }

  LogicalResult fileError(const Twine &message) {
    return emitError(fileLoc) << message;
  }

  LogicalResult checkModel() {
    if (!model.has_graph())
      return fileError("the model has no graph");
    int64_t opset = -1;
    for (const auto &entry : model.opset_import())
      if (entry.domain().empty() || entry.domain() == "ai.onnx")
        opset = entry.version();
    if (opset < 0)
      return fileError("the model imports no version of the default ONNX "
                       "opset (opset_import)");
    // Opsets before 7 are read too where an op's semantics did not change;
    // the legacy broadcast attributes are rejected per node.
    nodes.setOpset(opset);
    return success();
  }

  /// Every op that no import function handles, listed at once.
  LogicalResult checkSupported(const onnx::GraphProto &graph) {
    std::map<std::string, std::vector<std::string>> unsupported;
    for (int i = 0; i < graph.node_size(); ++i) {
      const auto &node = graph.node(i);
      bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
      std::string key = defaultDomain ? node.op_type()
                                      : node.domain() + "." + node.op_type();
      if (!defaultDomain || !opImporters().count(node.op_type()))
        unsupported[key].push_back(node.name().empty()
                                       ? "#" + std::to_string(i)
                                       : "'" + node.name() + "'");
    }
    if (unsupported.empty())
      return success();
    auto diag = emitError(fileLoc) << "unsupported operators ("
                                   << unsupported.size() << "):";
    for (auto &[op, nodes] : unsupported) {
      diag << "\n  " << op << " (node" << (nodes.size() > 1 ? "s " : " ");
      for (size_t i = 0; i < nodes.size() && i < 5; ++i)
        diag << (i ? ", " : "") << nodes[i];
      if (nodes.size() > 5)
        diag << ", and " << nodes.size() - 5 << " more";
      diag << ")";
    }
    return failure();
  }

  FailureOr<RankedTensorType> inputType(const onnx::ValueInfoProto &info) {
    if (!info.type().has_tensor_type())
      return fileError("graph input '" + info.name() +
                               "': only tensor inputs are supported");
    const auto &tensorType = info.type().tensor_type();
    Type elementType = elementTypeOf(tensorType.elem_type(), &context);
    if (!elementType)
      return fileError("graph input '" + info.name() +
                               "': unsupported elem_type " +
                               Twine(tensorType.elem_type()));
    auto fixed = options.inputShapes.find(info.name());
    if (fixed != options.inputShapes.end()) {
      if (tensorType.has_shape() &&
          tensorType.shape().dim_size() !=
              static_cast<int>(fixed->second.size()))
        return fileError(
            "graph input '" + info.name() + "': --input-shape gives rank " +
            Twine(fixed->second.size()) + ", the model declares rank " +
            Twine(tensorType.shape().dim_size()));
      return RankedTensorType::get(fixed->second, elementType);
    }
    if (!tensorType.has_shape())
      return fileError("graph input '" + info.name() +
                               "' has no shape: give one with --input-shape " +
                               info.name() + "=D0xD1x...");
    SmallVector<int64_t> shape;
    for (int d = 0; d < tensorType.shape().dim_size(); ++d) {
      const auto &dim = tensorType.shape().dim(d);
      if (!dim.has_dim_value() || dim.dim_value() < 0)
        return fileError(
            "graph input '" + info.name() + "': dimension " + Twine(d) + " ('" +
            (dim.has_dim_param() ? dim.dim_param() : "?") +
            "') is unknown: fix it with --input-shape " + info.name() +
            "=D0xD1x...");
      shape.push_back(dim.dim_value());
    }
    return RankedTensorType::get(shape, elementType);
  }

  OwningOpRef<ModuleOp> importGraph() {
    const onnx::GraphProto &graph = model.graph();
    if (failed(checkSupported(graph)))
      return {};
    auto isGraphInput = [&](StringRef name) {
      return llvm::any_of(graph.input(), [&](const auto &in) {
        return in.name() == name.str();
      });
    };
    for (const auto &entry : options.inputShapes)
      if (!isGraphInput(entry.getKey())) {
        (void)fileError("--input-shape names '" + entry.getKey() +
                        "', which is not an input of the graph");
        return {};
      }
    for (const auto &entry : options.boundInputs)
      if (!isGraphInput(entry.getKey())) {
        (void)fileError("--bind-input names '" + entry.getKey() +
                        "', which is not an input of the graph");
        return {};
      }

    OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
    builder.setInsertionPointToEnd(module->getBody());

    llvm::StringSet<> initializerNames;
    for (const auto &init : graph.initializer())
      initializerNames.insert(init.name());
    SmallVector<const onnx::ValueInfoProto *> graphInputs;
    SmallVector<Type> argTypes;
    for (const auto &info : graph.input()) {
      if (initializerNames.contains(info.name()) ||
          options.boundInputs.count(info.name()))
        continue; // Old exporters list initializers as inputs too.
      auto type = inputType(info);
      if (failed(type))
        return {};
      graphInputs.push_back(&info);
      argTypes.push_back(*type);
    }

    auto func = func::FuncOp::create(builder, fileLoc, options.entry,
                                     builder.getFunctionType(argTypes, {}));
    Block *body = func.addEntryBlock();
    builder.setInsertionPointToStart(body);
    for (auto [i, info] : llvm::enumerate(graphInputs)) {
      values[info->name()] = body->getArgument(i);
      func.setArgAttr(i, "kiln.name", builder.getStringAttr(info->name()));
      // Inputs are the caller's read-only buffers.
      func.setArgAttr(i, "bufferization.writable", builder.getBoolAttr(false));
    }

    for (const auto &info : graph.input()) {
      auto bound = options.boundInputs.find(info.name());
      if (bound == options.boundInputs.end())
        continue;
      auto value = loadBoundInput(info, bound->second);
      if (failed(value))
        return {};
      values[info.name()] = nn::ConstantOp::create(
          builder, NameLoc::get(builder.getStringAttr(info.name()), fileLoc),
          *value);
    }

    for (const auto &init : graph.initializer()) {
      std::string error;
      auto attr = tensorProtoToAttr(init, &context, modelDir, error);
      if (failed(attr)) {
        (void)fileError("initializer '" + init.name() + "': " + error);
        return {};
      }
      values[init.name()] =
          nn::ConstantOp::create(builder, NameLoc::get(builder.getStringAttr(init.name()), fileLoc), *attr);
    }

    for (int i = 0; i < graph.node_size(); ++i)
      if (failed(nodes.importNode(graph.node(i), i)))
        return {};

    SmallVector<Value> results;
    SmallVector<Type> resultTypes;
    for (const auto &output : graph.output()) {
      auto it = values.find(output.name());
      if (it == values.end()) {
        (void)fileError("graph output '" + output.name() +
                        "' is not produced by any node");
        return {};
      }
      warnOnDeclaredOutputMismatch(output, it->second);
      results.push_back(it->second);
      resultTypes.push_back(it->second.getType());
    }
    func::ReturnOp::create(builder, fileLoc, results);
    func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));
    for (auto [i, output] : llvm::enumerate(graph.output()))
      func.setResultAttr(i, "kiln.name", builder.getStringAttr(output.name()));
    return module;
  }

  /// Reads the TensorProto file bound to a graph input and checks it
  /// against the input's declared type.
  FailureOr<DenseElementsAttr> loadBoundInput(const onnx::ValueInfoProto &info,
                                              StringRef file) {
    auto fail = [&](const Twine &message) {
      return emitError(FileLineColLoc::get(&context, file, 0, 0))
             << "--bind-input " << info.name() << ": " << message;
    };
    auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer)
      return static_cast<LogicalResult>(fail("cannot read: " + buffer.getError().message()));
    onnx::TensorProto tensor;
    if (!tensor.ParseFromArray((*buffer)->getBufferStart(),
                               (*buffer)->getBufferSize()))
      return static_cast<LogicalResult>(fail("not a valid TensorProto"));
    std::string error;
    auto value = tensorProtoToAttr(tensor, &context,
                                   llvm::sys::path::parent_path(file), error);
    if (failed(value))
      return static_cast<LogicalResult>(fail(error));
    const auto &declared = info.type().tensor_type();
    if (elementTypeOf(declared.elem_type(), &context) != value->getElementType())
      return static_cast<LogicalResult>(fail("element type differs from the input's"));
    if (declared.has_shape()) {
      auto shape = value->getType().getShape();
      bool same = declared.shape().dim_size() == static_cast<int>(shape.size());
      for (int d = 0; same && d < declared.shape().dim_size(); ++d)
        same = !declared.shape().dim(d).has_dim_value() ||
               declared.shape().dim(d).dim_value() == shape[d];
      if (!same)
        return static_cast<LogicalResult>(fail("shape differs from the input's"));
    }
    return *value;
  }

  /// Exporters sometimes declare a graph output's shape or element type
  /// wrongly; ONNX Runtime runs such models and warns. kiln's own inference
  /// decides the output's type, so a disagreement is a warning naming both.
  void warnOnDeclaredOutputMismatch(const onnx::ValueInfoProto &output,
                                    Value value) {
    auto inferred = cast<RankedTensorType>(value.getType());
    if (!output.type().has_tensor_type())
      return;
    const auto &declared = output.type().tensor_type();
    bool differs = false;
    std::string text;
    llvm::raw_string_ostream os(text);
    if (declared.has_shape()) {
      const auto &shape = declared.shape();
      differs |= shape.dim_size() != inferred.getRank();
      os << "[";
      for (int d = 0; d < shape.dim_size(); ++d) {
        const auto &dim = shape.dim(d);
        if (d)
          os << ", ";
        if (dim.has_dim_value())
          os << dim.dim_value();
        else
          os << (dim.has_dim_param() ? dim.dim_param() : "?");
        differs |= dim.has_dim_value() && d < inferred.getRank() &&
                   dim.dim_value() != inferred.getDimSize(d);
      }
      os << "]";
    } else {
      os << "(no shape)";
    }
    if (declared.elem_type() != 0) {
      Type elementType = elementTypeOf(declared.elem_type(), &context);
      differs |= elementType != inferred.getElementType();
      if (elementType)
        os << " " << elementType;
      else
        os << " (element type " << declared.elem_type() << ")";
    }
    if (!differs)
      return;
    os << ", inferred [";
    llvm::interleaveComma(inferred.getShape(), os);
    os << "] " << inferred.getElementType();
    emitWarning(fileLoc) << "graph output '" << output.name()
                         << "': declared " << text
                         << "; kiln uses the inferred type";
  }

  MLIRContext &context;
  std::string path;
  std::string modelDir;
  const ImportOptions &options;
  const onnx::ModelProto &model;
  Location fileLoc;
  NodeSequence nodes;
  OpBuilder &builder;
  llvm::StringMap<Value> &values;
};

} // namespace

static void loadImporterDialects(MLIRContext &context) {
  context.loadDialect<nn::NNDialect, func::FuncDialect,
                      bufferization::BufferizationDialect>();
}

OwningOpRef<ModuleOp> importOnnxModel(MLIRContext &context,
                                      const onnx::ModelProto &model,
                                      StringRef path,
                                      const ImportOptions &options) {
  loadImporterDialects(context);
  return GraphImporter(context, model, path, options).run();
}

OwningOpRef<ModuleOp> importOnnxFile(MLIRContext &context, StringRef path,
                                     const ImportOptions &options) {
  Location fileLoc = FileLineColLoc::get(&context, path, 0, 0);
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(fileLoc) << "cannot read the model: "
                       << buffer.getError().message();
    return {};
  }
  google::protobuf::io::ArrayInputStream raw((*buffer)->getBufferStart(),
                                             (*buffer)->getBufferSize());
  google::protobuf::io::CodedInputStream coded(&raw);
  coded.SetTotalBytesLimit(INT_MAX);
  onnx::ModelProto model;
  if (!model.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) {
    emitError(fileLoc) << "not a valid ONNX model (the protobuf does not parse)";
    return {};
  }
  return importOnnxModel(context, model, path, options);
}

//===----------------------------------------------------------------------===//
// NodeByNodeImporter
//===----------------------------------------------------------------------===//

struct NodeByNodeImporter::State {
  State(MLIRContext &context, StringRef sourceName, int64_t opset)
      : fileLoc(FileLineColLoc::get(&context, sourceName, 0, 0)),
        nodes(context, fileLoc, ".", opset),
        module(ModuleOp::create(fileLoc)) {
    OpBuilder &b = nodes.getBuilder();
    b.setInsertionPointToEnd(module->getBody());
    auto func = func::FuncOp::create(b, fileLoc, "scratch",
                                     b.getFunctionType({}, {}));
    body = func.addEntryBlock();
    b.setInsertionPointToEnd(body);
  }
  Location fileLoc;
  NodeSequence nodes;
  OwningOpRef<ModuleOp> module;
  Block *body = nullptr;
  int index = 0;
};

NodeByNodeImporter::NodeByNodeImporter(MLIRContext &context,
                                       StringRef sourceName, int64_t opset) {
  loadImporterDialects(context);
  state = std::make_unique<State>(context, sourceName, opset);
}

NodeByNodeImporter::~NodeByNodeImporter() = default;

LogicalResult NodeByNodeImporter::addValue(StringRef name,
                                           RankedTensorType type) {
  Value arg = state->body->addArgument(type, state->fileLoc);
  if (!state->nodes.scope().insert({name, arg}).second)
    return emitError(state->fileLoc) << "'" << name << "' is already defined";
  return success();
}

LogicalResult NodeByNodeImporter::addConstant(StringRef name,
                                              DenseElementsAttr value) {
  OpBuilder &b = state->nodes.getBuilder();
  Value constant = nn::ConstantOp::create(
      b, NameLoc::get(b.getStringAttr(name), state->fileLoc), value);
  if (!state->nodes.scope().insert({name, constant}).second)
    return emitError(state->fileLoc) << "'" << name << "' is already defined";
  return success();
}

LogicalResult NodeByNodeImporter::importNode(const onnx::NodeProto &node) {
  return state->nodes.importNode(node, state->index++);
}

RankedTensorType NodeByNodeImporter::typeOf(StringRef name) const {
  auto it = state->nodes.scope().find(name);
  if (it == state->nodes.scope().end())
    return {};
  return dyn_cast<RankedTensorType>(it->second.getType());
}

} // namespace kiln::onnx_frontend
