//===- kiln/Builder.h - A C++ DSL to write networks -------------*- C++ -*-===//
//
// Networks written in C++, layer by layer, the way papers tabulate them:
//
//   kiln::Graph g("lenet5", /*seed=*/1);
//   auto x = g.input("image", {1, 1, 32, 32});
//   auto h = g.conv2d(x, 6, {5, 5}).tanh();          // C1
//   h = g.avgPool(h, {2, 2}, {2, 2});                // S2
//   ...
//   h = g.dense(h.flatten(), 84).tanh();             // F6
//   g.output("logits", g.dense(h, 10));
//   auto module = g.build(context);                   // the nn module
//   g.exportOnnx("lenet5.onnx");                      // the same graph, ONNX
//
// A Graph keeps one list of layer records (ONNX-named ops with attributes,
// their inputs, and the parameters' values); both the nn module and the ONNX
// model are produced from it. Shapes are checked as layers are added: a
// mistake puts the graph in an error state naming the layer (error()); later
// layers are then ignored and build()/exportOnnx() fail with that message.
// Nothing aborts.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_BUILDER_H
#define KILN_BUILDER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <initializer_list>
#include <map>
#include <random>
#include <string>
#include <variant>
#include <vector>

namespace mlir {
class MLIRContext;
}

namespace kiln {

using Shape = std::vector<int64_t>;

/// How a parameter's values are drawn. fan_in / fan_out follow the usual
/// convention: for a [O, I, k...] filter, fan_in = I * prod(k) and
/// fan_out = O * prod(k); for a [O, I] dense weight, I and O.
struct Init {
  enum class Kind { Constant, Uniform, Normal, Glorot, He };
  Kind kind = Kind::Constant;
  double a = 0.0; ///< Constant: the value; Uniform: low; Normal: mean.
  double b = 0.0; ///< Uniform: high; Normal: standard deviation.

  static constexpr Init Constant(double value) {
    return {Kind::Constant, value, 0.0};
  }
  static constexpr Init Uniform(double low, double high) {
    return {Kind::Uniform, low, high};
  }
  static constexpr Init Normal(double mean, double stddev) {
    return {Kind::Normal, mean, stddev};
  }
  /// Xavier uniform: U(-l, l), l = sqrt(6 / (fan_in + fan_out)).
  static const Init Glorot;
  /// Kaiming normal: N(0, 2 / fan_in).
  static const Init He;
  static const Init Zeros;
  static const Init Ones;
};
inline constexpr Init Init::Glorot{Init::Kind::Glorot, 0.0, 0.0};
inline constexpr Init Init::He{Init::Kind::He, 0.0, 0.0};
inline constexpr Init Init::Zeros{Init::Kind::Constant, 0.0, 0.0};
inline constexpr Init Init::Ones{Init::Kind::Constant, 1.0, 0.0};

class Graph;

/// A value of the graph (an input, a parameter or a layer's result). Cheap
/// to copy; valid as long as its Graph lives. The methods add layers to it.
class Tensor {
public:
  Tensor() = default;

  bool valid() const { return graph != nullptr && id >= 0; }
  const Shape &shape() const;
  int64_t rank() const { return static_cast<int64_t>(shape().size()); }
  /// Dimension `axis` (negative counts from the end).
  int64_t dim(int64_t axis) const;
  const std::string &name() const;

  Tensor relu() const;
  Tensor tanh() const;
  Tensor sigmoid() const;
  Tensor leakyRelu(double alpha = 0.01) const;
  Tensor elu(double alpha = 1.0) const;
  Tensor softmax(int64_t axis = -1) const;
  /// [d0, ..., d(axis-1), rest] (ONNX Flatten: 2-D result).
  Tensor flatten(int64_t axis = 1) const;
  /// 0 keeps the input's dimension, -1 (once) takes what is left.
  Tensor reshape(const Shape &shape) const;

