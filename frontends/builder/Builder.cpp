//===- Builder.cpp - The C++ network DSL ----------------------------------===//
//
// Layers are recorded as ONNX nodes. Each is checked when added by importing
// it with the ONNX frontend into a scratch module (Graph::Checker), which
// also gives its result shapes; build() imports the whole record, and
// exportOnnx() writes it out.
//
//===----------------------------------------------------------------------===//
#include "kiln/Builder.h"

#include "frontends/onnx/OnnxImporter.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <fstream>
#include <numeric>

namespace kiln {

namespace {

std::string shapeStr(const Shape &s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i)
    r += (i ? ", " : "") + std::to_string(s[i]);
  return r + "]";
}

int64_t product(const Shape &s, size_t from = 0, size_t to = SIZE_MAX) {
  int64_t p = 1;
  for (size_t i = from; i < std::min(to, s.size()); ++i)
    p *= s[i];
  return p;
}

/// Expands a per-axis option: empty -> `fill`, one value -> all axes.
bool expand(const Shape &given, size_t axes, int64_t fill, Shape &out) {
  if (given.empty())
    out.assign(axes, fill);
  else if (given.size() == 1)
    out.assign(axes, given[0]);
  else if (given.size() == axes)
    out = given;
  else
    return false;
  return true;
}

/// Pads: one value, one per axis (symmetric) or begins then ends.
bool expandPads(const Shape &given, size_t axes, Shape &out) {
  if (given.size() == 2 * axes && axes != 1) {
    out = given;
    return true;
  }
  Shape half;
  if (!expand(given, axes, 0, half))
    return false;
  out = half;
  out.insert(out.end(), half.begin(), half.end());
  return true;
}

} // namespace

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

static const Shape kNoShape;
static const std::string kNoName;

const Shape &Tensor::shape() const {
  return valid() ? graph->valueList[id].shape : kNoShape;
}
int64_t Tensor::dim(int64_t axis) const {
  const Shape &s = shape();
  if (axis < 0)
    axis += static_cast<int64_t>(s.size());
  return axis >= 0 && axis < static_cast<int64_t>(s.size()) ? s[axis] : -1;
}
const std::string &Tensor::name() const {
  return valid() ? graph->valueList[id].name : kNoName;
}
Tensor Tensor::relu() const { return graph ? graph->relu(*this) : *this; }
Tensor Tensor::tanh() const { return graph ? graph->tanh(*this) : *this; }
Tensor Tensor::sigmoid() const { return graph ? graph->sigmoid(*this) : *this; }
Tensor Tensor::leakyRelu(double alpha) const {
  return graph ? graph->leakyRelu(*this, alpha) : *this;
}
Tensor Tensor::elu(double alpha) const {
  return graph ? graph->elu(*this, alpha) : *this;
}
Tensor Tensor::clip(double low, double high) const {
  return graph ? graph->clip(*this, low, high) : *this;
}
Tensor Tensor::softmax(int64_t axis) const {
  return graph ? graph->softmax(*this, axis) : *this;
}
Tensor Tensor::flatten(int64_t axis) const {
  return graph ? graph->flatten(*this, axis) : *this;
}
Tensor Tensor::reshape(const Shape &shape) const {
  return graph ? graph->reshape(*this, shape) : *this;
}
Tensor Tensor::operator+(const Tensor &other) const {
  return graph ? graph->add(*this, other) : *this;
}
Tensor Tensor::operator*(const Tensor &other) const {
  return graph ? graph->mul(*this, other) : *this;
}

//===----------------------------------------------------------------------===//
// Graph: records
//===----------------------------------------------------------------------===//

/// The scratch import that checks each layer as it is added.
struct Graph::Checker {
  explicit Checker(const std::string &graphName)
      : importer(context, graphName, Graph::kOnnxOpset) {}
  mlir::MLIRContext context{mlir::MLIRContext::Threading::DISABLED};
  onnx_frontend::NodeByNodeImporter importer;
};

Graph::Graph(std::string name, uint64_t seed)
    : graphName(std::move(name)),
      rng(static_cast<std::mt19937::result_type>(seed)),
      checker(std::make_unique<Checker>(graphName)) {}

Graph::~Graph() = default;

std::string Graph::layerName(const std::string &given,
                             const std::string &prefix) {
  if (!given.empty())
    return given;
  std::string name;
  do
    name = prefix + std::to_string(++counters[prefix]);
  while (namesUsed.count(name));
  return name;
}

bool Graph::fail(const std::string &layer, const std::string &op,
                 const std::string &message) {
  if (errorMessage.empty())
    errorMessage = "graph '" + graphName + "': layer '" + layer + "' (" + op +
                   "): " + message;
  return false;
}

bool Graph::check(std::initializer_list<Tensor> inputs) {
  if (!ok())
    return false;
  for (const Tensor &t : inputs)
    if (!t.valid() || t.graph != this) {
      if (errorMessage.empty())
        errorMessage = "graph '" + graphName +
                       "': a layer's input is not a value of this graph";
      return false;
    }
  return true;
}

