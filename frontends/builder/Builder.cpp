//===- Builder.cpp - The C++ network DSL ----------------------------------===//
//
// Layers are recorded (ONNX op type, inputs, attributes, parameter values)
// with their result shapes checked here; build() turns the records into nn
// ops through the ops' own shape inference, exportOnnx() into NodeProtos.
//
//===----------------------------------------------------------------------===//
#include "kiln/Builder.h"

#include "compiler/ir/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
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

Graph::Graph(std::string name, uint64_t seed)
    : graphName(std::move(name)), rng(static_cast<std::mt19937::result_type>(seed)) {}

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

int Graph::addValue(Value value) {
  namesUsed[value.name]++;
  valueList.push_back(std::move(value));
  return static_cast<int>(valueList.size()) - 1;
}

Tensor Graph::addNode(Node node, Shape resultShape) {
  if (namesUsed.count(node.name)) {
    fail(node.name, node.op, "the name is already used in the graph");
    return {};
  }
  Value v{Value::Kind::Result, node.name, std::move(resultShape), {},
          static_cast<int>(nodeList.size())};
  node.result = addValue(std::move(v));
  nodeList.push_back(std::move(node));
  return Tensor(this, nodeList.back().result);
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
  return Tensor(this, addValue({Value::Kind::Input, name, shape, {}, -1}));
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
                                std::move(values), -1}));
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
  const Shape &xs = x.shape(), &ws = filter.shape();
  if (xs.size() < 3)
    return fail(name, "Conv", "input " + shapeStr(xs) +
                                  " must be [N, C, spatial...]"),
           Tensor();
  size_t axes = xs.size() - 2;
  if (ws.size() != xs.size())
    return fail(name, "Conv", "filter " + shapeStr(ws) + " must have rank " +
                                  std::to_string(xs.size())),
           Tensor();
  Shape strides, dilations, pads;
  if (!expand(o.stride, axes, 1, strides) ||
      !expand(o.dilation, axes, 1, dilations) || !expandPads(o.pad, axes, pads))
    return fail(name, "Conv", "stride/pad/dilation do not match the " +
                                  std::to_string(axes) + " spatial axes"),
           Tensor();
  if (o.groups < 1 || xs[1] % o.groups || ws[0] % o.groups)
    return fail(name, "Conv", "groups " + std::to_string(o.groups) +
                                  " must divide the input channels " +
                                  std::to_string(xs[1]) +
                                  " and the output channels " +
                                  std::to_string(ws[0])),
           Tensor();
  if (ws[1] * o.groups != xs[1])
    return fail(name, "Conv", "input " + shapeStr(xs) + " has " +
                                  std::to_string(xs[1]) +
                                  " channels, the filter " + shapeStr(ws) +
                                  " expects " +
                                  std::to_string(ws[1] * o.groups)),
           Tensor();
  if (bias.graph && bias.shape() != Shape{ws[0]})
    return fail(name, "Conv", "bias " + shapeStr(bias.shape()) +
                                  " must be [" + std::to_string(ws[0]) + "]"),
           Tensor();
  Shape out{xs[0], ws[0]};
  Shape kernel(ws.begin() + 2, ws.end());
  for (size_t i = 0; i < axes; ++i) {
    int64_t span = dilations[i] * (kernel[i] - 1) + 1;
    int64_t padded = xs[2 + i] + pads[i] + pads[axes + i];
    if (strides[i] < 1 || dilations[i] < 1 || padded < span)
      return fail(name, "Conv", "the " + shapeStr(kernel) +
                                    " kernel does not fit the input " +
                                    shapeStr(xs) + " (padded " +
                                    std::to_string(padded) + " on axis " +
                                    std::to_string(2 + i) + ")"),
             Tensor();
    out.push_back((padded - span) / strides[i] + 1);
  }
  Node n{"Conv", name, {x.id, filter.id}, {}, -1};
  if (bias.graph)
    n.inputs.push_back(bias.id);
  n.attrs["kernel_shape"] = kernel;
  n.attrs["strides"] = strides;
  n.attrs["pads"] = pads;
  n.attrs["dilations"] = dilations;
  n.attrs["group"] = o.groups;
  return addNode(std::move(n), out);
}