  Tensor operator+(const Tensor &other) const;
  Tensor operator*(const Tensor &other) const;

private:
  friend class Graph;
  Tensor(Graph *graph, int id) : graph(graph), id(id) {}
  Graph *graph = nullptr;
  int id = -1;
};

struct ConvOptions {
  Shape stride;   ///< Per spatial axis; empty: 1.
  Shape pad;      ///< One value (all sides), one per axis, or begins+ends.
  Shape dilation; ///< Empty: 1.
  int64_t groups = 1;
  bool bias = true;
  Init init = Init::He;
  Init biasInit = Init::Zeros;
  std::string name; ///< Empty: convN.
};

struct PoolOptions {
  Shape pad; ///< As for ConvOptions::pad.
  bool ceilMode = false;
  bool countIncludePad = false; ///< avgPool only.
  std::string name;             ///< Empty: poolN.
};

struct DenseOptions {
  bool bias = true;
  Init init = Init::Glorot;
  Init biasInit = Init::Zeros;
  std::string name; ///< Empty: denseN.
};

struct BatchNormOptions {
  double epsilon = 1e-5;
  Init scale = Init::Ones;
  Init bias = Init::Zeros;
  Init mean = Init::Zeros;
  Init variance = Init::Ones;
  std::string name; ///< Empty: bnN.
};

struct LrnOptions {
  double alpha = 1e-4;
  double beta = 0.75;
  double bias = 1.0;
  std::string name;
};

/// A network under construction. Not copyable or movable (Tensors point
/// at it).
class Graph {
public:
  explicit Graph(std::string name, uint64_t seed = 0);
  Graph(const Graph &) = delete;
  Graph &operator=(const Graph &) = delete;

  const std::string &name() const { return graphName; }

  // --- Values -------------------------------------------------------------
  /// A float32 graph input.
  Tensor input(const std::string &name, const Shape &shape);
  /// A float32 parameter drawn from `init` (seeded, in creation order).
  Tensor param(const std::string &name, const Shape &shape, Init init);
  /// A float32 parameter with the given values (row-major).
  Tensor param(const std::string &name, const Shape &shape,
               std::vector<float> values);
  /// Marks `value` as a graph output called `name`.
  void output(const std::string &name, Tensor value);

  // --- Layers that create their parameters --------------------------------
  /// N-D convolution of an NC<spatial> input; filter [out, C/groups, kernel].
  Tensor conv2d(Tensor x, int64_t outChannels, const Shape &kernel,
                ConvOptions options = {});
  /// Fully connected: x [N, K] times W^T ([units, K]) plus b [units] (Gemm).
  Tensor dense(Tensor x, int64_t units, DenseOptions options = {});
  /// Inference batch normalization over axis 1.
  Tensor batchNorm(Tensor x, BatchNormOptions options = {});
  /// PReLU with a slope per channel (axis 1).
  Tensor prelu(Tensor x, Init slope = Init::Constant(0.25),
               std::string name = "");

  // --- Layers with explicit parameters ------------------------------------
  Tensor conv(Tensor x, Tensor filter, Tensor bias, ConvOptions options = {});
  Tensor gemm(Tensor a, Tensor b, Tensor c, bool transB = false,
              std::string name = "");
  Tensor matmul(Tensor a, Tensor b, std::string name = "");
  Tensor prelu(Tensor x, Tensor slope, std::string name = "");

  // --- Pooling and normalization ------------------------------------------
  /// stride empty: the kernel (non-overlapping windows).
  Tensor maxPool(Tensor x, const Shape &kernel, const Shape &stride = {},
                 PoolOptions options = {});
  Tensor avgPool(Tensor x, const Shape &kernel, const Shape &stride = {},
                 PoolOptions options = {});
  Tensor globalAvgPool(Tensor x, std::string name = "");
  Tensor lrn(Tensor x, int64_t size, LrnOptions options = {});