namespace {

mlir::RankedTensorType typeOf(mlir::MLIRContext &context,
                              const Graph::Value &v) {
  mlir::Type element = v.isInt64 ? mlir::Type(mlir::IntegerType::get(&context, 64))
                                 : mlir::Type(mlir::Float32Type::get(&context));
  return mlir::RankedTensorType::get(v.shape, element);
}

/// Runs `fn` and returns the first error diagnostic it emitted on `context`.
template <typename Fn>
std::string firstError(mlir::MLIRContext &context, Fn &&fn) {
  std::string message;
  mlir::ScopedDiagnosticHandler capture(&context, [&](mlir::Diagnostic &diag) {
    if (message.empty() && diag.getSeverity() == mlir::DiagnosticSeverity::Error)
      message = diag.str();
    return mlir::success();
  });
  if (mlir::succeeded(fn()))
    return "";
  return message.empty() ? "failed" : message;
}

} // namespace

int Graph::addValue(Value value) {
  namesUsed[value.name]++;
  mlir::MLIRContext &context = checker->context;
  if (value.kind == Value::Kind::Input || value.kind == Value::Kind::Param)
    (void)checker->importer.addValue(value.name, typeOf(context, value));
  if (value.kind == Value::Kind::Constant) {
    mlir::RankedTensorType type = typeOf(context, value);
    auto attr = value.isInt64
                    ? mlir::DenseElementsAttr::get(
                          type, llvm::ArrayRef<int64_t>(value.ints))
                    : mlir::DenseElementsAttr::get(
                          type, llvm::ArrayRef<float>(value.data));
    (void)checker->importer.addConstant(value.name, attr);
  }
  valueList.push_back(std::move(value));
  return static_cast<int>(valueList.size()) - 1;
}

Tensor Graph::constant(const std::string &name, const Shape &shape,
                       std::vector<int64_t> values) {
  return addConstant({Value::Kind::Constant, name, shape, {}, std::move(values),
                      true, -1});
}

Tensor Graph::constant(const std::string &name, const Shape &shape,
                       std::vector<float> values) {
  return addConstant({Value::Kind::Constant, name, shape, std::move(values),
                      {}, false, -1});
}

Tensor Graph::addConstant(Value value) {
  if (!ok())
    return {};
  if (namesUsed.count(value.name))
    return fail(value.name, "constant", "the name is already used in the graph"),
           Tensor();
  size_t count = value.isInt64 ? value.ints.size() : value.data.size();
  if (static_cast<int64_t>(count) != product(value.shape))
    return fail(value.name, "constant",
                std::to_string(count) + " values for shape " +
                    shapeStr(value.shape)),
           Tensor();
  return Tensor(this, addValue(std::move(value)));
}

namespace {

void setAttribute(onnx::AttributeProto *a, const std::string &key,
                  const Graph::Attr &value) {
  a->set_name(key);
  if (auto *i = std::get_if<int64_t>(&value)) {
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(*i);
  } else if (auto *f = std::get_if<double>(&value)) {
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(static_cast<float>(*f));
  } else if (auto *ints = std::get_if<Shape>(&value)) {
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : *ints)
      a->add_ints(x);
  } else if (auto *str = std::get_if<std::string>(&value)) {
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(*str);
  } else {
    a->set_type(onnx::AttributeProto::STRINGS);
    for (const std::string &x : std::get<std::vector<std::string>>(value))
      a->add_strings(x);
  }
}

void toNodeProto(const Graph::Node &n, const std::vector<Graph::Value> &values,
                 const std::vector<std::string> &resultNames,
                 onnx::NodeProto *node) {
  node->set_name(n.name);
  node->set_op_type(n.op);
  for (int id : n.inputs)
    node->add_input(id < 0 ? std::string() : values[id].name);
  for (const std::string &r : resultNames)
    node->add_output(r);
  for (const auto &[key, value] : n.attrs)
    setAttribute(node->add_attribute(), key, value);
}

} // namespace

std::vector<Tensor> Graph::addNode(Node node,
                                   const std::vector<std::string> &suffixes) {
  if (!ok())
    return {};
  std::vector<std::string> resultNames{node.name};
  for (const std::string &suffix : suffixes)
    resultNames.push_back(node.name + "." + suffix);
  for (const std::string &r : resultNames)
    if (namesUsed.count(r))
      return fail(node.name, node.op,
                  "the name '" + r + "' is already used in the graph"),
             std::vector<Tensor>();
  onnx::NodeProto proto;
  toNodeProto(node, valueList, resultNames, &proto);
  std::string message = firstError(checker->context, [&] {
    return checker->importer.importNode(proto);
  });
  if (!message.empty()) {
    // The importer's messages start with the op type, which fail() gives.
    llvm::StringRef text(message);
    text.consume_front(node.op + " ");
    return fail(node.name, node.op, text.str()), std::vector<Tensor>();
  }
  std::vector<Tensor> results;
  int nodeIndex = static_cast<int>(nodeList.size());
  for (const std::string &r : resultNames) {
    mlir::RankedTensorType type = checker->importer.typeOf(r);
    bool isInt64 = type && type.getElementType().isInteger(64);
    if (!type || (!isInt64 && !type.getElementType().isF32()))
      return fail(node.name, node.op,
                  "result '" + r + "' is neither f32 nor int64"),
             std::vector<Tensor>();
    Value v{Value::Kind::Result, r, Shape(type.getShape()), {}, {},
            isInt64, nodeIndex};
    namesUsed[r]++;
    valueList.push_back(std::move(v));
    node.results.push_back(static_cast<int>(valueList.size()) - 1);
    results.push_back(Tensor(this, node.results.back()));
  }
  nodeList.push_back(std::move(node));
  return results;
}