Tensor Graph::conv2d(Tensor x, int64_t outChannels, const Shape &kernel,
                     ConvOptions o) {
  o.name = layerName(o.name, "conv");
  if (!check({x}))
    return {};
  if (x.rank() != static_cast<int64_t>(kernel.size()) + 2)
    return fail(o.name, "Conv", "input " + shapeStr(x.shape()) + " and a " +
                                    shapeStr(kernel) +
                                    " kernel: the input must be [N, C, " +
                                    std::to_string(kernel.size()) +
                                    " spatial axes]"),
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

Tensor Graph::gemm(Tensor a, Tensor b, Tensor c, bool transB,
                   std::string name) {
  name = layerName(name, "gemm");
  if (!check({a, b}) || (c.graph && !check({c})))
    return {};
  const Shape &as = a.shape(), &bs = b.shape();
  if (as.size() != 2 || bs.size() != 2)
    return fail(name, "Gemm", "operands " + shapeStr(as) + " and " +
                                  shapeStr(bs) + " must be matrices"),
           Tensor();
  int64_t k = transB ? bs[1] : bs[0], n = transB ? bs[0] : bs[1];
  if (as[1] != k)
    return fail(name, "Gemm", "input " + shapeStr(as) + " has " +
                                  std::to_string(as[1]) +
                                  " features, the weight " + shapeStr(bs) +
                                  " expects " + std::to_string(k)),
           Tensor();
  if (c.graph && c.shape() != Shape{n} && c.shape() != Shape{as[0], n} &&
      c.shape() != Shape{1, n})
    return fail(name, "Gemm", "bias " + shapeStr(c.shape()) +
                                  " does not broadcast to [" +
                                  std::to_string(as[0]) + ", " +
                                  std::to_string(n) + "]"),
           Tensor();
  Node node{"Gemm", name, {a.id, b.id}, {}, -1};
  if (c.graph)
    node.inputs.push_back(c.id);
  if (transB)
    node.attrs["transB"] = int64_t(1);
  return addNode(std::move(node), {as[0], n});
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

Tensor Graph::matmul(Tensor a, Tensor b, std::string name) {
  name = layerName(name, "matmul");
  if (!check({a, b}))
    return {};
  const Shape &as = a.shape(), &bs = b.shape();
  if (as.size() < 2 || bs.size() < 2 || as.back() != bs[bs.size() - 2])
    return fail(name, "MatMul", "operands " + shapeStr(as) + " and " +
                                    shapeStr(bs) + " do not multiply"),
           Tensor();
  // Batch dimensions broadcast.
  Shape ab(as.begin(), as.end() - 2), bb(bs.begin(), bs.end() - 2), out;
  size_t r = std::max(ab.size(), bb.size());
  for (size_t i = 0; i < r; ++i) {
    int64_t da = i < r - ab.size() ? 1 : ab[i - (r - ab.size())];
    int64_t db = i < r - bb.size() ? 1 : bb[i - (r - bb.size())];
    if (da != db && da != 1 && db != 1)
      return fail(name, "MatMul", "batch dimensions of " + shapeStr(as) +
                                      " and " + shapeStr(bs) +
                                      " do not broadcast"),
             Tensor();
    out.push_back(da == 1 ? db : da);
  }
  out.push_back(as[as.size() - 2]);
  out.push_back(bs.back());
  return addNode({"MatMul", name, {a.id, b.id}, {}, -1}, out);
}

Tensor Graph::binary(const std::string &op, Tensor a, Tensor b,
                     std::string name) {
  std::string lower = op;
  for (char &c : lower)
    c = static_cast<char>(std::tolower(c));
  name = layerName(name, lower);
  if (!check({a, b}))
    return {};
  const Shape &as = a.shape(), &bs = b.shape();
  size_t r = std::max(as.size(), bs.size());
  Shape out;
  for (size_t i = 0; i < r; ++i) {
    int64_t da = i < r - as.size() ? 1 : as[i - (r - as.size())];
    int64_t db = i < r - bs.size() ? 1 : bs[i - (r - bs.size())];
    if (da != db && da != 1 && db != 1)
      return fail(name, op, "shapes " + shapeStr(as) + " and " + shapeStr(bs) +
                                " do not broadcast"),
             Tensor();
    out.push_back(da == 1 ? db : da);
  }
  if (op == "PRelu" && out != as)
    return fail(name, op, "the slope " + shapeStr(bs) +
                              " must broadcast to the input " + shapeStr(as)),
           Tensor();
  return addNode({op, name, {a.id, b.id}, {}, -1}, out);
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
  return addNode({op, name, {x.id}, std::move(attrs), -1}, x.shape());
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
Tensor Graph::dropout(Tensor x, double ratio, std::string name) {
  if (ratio < 0 || ratio >= 1) {
    fail(layerName(name, "dropout"), "Dropout", "ratio must be in [0, 1)");
    return {};
  }
  return unary("Dropout", x, std::move(name));
}
Tensor Graph::softmax(Tensor x, int64_t axis, std::string name) {
  if (x.valid() && axis < 0)
    axis += x.rank();
  if (x.valid() && (axis < 0 || axis >= x.rank())) {
    fail(layerName(name, "softmax"), "Softmax",
         "axis out of range for " + shapeStr(x.shape()));
    return {};
  }
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
  return addNode({"BatchNormalization",
                  o.name,
                  {x.id, scale.id, bias.id, mean.id, var.id},
                  {{"epsilon", o.epsilon}},
                  -1},
                 x.shape());
}

Tensor Graph::pool(const std::string &op, Tensor x, const Shape &kernel,
                   const Shape &stride, PoolOptions o) {
  std::string name = layerName(o.name, "pool");
  if (!check({x}))
    return {};
  const Shape &xs = x.shape();
  size_t axes = kernel.size();
  if (xs.size() != axes + 2)
    return fail(name, op, "input " + shapeStr(xs) + " and a " +
                              shapeStr(kernel) +
                              " window: the input must be [N, C, " +
                              std::to_string(axes) + " spatial axes]"),
           Tensor();
  Shape strides, pads;
  if (!expand(stride.empty() ? kernel : stride, axes, 1, strides) ||
      !expandPads(o.pad, axes, pads))
    return fail(name, op, "stride/pad do not match the " +
                              std::to_string(axes) + " spatial axes"),
           Tensor();
  Shape out{xs[0], xs[1]};
  for (size_t i = 0; i < axes; ++i) {
    int64_t padded = xs[2 + i] + pads[i] + pads[axes + i];
    if (kernel[i] < 1 || strides[i] < 1 || padded < kernel[i])
      return fail(name, op, "the " + shapeStr(kernel) +
                                " window does not fit the input " +
                                shapeStr(xs)),
             Tensor();
    int64_t span = padded - kernel[i];
    int64_t n = (o.ceilMode ? (span + strides[i] - 1) / strides[i]
                            : span / strides[i]) +
                1;
    // ONNX: the last window must start inside the input or left padding.
    if (o.ceilMode && (n - 1) * strides[i] >= xs[2 + i] + pads[i])
      --n;
    out.push_back(n);
  }
  Node n{op, name, {x.id}, {}, -1};
  n.attrs["kernel_shape"] = kernel;
  n.attrs["strides"] = strides;
  n.attrs["pads"] = pads;
  if (o.ceilMode)
    n.attrs["ceil_mode"] = int64_t(1);
  if (op == "AveragePool" && o.countIncludePad)
    n.attrs["count_include_pad"] = int64_t(1);
  return addNode(std::move(n), out);
}

Tensor Graph::maxPool(Tensor x, const Shape &kernel, const Shape &stride,
                      PoolOptions options) {
  return pool("MaxPool", x, kernel, stride, std::move(options));
}
Tensor Graph::avgPool(Tensor x, const Shape &kernel, const Shape &stride,
                      PoolOptions options) {
  return pool("AveragePool", x, kernel, stride, std::move(options));
}

Tensor Graph::globalAvgPool(Tensor x, std::string name) {
  name = layerName(name, "gap");
  if (!check({x}))
    return {};
  if (x.rank() < 3)
    return fail(name, "GlobalAveragePool",
                "input " + shapeStr(x.shape()) + " must be [N, C, spatial...]"),
           Tensor();
  Shape out = x.shape();
  std::fill(out.begin() + 2, out.end(), 1);
  return addNode({"GlobalAveragePool", name, {x.id}, {}, -1}, out);
}

Tensor Graph::lrn(Tensor x, int64_t size, LrnOptions o) {
  o.name = layerName(o.name, "lrn");
  if (!check({x}))
    return {};
  if (size < 1 || x.rank() < 3)
    return fail(o.name, "LRN", "needs size >= 1 and an [N, C, spatial...] "
                               "input, got " + shapeStr(x.shape())),
           Tensor();
  return addNode({"LRN",
                  o.name,
                  {x.id},
                  {{"size", size},
                   {"alpha", o.alpha},
                   {"beta", o.beta},
                   {"bias", o.bias}},
                  -1},
                 x.shape());
}

Tensor Graph::concat(const std::vector<Tensor> &values, int64_t axis,
                     std::string name) {
  name = layerName(name, "concat");
  if (!ok())
    return {};
  if (values.empty())
    return fail(name, "Concat", "needs at least one input"), Tensor();
  for (const Tensor &t : values)
    if (!check({t}))
      return {};
  Shape out = values[0].shape();
  int64_t rank = static_cast<int64_t>(out.size());
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return fail(name, "Concat", "axis out of range for " + shapeStr(out)),
           Tensor();
  Node n{"Concat", name, {values[0].id}, {{"axis", axis}}, -1};
  for (size_t i = 1; i < values.size(); ++i) {
    const Shape &s = values[i].shape();
    bool same = static_cast<int64_t>(s.size()) == rank;
    for (int64_t d = 0; same && d < rank; ++d)
      same = d == axis || s[d] == out[d];
    if (!same)
      return fail(name, "Concat", "input " + std::to_string(i) + " " +
                                      shapeStr(s) + " does not match " +
                                      shapeStr(values[0].shape()) +
                                      " off axis " + std::to_string(axis)),
             Tensor();
    out[axis] += s[axis];
    n.inputs.push_back(values[i].id);
  }
  return addNode(std::move(n), out);
}

Tensor Graph::reshape(Tensor x, const Shape &shape, std::string name) {
  name = layerName(name, "reshape");
  if (!check({x}))
    return {};
  Shape out = shape;
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 0) {
      if (i >= x.shape().size())
        return fail(name, "Reshape", "0 at axis " + std::to_string(i) +
                                         " but the input " +
                                         shapeStr(x.shape()) + " has no such axis"),
               Tensor();
      out[i] = x.shape()[i];
    }
    if (out[i] == -1) {
      if (infer >= 0)
        return fail(name, "Reshape", "more than one -1 in " + shapeStr(shape)),
               Tensor();
      infer = static_cast<int64_t>(i);
    } else if (out[i] < 1) {
      return fail(name, "Reshape", "bad dimension in " + shapeStr(shape)),
             Tensor();
    } else {
      known *= out[i];
    }
  }
  int64_t total = product(x.shape());
  if (infer >= 0) {
    if (total % known)
      return fail(name, "Reshape", "cannot reshape " + shapeStr(x.shape()) +
                                       " to " + shapeStr(shape)),
             Tensor();
    out[infer] = total / known;
  } else if (known != total) {
    return fail(name, "Reshape", "cannot reshape " + shapeStr(x.shape()) +
                                     " (" + std::to_string(total) +
                                     " elements) to " + shapeStr(shape)),
           Tensor();
  }
  return addNode({"Reshape", name, {x.id}, {{"shape", out}}, -1}, out);
}

Tensor Graph::flatten(Tensor x, int64_t axis, std::string name) {
  name = layerName(name, "flatten");
  if (!check({x}))
    return {};
  if (axis < 0)
    axis += x.rank();
  if (axis < 0 || axis > x.rank())
    return fail(name, "Flatten", "axis out of range for " +
                                     shapeStr(x.shape())),
           Tensor();
  Shape out{product(x.shape(), 0, axis), product(x.shape(), axis)};
  return addNode({"Flatten", name, {x.id}, {{"axis", axis}}, -1}, out);
}

//===----------------------------------------------------------------------===//
// nn module
//===----------------------------------------------------------------------===//

namespace {

using namespace mlir;

/// Builds nn ops for the records; ops get their result types from their
/// own shape inference, and a failure is reported with the layer's name.
struct ModuleBuilder {
  OpBuilder &b;
  std::string &error;
  std::string graph;

  template <typename OpTy, typename... Args>
  FailureOr<Value> create(const Graph::Node &node, Location loc,
                          Args &&...args) {
    OperationState state(loc, OpTy::getOperationName());
    OpTy::build(b, state, TypeRange{}, std::forward<Args>(args)...);
    SmallVector<Type> types;
    std::string message;
    LogicalResult inferred = failure();
    {
      ScopedDiagnosticHandler capture(b.getContext(), [&](Diagnostic &diag) {
        message = diag.str();
        return success();
      });
      inferred = OpTy::inferReturnTypes(
          b.getContext(), loc, state.operands,
          state.attributes.getDictionary(b.getContext()),
          state.getRawProperties(), state.regions, types);
    }
    if (failed(inferred)) {
      error = "graph '" + graph + "': layer '" + node.name + "' (" + node.op +
              "): " + message;
      return failure();
    }
    state.addTypes(types);
    return b.create(state)->getResult(0);
  }
};

const Shape &ints(const Graph::Node &n, const char *key) {
  return std::get<Shape>(n.attrs.at(key));
}
int64_t intOr(const Graph::Node &n, const char *key, int64_t dflt) {
  auto it = n.attrs.find(key);
  return it == n.attrs.end() ? dflt : std::get<int64_t>(it->second);
}
/// Float attributes as ONNX stores them (float32), so that both models
/// compute the same function.
double floatOr(const Graph::Node &n, const char *key, double dflt) {
  auto it = n.attrs.find(key);
  double v = it == n.attrs.end() ? dflt : std::get<double>(it->second);
  return static_cast<double>(static_cast<float>(v));
}

} // namespace

llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
Graph::tryBuild(mlir::MLIRContext &context, llvm::StringRef entry) {
  using namespace mlir;
  auto err = [](const std::string &m) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), m);
  };
  if (!ok())
    return err(errorMessage);
  if (outputList.empty())
    return err("graph '" + graphName + "' has no outputs");
  context.loadDialect<func::FuncDialect, nn::NNDialect>();
  OpBuilder b(&context);
  Location fileLoc = FileLineColLoc::get(&context, graphName, 0, 0);
  auto loc = [&](const std::string &name) -> Location {
    return NameLoc::get(b.getStringAttr(name), fileLoc);
  };
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  b.setInsertionPointToEnd(module->getBody());
  Type f32 = b.getF32Type();
  auto tensorType = [&](const Shape &s) { return RankedTensorType::get(s, f32); };

  SmallVector<Type> argTypes;
  SmallVector<int> inputIds;
  for (auto [i, v] : llvm::enumerate(valueList))
    if (v.kind == Value::Kind::Input) {
      argTypes.push_back(tensorType(v.shape));
      inputIds.push_back(static_cast<int>(i));
    }
  auto func = func::FuncOp::create(b, fileLoc, entry,
                                   b.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToStart(body);
  std::vector<mlir::Value> ssa(valueList.size());
  for (auto [i, id] : llvm::enumerate(inputIds)) {
    ssa[id] = body->getArgument(i);
    func.setArgAttr(i, "kiln.name", b.getStringAttr(valueList[id].name));
    func.setArgAttr(i, "bufferization.writable", b.getBoolAttr(false));
  }
  for (auto [i, v] : llvm::enumerate(valueList))
    if (v.kind == Value::Kind::Param) {
      auto attr = DenseElementsAttr::get(tensorType(v.shape),
                                         llvm::ArrayRef<float>(v.data));
      ssa[i] = nn::ConstantOp::create(b, loc(v.name), attr);
    }

  std::string error;
  ModuleBuilder mb{b, error, graphName};
  for (const Node &n : nodeList) {
    Location l = loc(n.name);
    auto in = [&](size_t k) {
      return k < n.inputs.size() ? ssa[n.inputs[k]] : mlir::Value();
    };
    FailureOr<mlir::Value> r = failure();
    const std::string &op = n.op;
    if (op == "Conv") {
      r = mb.create<nn::ConvOp>(
          n, l, in(0), in(1), in(2), b.getDenseI64ArrayAttr(ints(n, "strides")),
          b.getDenseI64ArrayAttr(ints(n, "pads")),
          b.getDenseI64ArrayAttr(ints(n, "dilations")),
          b.getI64IntegerAttr(intOr(n, "group", 1)));
    } else if (op == "Gemm") {
      r = mb.create<nn::GemmOp>(n, l, in(0), in(1), in(2),
                                b.getF64FloatAttr(1.0), b.getF64FloatAttr(1.0),
                                b.getBoolAttr(false),
                                b.getBoolAttr(intOr(n, "transB", 0) != 0));
    } else if (op == "MatMul") {
      r = mb.create<nn::MatMulOp>(n, l, in(0), in(1));
    } else if (op == "MaxPool" || op == "AveragePool") {
      const Shape &k = ints(n, "kernel_shape");
      auto kernel = b.getDenseI64ArrayAttr(k);
      auto strides = b.getDenseI64ArrayAttr(ints(n, "strides"));
      auto pads = b.getDenseI64ArrayAttr(ints(n, "pads"));
      auto dil = b.getDenseI64ArrayAttr(Shape(k.size(), 1));
      auto ceil = b.getBoolAttr(intOr(n, "ceil_mode", 0) != 0);
      if (op == "MaxPool")
        r = mb.create<nn::MaxPoolOp>(n, l, in(0), kernel, strides, pads, dil,
                                     ceil);
      else
        r = mb.create<nn::AvgPoolOp>(
            n, l, in(0), kernel, strides, pads, dil, ceil,
            b.getBoolAttr(intOr(n, "count_include_pad", 0) != 0));
    } else if (op == "GlobalAveragePool") {
      Shape axes;
      for (size_t d = 2; d < valueList[n.inputs[0]].shape.size(); ++d)
        axes.push_back(static_cast<int64_t>(d));
      r = mb.create<nn::ReduceOp>(n, l, in(0), b.getStringAttr("mean"),
                                  b.getDenseI64ArrayAttr(axes),
                                  b.getBoolAttr(true));
    } else if (op == "BatchNormalization") {
      r = mb.create<nn::BatchNormOp>(
          n, l, in(0), in(1), in(2), in(3), in(4),
          b.getF64FloatAttr(floatOr(n, "epsilon", 1e-5)));
    } else if (op == "LRN") {
      r = mb.create<nn::LRNOp>(n, l, in(0),
                               b.getI64IntegerAttr(intOr(n, "size", 1)),
                               b.getF64FloatAttr(floatOr(n, "alpha", 1e-4)),
                               b.getF64FloatAttr(floatOr(n, "beta", 0.75)),
                               b.getF64FloatAttr(floatOr(n, "bias", 1.0)));
    } else if (op == "Relu") {
      r = mb.create<nn::ReluOp>(n, l, in(0));
    } else if (op == "Tanh") {
      r = mb.create<nn::TanhOp>(n, l, in(0));
    } else if (op == "Sigmoid") {
      r = mb.create<nn::SigmoidOp>(n, l, in(0));
    } else if (op == "LeakyRelu") {
      r = mb.create<nn::LeakyReluOp>(
          n, l, in(0), b.getF64FloatAttr(floatOr(n, "alpha", 0.01)));
    } else if (op == "Elu") {
      r = mb.create<nn::EluOp>(n, l, in(0),
                               b.getF64FloatAttr(floatOr(n, "alpha", 1.0)));
    } else if (op == "Softmax") {
      r = mb.create<nn::SoftmaxOp>(n, l, in(0),
                                   b.getI64IntegerAttr(intOr(n, "axis", -1)),
                                   b.getBoolAttr(false));
    } else if (op == "Dropout") {
      r = in(0); // Inference: the identity.
    } else if (op == "Add") {
      r = mb.create<nn::AddOp>(n, l, in(0), in(1));
    } else if (op == "Sub") {
      r = mb.create<nn::SubOp>(n, l, in(0), in(1));
    } else if (op == "Mul") {
      r = mb.create<nn::MulOp>(n, l, in(0), in(1));
    } else if (op == "PRelu") {
      r = mb.create<nn::PReluOp>(n, l, in(0), in(1));
    } else if (op == "Concat") {
      SmallVector<mlir::Value> operands;
      for (int id : n.inputs)
        operands.push_back(ssa[id]);
      r = mb.create<nn::ConcatOp>(n, l, ValueRange(operands),
                                  b.getI64IntegerAttr(intOr(n, "axis", 0)));
    } else if (op == "Reshape" || op == "Flatten") {
      r = nn::ReshapeOp::create(b, l, tensorType(valueList[n.result].shape),
                                in(0))
              .getResult();
    } else {
      error = "graph '" + graphName + "': layer '" + n.name + "': op " + op +
              " has no nn mapping";
    }
    if (failed(r))
      return err(error.empty() ? "graph '" + graphName + "': layer '" +
                                     n.name + "' failed"
                               : error);
    // The records' shapes and the ops' inference must agree.
    auto type = cast<RankedTensorType>(r->getType());
    if (Shape(type.getShape()) != valueList[n.result].shape)
      return err("graph '" + graphName + "': layer '" + n.name + "' (" + op +
                 "): nn infers " + shapeStr(Shape(type.getShape())) +
                 ", the builder recorded " +
                 shapeStr(valueList[n.result].shape));
    ssa[n.result] = *r;
  }

  SmallVector<mlir::Value> results;
  SmallVector<Type> resultTypes;
  for (auto &o : outputList) {
    results.push_back(ssa[o.second]);
    resultTypes.push_back(ssa[o.second].getType());
  }
  func::ReturnOp::create(b, fileLoc, results);
  func.setFunctionType(b.getFunctionType(argTypes, resultTypes));
  for (auto [i, o] : llvm::enumerate(outputList))
    func.setResultAttr(i, "kiln.name", b.getStringAttr(o.first));
  if (failed(mlir::verify(*module)))
    return err("graph '" + graphName + "': the built module does not verify");
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

//===----------------------------------------------------------------------===//
// ONNX
//===----------------------------------------------------------------------===//

namespace {

void setValueInfo(onnx::ValueInfoProto *info, const std::string &name,
                  const Shape &shape) {
  info->set_name(name);
  auto *tt = info->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  auto *s = tt->mutable_shape();
  for (int64_t d : shape)
    s->add_dim()->set_dim_value(d);
}

} // namespace

llvm::Expected<std::string> Graph::onnxBytes() const {
  auto err = [](const std::string &m) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), m);
  };
  if (!ok())
    return err(errorMessage);
  if (outputList.empty())
    return err("graph '" + graphName + "' has no outputs");
  onnx::ModelProto model;
  model.set_ir_version(7);
  model.set_producer_name("kiln-builder");
  auto *opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(13);
  onnx::GraphProto *g = model.mutable_graph();
  g->set_name(graphName);
  for (const Value &v : valueList) {
    if (v.kind == Value::Kind::Input)
      setValueInfo(g->add_input(), v.name, v.shape);
    if (v.kind == Value::Kind::Param) {
      auto *t = g->add_initializer();
      t->set_name(v.name);
      t->set_data_type(onnx::TensorProto::FLOAT);
      for (int64_t d : v.shape)
        t->add_dims(d);
      t->set_raw_data(std::string(reinterpret_cast<const char *>(v.data.data()),
                                  v.data.size() * sizeof(float)));
    }
  }
  for (const Node &n : nodeList) {
    auto *node = g->add_node();
    node->set_name(n.name);
    node->set_op_type(n.op);
    for (int id : n.inputs)
      node->add_input(valueList[id].name);
    node->add_output(valueList[n.result].name);
    for (const auto &[key, value] : n.attrs) {
      if (n.op == "Reshape" && key == "shape") {
        // Reshape takes its shape as an int64 input.
        std::string shapeName = n.name + ".shape";
        auto *t = g->add_initializer();
        t->set_name(shapeName);
        t->set_data_type(onnx::TensorProto::INT64);
        const Shape &s = std::get<Shape>(value);
        t->add_dims(static_cast<int64_t>(s.size()));
        for (int64_t d : s)
          t->add_int64_data(d);
        node->add_input(shapeName);
        continue;
      }
      auto *a = node->add_attribute();
      a->set_name(key);
      if (auto *i = std::get_if<int64_t>(&value)) {
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(*i);
      } else if (auto *f = std::get_if<double>(&value)) {
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(static_cast<float>(*f));
      } else {
        a->set_type(onnx::AttributeProto::INTS);
        for (int64_t x : std::get<Shape>(value))
          a->add_ints(x);
      }
    }
  }
  for (auto &o : outputList) {
    const Value &v = valueList[o.second];
    if (o.first == v.name) {
      setValueInfo(g->add_output(), o.first, v.shape);
      continue;
    }
    // The output's name differs from the value's: an Identity renames it.
    auto *node = g->add_node();
    node->set_name(o.first + ".identity");
    node->set_op_type("Identity");
    node->add_input(v.name);
    node->add_output(o.first);
    setValueInfo(g->add_output(), o.first, v.shape);
  }
  std::string bytes;
  if (!model.SerializeToString(&bytes))
    return err("graph '" + graphName + "': the ModelProto does not serialize");
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
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot write " + path);
  return llvm::Error::success();
}

} // namespace kiln