  // --- Activations --------------------------------------------------------
  Tensor relu(Tensor x, std::string name = "");
  Tensor leakyRelu(Tensor x, double alpha = 0.01, std::string name = "");
  Tensor elu(Tensor x, double alpha = 1.0, std::string name = "");
  Tensor sigmoid(Tensor x, std::string name = "");
  Tensor tanh(Tensor x, std::string name = "");
  Tensor softmax(Tensor x, int64_t axis = -1, std::string name = "");
  /// Identity at inference (ONNX Dropout without training mode).
  Tensor dropout(Tensor x, double ratio = 0.5, std::string name = "");

  // --- Elementwise (NumPy broadcasting) and shapes ------------------------
  Tensor add(Tensor a, Tensor b, std::string name = "");
  Tensor sub(Tensor a, Tensor b, std::string name = "");
  Tensor mul(Tensor a, Tensor b, std::string name = "");
  Tensor concat(const std::vector<Tensor> &values, int64_t axis,
                std::string name = "");
  Tensor reshape(Tensor x, const Shape &shape, std::string name = "");
  Tensor flatten(Tensor x, int64_t axis = 1, std::string name = "");

  // --- Results ------------------------------------------------------------
  /// Whether every layer so far was well formed.
  bool ok() const { return errorMessage.empty(); }
  /// The first error ("layer 'conv2' (Conv): ..."), or "".
  const std::string &error() const { return errorMessage; }

  /// The nn module: `func.func @main_graph` as the ONNX frontend builds it
  /// (inputs, weights as nn.constant, outputs named by kiln.name). Null on
  /// error (the message is also emitted as a diagnostic on `context`).
  mlir::OwningOpRef<mlir::ModuleOp> build(mlir::MLIRContext &context,
                                          llvm::StringRef entry = "main_graph");
  /// As build(), with the error as an llvm::Error.
  llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
  tryBuild(mlir::MLIRContext &context, llvm::StringRef entry = "main_graph");

  /// Writes an ONNX ModelProto (opset 13, weights as initializers).
  llvm::Error exportOnnx(const std::string &path) const;
  /// The serialized ModelProto.
  llvm::Expected<std::string> onnxBytes() const;

  // --- Introspection (tests) ----------------------------------------------
  using Attr = std::variant<int64_t, double, std::vector<int64_t>>;
  struct Value {
    enum class Kind { Input, Param, Result } kind;
    std::string name;
    Shape shape;
    std::vector<float> data; ///< Params only.
    int node = -1;           ///< Results: the producing node.
  };
  /// One layer: an ONNX op type, its inputs (value ids), its attributes
  /// and one result.
  struct Node {
    std::string op;
    std::string name;
    std::vector<int> inputs;
    std::map<std::string, Attr> attrs;
    int result = -1;
  };
  const std::vector<Value> &values() const { return valueList; }
  const std::vector<Node> &nodes() const { return nodeList; }
  const Value &value(Tensor t) const { return valueList.at(t.id); }

private:
  friend class Tensor;

  std::string layerName(const std::string &given, const std::string &prefix);
  bool fail(const std::string &layer, const std::string &op,
            const std::string &message);
  bool check(std::initializer_list<Tensor> inputs);
  int addValue(Value value);
  Tensor addNode(Node node, Shape resultShape);
  std::vector<float> draw(const Shape &shape, Init init);
  Tensor unary(const std::string &op, Tensor x, std::string name,
               std::map<std::string, Attr> attrs = {});
  Tensor binary(const std::string &op, Tensor a, Tensor b, std::string name);
  Tensor pool(const std::string &op, Tensor x, const Shape &kernel,
              const Shape &stride, PoolOptions options);

  std::string graphName;
  std::mt19937 rng;
  std::vector<Value> valueList;
  std::vector<Node> nodeList;
  std::vector<std::pair<std::string, int>> outputList;
  std::map<std::string, int> counters;
  std::map<std::string, int> namesUsed;
  std::string errorMessage;
};

} // namespace kiln

#endif // KILN_BUILDER_H