Tensor Graph::addNode1(Node node) {
  std::vector<Tensor> results = addNode(std::move(node));
  return results.empty() ? Tensor() : results[0];
}

std::vector<float> Graph::draw(const Shape &shape, Init init) {
  int64_t count = product(shape);
  int64_t receptive = shape.size() > 2 ? product(shape, 2) : 1;
  double fanIn = shape.size() >= 2 ? shape[1] * receptive
                                   : (shape.empty() ? 1 : shape[0]);
  double fanOut = shape.size() >= 2 ? shape[0] * receptive
                                    : (shape.empty() ? 1 : shape[0]);
  std::vector<float> data(count);
  switch (init.kind) {
  case Init::Kind::Constant:
    std::fill(data.begin(), data.end(), static_cast<float>(init.a));
    break;
  case Init::Kind::Uniform: {
    std::uniform_real_distribution<double> d(init.a, init.b);
    for (float &x : data)
      x = static_cast<float>(d(rng));
    break;
  }
  case Init::Kind::Normal: {
    std::normal_distribution<double> d(init.a, init.b);
    for (float &x : data)
      x = static_cast<float>(d(rng));
    break;
  }
  case Init::Kind::Glorot: {
    double limit = std::sqrt(6.0 / (fanIn + fanOut));
    std::uniform_real_distribution<double> d(-limit, limit);
    for (float &x : data)
      x = static_cast<float>(d(rng));
    break;
  }
  case Init::Kind::He: {
    std::normal_distribution<double> d(0.0, std::sqrt(2.0 / fanIn));
    for (float &x : data)
      x = static_cast<float>(d(rng));
    break;
  }
  }
  return data;
}

Tensor Graph::input(const std::string &name, const Shape &shape) {
  if (!ok())
    return {};
  if (namesUsed.count(name)) {
    fail(name, "input", "the name is already used in the graph");
    return {};
  }
  for (int64_t d : shape)
    if (d <= 0) {
      fail(name, "input", "dimensions must be positive, got " + shapeStr(shape));
      return {};
    }
  return Tensor(this, addValue({Value::Kind::Input, name, shape, {}, {}, false, -1}));
}

Tensor Graph::param(const std::string &name, const Shape &shape, Init init) {
  if (!ok())
    return {};
  for (int64_t d : shape)
    if (d <= 0) {
      fail(name, "param", "dimensions must be positive, got " + shapeStr(shape));
      return {};
    }
  return param(name, shape, draw(shape, init));
}

Tensor Graph::param(const std::string &name, const Shape &shape,
                    std::vector<float> values) {
  if (!ok())
    return {};
  if (namesUsed.count(name)) {
    fail(name, "param", "the name is already used in the graph");
    return {};
  }
  if (static_cast<int64_t>(values.size()) != product(shape)) {
    fail(name, "param", std::to_string(values.size()) + " values for shape " +
                            shapeStr(shape));
    return {};
  }
  return Tensor(this, addValue({Value::Kind::Param, name, shape,
                                std::move(values), {}, false, -1}));
}

void Graph::output(const std::string &name, Tensor value) {
  if (!check({value}))
    return;
  for (auto &o : outputList)
    if (o.first == name) {
      fail(name, "output", "two outputs have this name");
      return;
    }
  if (name != value.name() && namesUsed.count(name)) {
    fail(name, "output", "the name is already used by another value");
    return;
  }
  outputList.emplace_back(name, value.id);
}

//===----------------------------------------------------------------------===//
// Graph: layers
//===----------------------------------------------------------------------===//

Tensor Graph::conv(Tensor x, Tensor filter, Tensor bias, ConvOptions o) {
  std::string name = layerName(o.name, "conv");
  if (!check({x, filter}) || (bias.graph && !check({bias})))
    return {};
  if (x.rank() < 3 || filter.rank() < 3)
    return fail(name, "Conv", "input " + shapeStr(x.shape()) + " and filter " +
                                  shapeStr(filter.shape()) +
                                  " must be [N, C, spatial...] and "
                                  "[out, C/groups, kernel...]"),
           Tensor();
  size_t axes = static_cast<size_t>(x.rank()) - 2;
  Shape strides, dilations, pads;
  if (!expand(o.stride, axes, 1, strides) ||
      !expand(o.dilation, axes, 1, dilations) || !expandPads(o.pad, axes, pads))
    return fail(name, "Conv", "stride/pad/dilation do not match the " +
                                  std::to_string(axes) + " spatial axes"),
           Tensor();
  Node n{"Conv", name, {x.id, filter.id}, {}, {}};
  if (bias.graph)
    n.inputs.push_back(bias.id);
  n.attrs["kernel_shape"] = Shape(filter.shape().begin() + 2, filter.shape().end());
  n.attrs["strides"] = strides;
  n.attrs["pads"] = pads;
  n.attrs["dilations"] = dilations;
  n.attrs["group"] = o.groups;
  return addNode1(std::move(n));
}

Tensor Graph::convolution(Tensor x, int64_t outChannels, const Shape &kernel,
                          size_t spatialAxes, ConvOptions o) {
  o.name = layerName(o.name, "conv");
  if (!check({x}))
    return {};
  if (kernel.size() != spatialAxes ||
      x.rank() != static_cast<int64_t>(spatialAxes) + 2)
    return fail(o.name, "Conv", "input " + shapeStr(x.shape()) + " and a " +
                                    shapeStr(kernel) +
                                    " kernel: this layer needs [N, C, " +
                                    std::to_string(spatialAxes) +
                                    " spatial axes] and a kernel of " +
                                    std::to_string(spatialAxes)),
           Tensor();
  if (o.groups < 1 || x.dim(1) % o.groups || outChannels % o.groups ||
      outChannels < 1)
    return fail(o.name, "Conv", "groups " + std::to_string(o.groups) +
                                    " must divide the input channels " +
                                    std::to_string(x.dim(1)) +
                                    " and the output channels " +
                                    std::to_string(outChannels)),
           Tensor();
  Shape ws{outChannels, x.dim(1) / o.groups};
  ws.insert(ws.end(), kernel.begin(), kernel.end());
  Tensor w = param(o.name + ".weight", ws, o.init);
  Tensor b;
  if (o.bias)
    b = param(o.name + ".bias", {outChannels}, o.biasInit);
  return conv(x, w, b, o);
}

Tensor Graph::conv1d(Tensor x, int64_t outChannels, const Shape &kernel,
                     ConvOptions options) {
  return convolution(x, outChannels, kernel, 1, std::move(options));
}
Tensor Graph::conv2d(Tensor x, int64_t outChannels, const Shape &kernel,
                     ConvOptions options) {
  return convolution(x, outChannels, kernel, 2, std::move(options));
}
Tensor Graph::conv3d(Tensor x, int64_t outChannels, const Shape &kernel,
                     ConvOptions options) {
  return convolution(x, outChannels, kernel, 3, std::move(options));
}

Tensor Graph::convTranspose(Tensor x, int64_t outChannels, const Shape &kernel,
                            ConvTransposeOptions o) {
  std::string name = layerName(o.name, "deconv");
  if (!check({x}))
    return {};
  size_t axes = kernel.size();
  if (axes == 0 || x.rank() != static_cast<int64_t>(axes) + 2)
    return fail(name, "ConvTranspose", "input " + shapeStr(x.shape()) +
                                           " and a " + shapeStr(kernel) +
                                           " kernel: the input must be [N, C, " +
                                           std::to_string(axes) +
                                           " spatial axes]"),
           Tensor();
  Shape strides, dilations, pads, outputPadding;
  if (!expand(o.stride, axes, 1, strides) ||
      !expand(o.dilation, axes, 1, dilations) ||
      !expand(o.outputPadding, axes, 0, outputPadding) ||
      !expandPads(o.pad, axes, pads))
    return fail(name, "ConvTranspose",
                "stride/pad/output padding/dilation do not match the " +
                    std::to_string(axes) + " spatial axes"),
           Tensor();
  if (o.groups < 1 || x.dim(1) % o.groups || outChannels % o.groups ||
      outChannels < 1)
    return fail(name, "ConvTranspose",
                "groups " + std::to_string(o.groups) +
                    " must divide the input channels " +
                    std::to_string(x.dim(1)) + " and the output channels " +
                    std::to_string(outChannels)),
           Tensor();
  Shape ws{x.dim(1), outChannels / o.groups};
  ws.insert(ws.end(), kernel.begin(), kernel.end());
  Tensor w = param(name + ".weight", ws, o.init);
  Node n{"ConvTranspose", name, {x.id, w.id}, {}, {}};
  if (o.bias)
    n.inputs.push_back(param(name + ".bias", {outChannels}, o.biasInit).id);
  if (!ok())
    return {};
  n.attrs["kernel_shape"] = kernel;
  n.attrs["strides"] = strides;
  n.attrs["pads"] = pads;
  n.attrs["dilations"] = dilations;
  n.attrs["output_padding"] = outputPadding;
  n.attrs["group"] = o.groups;
  return addNode1(std::move(n));
}

Tensor Graph::gemm(Tensor a, Tensor b, Tensor c, bool transB,
                   std::string name) {
  name = layerName(name, "gemm");
  if (!check({a, b}) || (c.graph && !check({c})))
    return {};
  Node node{"Gemm", name, {a.id, b.id}, {}, {}};
  if (c.graph)
    node.inputs.push_back(c.id);
  if (transB)
    node.attrs["transB"] = int64_t(1);
  return addNode1(std::move(node));
}

Tensor Graph::dense(Tensor x, int64_t units, DenseOptions o) {
  o.name = layerName(o.name, "dense");
  if (!check({x}))
    return {};
  if (x.rank() != 2)
    return fail(o.name, "Gemm", "input " + shapeStr(x.shape()) +
                                    " must be [N, features] (flatten it)"),
           Tensor();
  if (units < 1)
    return fail(o.name, "Gemm", "units must be positive"), Tensor();
  Tensor w = param(o.name + ".weight", {units, x.dim(1)}, o.init);
  Tensor b;
  if (o.bias)
    b = param(o.name + ".bias", {units}, o.biasInit);
  return gemm(x, w, b, /*transB=*/true, o.name);
}

Tensor Graph::maxout(Tensor x, int64_t units, int64_t pieces, DenseOptions o) {
  o.name = layerName(o.name, "maxout");
  if (!check({x}))
    return {};
  if (pieces < 1 || units < 1)
    return fail(o.name, "maxout", "units and pieces must be positive"),
           Tensor();
  std::string name = o.name;
  o.name = name + ".affine";
  Tensor affine = dense(x, units * pieces, o);
  Tensor grouped = reshape(affine, {0, units, pieces}, name + ".pieces");
  return reduceMax(grouped, {2}, /*keepDims=*/false, name);
}

Tensor Graph::matmul(Tensor a, Tensor b, std::string name) {
  name = layerName(name, "matmul");
  if (!check({a, b}))
    return {};
  return addNode1({"MatMul", name, {a.id, b.id}, {}, {}});
}

Tensor Graph::binary(const std::string &op, Tensor a, Tensor b,
                     std::string name) {
  std::string lower = op;
  for (char &c : lower)
    c = static_cast<char>(std::tolower(c));
  name = layerName(name, lower);
  if (!check({a, b}))
    return {};
  return addNode1({op, name, {a.id, b.id}, {}, {}});
}

Tensor Graph::add(Tensor a, Tensor b, std::string name) {
  return binary("Add", a, b, std::move(name));
}
Tensor Graph::sub(Tensor a, Tensor b, std::string name) {
  return binary("Sub", a, b, std::move(name));
}
Tensor Graph::mul(Tensor a, Tensor b, std::string name) {
  return binary("Mul", a, b, std::move(name));
}
Tensor Graph::prelu(Tensor x, Tensor slope, std::string name) {
  return binary("PRelu", x, slope, std::move(name));
}
Tensor Graph::prelu(Tensor x, Init slope, std::string name) {
  name = layerName(name, "prelu");
  if (!check({x}))
    return {};
  if (x.rank() < 2)
    return fail(name, "PRelu", "input " + shapeStr(x.shape()) +
                                   " has no channel axis"),
           Tensor();
  Shape ss{x.dim(1)};
  ss.resize(x.rank() - 1, 1); // [C, 1, ...]: broadcasts along axis 1.
  Tensor s = param(name + ".slope", ss, slope);
  return binary("PRelu", x, s, name);
}

Tensor Graph::unary(const std::string &op, Tensor x, std::string name,
                    std::map<std::string, Attr> attrs) {
  std::string lower = op;
  for (char &c : lower)
    c = static_cast<char>(std::tolower(c));
  name = layerName(name, lower);
  if (!check({x}))
    return {};
  return addNode1({op, name, {x.id}, std::move(attrs), {}});
}

Tensor Graph::relu(Tensor x, std::string name) {
  return unary("Relu", x, std::move(name));
}
Tensor Graph::tanh(Tensor x, std::string name) {
  return unary("Tanh", x, std::move(name));
}
Tensor Graph::sigmoid(Tensor x, std::string name) {
  return unary("Sigmoid", x, std::move(name));
}
Tensor Graph::leakyRelu(Tensor x, double alpha, std::string name) {
  return unary("LeakyRelu", x, std::move(name), {{"alpha", alpha}});
}
Tensor Graph::elu(Tensor x, double alpha, std::string name) {
  return unary("Elu", x, std::move(name), {{"alpha", alpha}});
}
Tensor Graph::clip(Tensor x, double low, double high, std::string name) {
  name = layerName(name, "clip");
  if (!check({x}))
    return {};
  if (low > high)
    return fail(name, "Clip", "low " + std::to_string(low) +
                                  " is above high " + std::to_string(high)),
           Tensor();
  Tensor lo = constant(name + ".min", {}, std::vector<float>{float(low)});
  Tensor hi = constant(name + ".max", {}, std::vector<float>{float(high)});
  if (!ok())
    return {};
  return addNode1({"Clip", name, {x.id, lo.id, hi.id}, {}, {}});
}
Tensor Graph::dropout(Tensor x, double ratio, std::string name) {
  name = layerName(name, "dropout");
  if (ratio < 0 || ratio >= 1)
    return fail(name, "Dropout", "ratio must be in [0, 1)"), Tensor();
  if (!check({x}))
    return {};
  Tensor r = constant(name + ".ratio", {}, std::vector<float>{float(ratio)});
  if (!ok())
    return {};
  return addNode1({"Dropout", name, {x.id, r.id}, {}, {}});
}
Tensor Graph::softmax(Tensor x, int64_t axis, std::string name) {
  return unary("Softmax", x, std::move(name), {{"axis", axis}});
}

Tensor Graph::batchNorm(Tensor x, BatchNormOptions o) {
  o.name = layerName(o.name, "bn");
  if (!check({x}))
    return {};
  if (x.rank() < 2)
    return fail(o.name, "BatchNormalization",
                "input " + shapeStr(x.shape()) + " has no channel axis"),
           Tensor();
  Shape c{x.dim(1)};
  Tensor scale = param(o.name + ".scale", c, o.scale);
  Tensor bias = param(o.name + ".bias", c, o.bias);
  Tensor mean = param(o.name + ".mean", c, o.mean);
  Tensor var = param(o.name + ".var", c, o.variance);
  if (!check({scale, bias, mean, var}))
    return {};
  return addNode1({"BatchNormalization",
                   o.name,
                   {x.id, scale.id, bias.id, mean.id, var.id},
                   {{"epsilon", o.epsilon}},
                   {}});
}

Graph::Node Graph::poolNode(const std::string &op, Tensor x,
                            const Shape &kernel, const Shape &stride,
                            const PoolOptions &o, std::string &name) {
  size_t axes = kernel.size();
  Shape strides, pads;
  if (!expand(stride.empty() ? kernel : stride, axes, 1, strides) ||
      !expandPads(o.pad, axes, pads)) {
    fail(name, op, "stride/pad do not match the " + std::to_string(axes) +
                       " spatial axes of the " + shapeStr(kernel) + " window");
    return {};
  }
  Node n{op, name, {x.id}, {}, {}};
  n.attrs["kernel_shape"] = kernel;
  n.attrs["strides"] = strides;
  n.attrs["pads"] = pads;
  if (o.ceilMode)
    n.attrs["ceil_mode"] = int64_t(1);
  if (op == "AveragePool" && o.countIncludePad)
    n.attrs["count_include_pad"] = int64_t(1);
  return n;
}

Tensor Graph::maxPool(Tensor x, const Shape &kernel, const Shape &stride,
                      PoolOptions o) {
  std::string name = layerName(o.name, "pool");
  if (!check({x}))
    return {};
  Node n = poolNode("MaxPool", x, kernel, stride, o, name);
  return ok() ? addNode1(std::move(n)) : Tensor();
}
Tensor Graph::avgPool(Tensor x, const Shape &kernel, const Shape &stride,
                      PoolOptions o) {
  std::string name = layerName(o.name, "pool");
  if (!check({x}))
    return {};
  Node n = poolNode("AveragePool", x, kernel, stride, o, name);
  return ok() ? addNode1(std::move(n)) : Tensor();
}

std::pair<Tensor, Tensor> Graph::maxPoolWithIndices(Tensor x,
                                                    const Shape &kernel,
                                                    const Shape &stride,
                                                    PoolOptions o) {
  std::string name = layerName(o.name, "pool");
  if (!check({x}))
    return {};
  Node n = poolNode("MaxPool", x, kernel, stride, o, name);
  if (!ok())
    return {};
  std::vector<Tensor> r = addNode(std::move(n), {"indices"});
  if (r.size() != 2)
    return {};
  return {r[0], r[1]};
}

Tensor Graph::maxUnpool(Tensor x, Tensor indices, const Shape &kernel,
                        const Shape &stride, const Shape &outputShape,
                        PoolOptions o) {
  std::string name = layerName(o.name, "unpool");
  if (!check({x, indices}))
    return {};
  Node n = poolNode("MaxUnpool", x, kernel, stride, o, name);
  if (!ok())
    return {};
  n.attrs.erase("ceil_mode");
  n.inputs.push_back(indices.id);
  if (!outputShape.empty()) {
    Tensor s = constant(name + ".output_shape",
                        {static_cast<int64_t>(outputShape.size())},
                        std::vector<int64_t>(outputShape));
    if (!ok())
      return {};
    n.inputs.push_back(s.id);
  }
  return addNode1(std::move(n));
}

Tensor Graph::globalAvgPool(Tensor x, std::string name) {
  return unary("GlobalAveragePool", x, layerName(name, "gap"));
}
Tensor Graph::globalMaxPool(Tensor x, std::string name) {
  return unary("GlobalMaxPool", x, layerName(name, "gmp"));
}

Tensor Graph::lrn(Tensor x, int64_t size, LrnOptions o) {
  return unary("LRN", x, layerName(o.name, "lrn"),
               {{"size", size},
                {"alpha", o.alpha},
                {"beta", o.beta},
                {"bias", o.bias}});
}

Tensor Graph::concat(const std::vector<Tensor> &values, int64_t axis,
                     std::string name) {
  name = layerName(name, "concat");
  if (!ok())
    return {};
  if (values.empty())
    return fail(name, "Concat", "needs at least one input"), Tensor();
  Node n{"Concat", name, {}, {{"axis", axis}}, {}};
  for (const Tensor &t : values) {
    if (!check({t}))
      return {};
    n.inputs.push_back(t.id);
  }
  return addNode1(std::move(n));
}

Tensor Graph::reshape(Tensor x, const Shape &shape, std::string name) {
  name = layerName(name, "reshape");
  if (!check({x}))
    return {};
  Tensor s = constant(name + ".shape", {static_cast<int64_t>(shape.size())},
                      std::vector<int64_t>(shape));
  if (!ok())
    return {};
  return addNode1({"Reshape", name, {x.id, s.id}, {}, {}});
}

Tensor Graph::flatten(Tensor x, int64_t axis, std::string name) {
  return unary("Flatten", x, layerName(name, "flatten"), {{"axis", axis}});
}

Tensor Graph::transpose(Tensor x, const Shape &perm, std::string name) {
  return unary("Transpose", x, layerName(name, "transpose"), {{"perm", perm}});
}

Tensor Graph::slice(Tensor x, const Shape &starts, const Shape &ends,
                    const Shape &axes, const Shape &steps, std::string name) {
  name = layerName(name, "slice");
  if (!check({x}))
    return {};
  auto list = [&](const char *what, const Shape &v) {
    return constant(name + "." + what, {static_cast<int64_t>(v.size())},
                    std::vector<int64_t>(v));
  };
  Node n{"Slice", name, {x.id}, {}, {}};
  n.inputs.push_back(list("starts", starts).id);
  n.inputs.push_back(list("ends", ends).id);
  n.inputs.push_back(list("axes", axes).id);
  if (!steps.empty())
    n.inputs.push_back(list("steps", steps).id);
  if (!ok())
    return {};
  return addNode1(std::move(n));
}

Tensor Graph::reduce(const std::string &op, Tensor x, const Shape &axes,
                     bool keepDims, std::string name) {
  return unary(op, x, std::move(name),
               {{"axes", axes}, {"keepdims", int64_t(keepDims)}});
}
Tensor Graph::reduceMax(Tensor x, const Shape &axes, bool keepDims,
                        std::string name) {
  return reduce("ReduceMax", x, axes, keepDims, std::move(name));
}
Tensor Graph::reduceMean(Tensor x, const Shape &axes, bool keepDims,
                         std::string name) {
  return reduce("ReduceMean", x, axes, keepDims, std::move(name));
}

Tensor Graph::resize(Tensor x, const std::vector<double> &scales,
                     ResizeOptions o) {
  std::string name = layerName(o.name, "resize");
  if (!check({x}))
    return {};
  std::vector<float> values(scales.begin(), scales.end());
  Tensor s = constant(name + ".scales", {static_cast<int64_t>(values.size())},
                      std::move(values));
  if (!ok())
    return {};
  return addNode1({"Resize",
                   name,
                   {x.id, -1, s.id},
                   {{"mode", o.mode},
                    {"coordinate_transformation_mode",
                     o.coordinateTransformation},
                    {"nearest_mode", o.nearestMode}},
                   {}});
}

std::vector<Tensor> Graph::op(const std::string &onnxOp,
                              const std::vector<Tensor> &inputs,
                              std::map<std::string, Attr> attrs, int results,
                              std::string name) {
  std::string lower = onnxOp;
  for (char &c : lower)
    c = static_cast<char>(std::tolower(c));
  name = layerName(name, lower);
  if (!ok())
    return {};
  if (results < 1)
    return fail(name, onnxOp, "needs at least one result"),
           std::vector<Tensor>();
  Node n{onnxOp, name, {}, std::move(attrs), {}};
  for (const Tensor &t : inputs) {
    if (t.graph == nullptr) {
      n.inputs.push_back(-1); // An omitted optional input.
      continue;
    }
    if (!check({t}))
      return {};
    n.inputs.push_back(t.id);
  }
  std::vector<std::string> suffixes;
  for (int i = 1; i < results; ++i)
    suffixes.push_back(std::to_string(i));
  return addNode(std::move(n), suffixes);
}

RecurrentResult Graph::recurrent(const std::string &op, Tensor x,
                                 int64_t hidden, RecurrentOptions o) {
  std::string lower = op;
  for (char &c : lower)
    c = static_cast<char>(std::tolower(c));
  std::string name = layerName(o.name, lower);
  if (!check({x}))
    return {};
  if (x.rank() != 3 || hidden < 1)
    return fail(name, op, "input " + shapeStr(x.shape()) +
                              " must be [seq, batch, features] and hidden "
                              "positive"),
           RecurrentResult();
  int64_t directions = o.direction == "bidirectional" ? 2 : 1;
  int64_t gates = op == "LSTM" ? 4 : op == "GRU" ? 3 : 1;
  double limit = 1.0 / std::sqrt(static_cast<double>(hidden));
  Init init = o.init.value_or(Init::Uniform(-limit, limit));
  Tensor w = param(name + ".W", {directions, gates * hidden, x.dim(2)}, init);
  Tensor r = param(name + ".R", {directions, gates * hidden, hidden}, init);
  Tensor b = param(name + ".B", {directions, 2 * gates * hidden}, init);
  if (!ok())
    return {};
  Node n{op, name, {x.id, w.id, r.id, b.id}, {}, {}};
  n.attrs["hidden_size"] = hidden;
  n.attrs["direction"] = o.direction;
  if (!o.activations.empty())
    n.attrs["activations"] = o.activations;
  if (op == "GRU" && o.linearBeforeReset)
    n.attrs["linear_before_reset"] = int64_t(1);
  std::vector<std::string> suffixes{"h"};
  if (op == "LSTM")
    suffixes.push_back("c");
  std::vector<Tensor> results = addNode(std::move(n), suffixes);
  if (results.size() != suffixes.size() + 1)
    return {};
  return {results[0], results[1], op == "LSTM" ? results[2] : Tensor()};
}

RecurrentResult Graph::rnn(Tensor x, int64_t hidden, RecurrentOptions o) {
  return recurrent("RNN", x, hidden, std::move(o));
}
RecurrentResult Graph::lstm(Tensor x, int64_t hidden, RecurrentOptions o) {
  return recurrent("LSTM", x, hidden, std::move(o));
}
RecurrentResult Graph::gru(Tensor x, int64_t hidden, RecurrentOptions o) {
  return recurrent("GRU", x, hidden, std::move(o));
}

//===----------------------------------------------------------------------===//
// ONNX and the nn module
//===----------------------------------------------------------------------===//

namespace {

void setValueInfo(onnx::ValueInfoProto *info, const std::string &name,
                  const Graph::Value &v) {
  info->set_name(name);
  auto *tt = info->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(v.isInt64 ? onnx::TensorProto::INT64
                              : onnx::TensorProto::FLOAT);
  auto *s = tt->mutable_shape();
  for (int64_t d : v.shape)
    s->add_dim()->set_dim_value(d);
}

llvm::Error makeError(const std::string &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

} // namespace

/// The records as a ModelProto.
static llvm::Error
fillModel(const std::string &graphName, const std::vector<Graph::Value> &values,
          const std::vector<Graph::Node> &nodes,
          const std::vector<std::pair<std::string, int>> &outputs,
          onnx::ModelProto &model) {
  if (outputs.empty())
    return makeError("graph '" + graphName + "' has no outputs");
  model.set_ir_version(8);
  model.set_producer_name("kiln-builder");
  auto *opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(Graph::kOnnxOpset);
  onnx::GraphProto *g = model.mutable_graph();
  g->set_name(graphName);
  for (const Graph::Value &v : values) {
    if (v.kind == Graph::Value::Kind::Input)
      setValueInfo(g->add_input(), v.name, v);
    if (v.kind != Graph::Value::Kind::Param &&
        v.kind != Graph::Value::Kind::Constant)
      continue;
    auto *t = g->add_initializer();
    t->set_name(v.name);
    for (int64_t d : v.shape)
      t->add_dims(d);
    if (v.isInt64) {
      t->set_data_type(onnx::TensorProto::INT64);
      t->set_raw_data(std::string(reinterpret_cast<const char *>(v.ints.data()),
                                  v.ints.size() * sizeof(int64_t)));
    } else {
      t->set_data_type(onnx::TensorProto::FLOAT);
      t->set_raw_data(std::string(reinterpret_cast<const char *>(v.data.data()),
                                  v.data.size() * sizeof(float)));
    }
  }
  for (const Graph::Node &n : nodes) {
    std::vector<std::string> resultNames;
    for (int id : n.results)
      resultNames.push_back(values[id].name);
    toNodeProto(n, values, resultNames, g->add_node());
  }
  for (auto &[name, id] : outputs) {
    const Graph::Value &v = values[id];
    setValueInfo(g->add_output(), name, v);
    if (name == v.name)
      continue;
    // The output's name differs from the value's: an Identity renames it.
    auto *node = g->add_node();
    node->set_name(name + ".identity");
    node->set_op_type("Identity");
    node->add_input(v.name);
    node->add_output(name);
  }
  return llvm::Error::success();
}

llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
Graph::tryBuild(mlir::MLIRContext &context, llvm::StringRef entry) {
  if (!ok())
    return makeError(errorMessage);
  onnx::ModelProto model;
  if (llvm::Error e = fillModel(graphName, valueList, nodeList, outputList,
                                model))
    return std::move(e);
  onnx_frontend::ImportOptions options;
  options.entry = entry.str();
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::string message = firstError(context, [&] {
    module = onnx_frontend::importOnnxModel(context, model, graphName, options);
    return mlir::success(module && mlir::succeeded(mlir::verify(*module)));
  });
  if (!message.empty())
    return makeError("graph '" + graphName + "': " + message);
  return module;
}

mlir::OwningOpRef<mlir::ModuleOp> Graph::build(mlir::MLIRContext &context,
                                               llvm::StringRef entry) {
  auto module = tryBuild(context, entry);
  if (!module) {
    std::string message = llvm::toString(module.takeError());
    mlir::emitError(mlir::FileLineColLoc::get(&context, graphName, 0, 0))
        << message;
    return {};
  }
  return std::move(*module);
}

llvm::Expected<std::string> Graph::onnxBytes() const {
  if (!ok())
    return makeError(errorMessage);
  onnx::ModelProto model;
  if (llvm::Error e = fillModel(graphName, valueList, nodeList, outputList,
                                model))
    return std::move(e);
  std::string bytes;
  if (!model.SerializeToString(&bytes))
    return makeError("graph '" + graphName +
                     "': the ModelProto does not serialize (over 2 GB?)");
  return bytes;
}

llvm::Error Graph::exportOnnx(const std::string &path) const {
  auto bytes = onnxBytes();
  if (!bytes)
    return bytes.takeError();
  std::ofstream out(path, std::ios::binary);
  out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  out.close();
  if (!out)
    return makeError("cannot write " + path);
  return llvm::Error::success();
}

} // namespace kiln
