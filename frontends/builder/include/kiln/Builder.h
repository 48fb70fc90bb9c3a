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
// A Graph keeps one list of layer records: ONNX nodes (op type, attributes,
// inputs, named results) and the values they use (inputs, parameters with
// their data, small operator constants). Each layer is checked as it is
// added by importing its node with the ONNX frontend into a scratch module:
// its result shapes are those the nn ops infer, and a mistake puts the
// graph in an error state naming the layer (error()); later layers are then
// ignored and build()/exportOnnx() fail with that message. Nothing aborts.
// build() imports the whole record with the ONNX frontend, so a builder
// graph and its exported ONNX model become the same nn module.
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
#include <memory>
#include <optional>
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
  /// min(max(x, low), high); clip(0, 6) is ReLU6.
  Tensor clip(double low, double high) const;
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

struct ConvTransposeOptions {
  Shape stride;        ///< Per spatial axis; empty: 1.
  Shape pad;           ///< As for ConvOptions::pad (cropped from the result).
  Shape outputPadding; ///< Extra cells at the end of each axis; empty: 0.
  Shape dilation;      ///< Empty: 1.
  int64_t groups = 1;
  bool bias = true;
  Init init = Init::Glorot;
  Init biasInit = Init::Zeros;
  std::string name; ///< Empty: deconvN.
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

/// Resize (ONNX): how output coordinates map to input coordinates and how
/// the input is sampled there.
struct ResizeOptions {
  std::string mode = "nearest"; ///< "nearest", "linear" or "cubic".
  /// "half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel", ...
  std::string coordinateTransformation = "half_pixel";
  /// Rounding of "nearest": "round_prefer_floor", "floor", "ceil", ...
  std::string nearestMode = "round_prefer_floor";
  std::string name; ///< Empty: resizeN.
};

/// Recurrent layers (ONNX RNN, LSTM, GRU) over a [seq, batch, features]
/// input. Parameters W, R and B are drawn from `init` (PyTorch's default:
/// U(-1/sqrt(hidden), 1/sqrt(hidden)) when unset).
struct RecurrentOptions {
  std::string direction = "forward"; ///< "forward", "reverse", "bidirectional".
  /// Per direction, as ONNX lists them; empty: the op's defaults.
  std::vector<std::string> activations;
  std::optional<Init> init;
  bool linearBeforeReset = false; ///< GRU only.
  std::string name;               ///< Empty: rnnN / lstmN / gruN.
};

/// The results of a recurrent layer: Y [seq, directions, batch, hidden],
/// the last hidden state Y_h [directions, batch, hidden] and, for LSTM, the
/// last cell state Y_c.
struct RecurrentResult {
  Tensor y, yH, yC;
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
  /// Convolution of an [N, C, spatial...] input with a new filter
  /// [out, C/groups, kernel...]; the kernel's length is the number of
  /// spatial axes (1, 2 or 3).
  Tensor conv1d(Tensor x, int64_t outChannels, const Shape &kernel,
                ConvOptions options = {});
  Tensor conv2d(Tensor x, int64_t outChannels, const Shape &kernel,
                ConvOptions options = {});
  Tensor conv3d(Tensor x, int64_t outChannels, const Shape &kernel,
                ConvOptions options = {});
  /// Transposed convolution (fractionally strided); filter
  /// [C, out/groups, kernel...].
  Tensor convTranspose(Tensor x, int64_t outChannels, const Shape &kernel,
                       ConvTransposeOptions options = {});
  /// Fully connected: x [N, K] times W^T ([units, K]) plus b [units] (Gemm).
  Tensor dense(Tensor x, int64_t units, DenseOptions options = {});
  /// Inference batch normalization over axis 1.
  Tensor batchNorm(Tensor x, BatchNormOptions options = {});
  /// PReLU with a slope per channel (axis 1).
  Tensor prelu(Tensor x, Init slope = Init::Constant(0.25),
               std::string name = "");
  /// Maxout (Goodfellow et al. 2013): `units` outputs, each the maximum of
  /// `pieces` affine functions of x [N, K] (dense to units*pieces, reshape
  /// to [N, units, pieces], max over the pieces).
  Tensor maxout(Tensor x, int64_t units, int64_t pieces,
                DenseOptions options = {});
  /// Recurrent layers over x [seq, batch, features]; `hidden` units.
  RecurrentResult rnn(Tensor x, int64_t hidden, RecurrentOptions options = {});
  RecurrentResult lstm(Tensor x, int64_t hidden, RecurrentOptions options = {});
  RecurrentResult gru(Tensor x, int64_t hidden, RecurrentOptions options = {});

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
  /// Max pooling that also returns where each maximum came from (flat
  /// indices into the input, ONNX MaxPool's second output), for
  /// maxUnpool.
  std::pair<Tensor, Tensor> maxPoolWithIndices(Tensor x, const Shape &kernel,
                                               const Shape &stride = {},
                                               PoolOptions options = {});
  /// Places each value of x at its index in a zero tensor of
  /// `outputShape` (empty: the size the pooling window implies).
  Tensor maxUnpool(Tensor x, Tensor indices, const Shape &kernel,
                   const Shape &stride = {}, const Shape &outputShape = {},
                   PoolOptions options = {});
  Tensor globalAvgPool(Tensor x, std::string name = "");
  Tensor globalMaxPool(Tensor x, std::string name = "");
  Tensor lrn(Tensor x, int64_t size, LrnOptions options = {});

  // --- Activations --------------------------------------------------------
  Tensor relu(Tensor x, std::string name = "");
  Tensor leakyRelu(Tensor x, double alpha = 0.01, std::string name = "");
  Tensor elu(Tensor x, double alpha = 1.0, std::string name = "");
  Tensor clip(Tensor x, double low, double high, std::string name = "");
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
  Tensor transpose(Tensor x, const Shape &perm, std::string name = "");
  /// x[starts:ends] along `axes` (ONNX Slice, step 1 unless given).
  Tensor slice(Tensor x, const Shape &starts, const Shape &ends,
               const Shape &axes, const Shape &steps = {},
               std::string name = "");
  /// Max / mean over `axes`.
  Tensor reduceMax(Tensor x, const Shape &axes, bool keepDims = true,
                   std::string name = "");
  Tensor reduceMean(Tensor x, const Shape &axes, bool keepDims = true,
                    std::string name = "");

  // --- Resampling ---------------------------------------------------------
  /// Resizes each axis by `scales` (one per axis of x; 1 for N and C).
  Tensor resize(Tensor x, const std::vector<double> &scales,
                ResizeOptions options = {});

  // --- Any ONNX operator ---------------------------------------------------
  using Attr = std::variant<int64_t, double, std::vector<int64_t>,
                            std::string, std::vector<std::string>>;
  /// A layer of any ONNX op the frontend imports (opset kOnnxOpset), for
  /// what has no dedicated method: `g.op("HardSwish", {x})`,
  /// `g.op("Split", {x}, {{"axis", int64_t(1)}}, 2)`.
  /// An invalid Tensor in `inputs` is an omitted optional input. Returns
  /// `results` tensors (the layer's name, then NAME.1, NAME.2, ...).
  std::vector<Tensor> op(const std::string &onnxOp,
                         const std::vector<Tensor> &inputs,
                         std::map<std::string, Attr> attrs = {},
                         int results = 1, std::string name = "");
  /// An operator's constant input (int64 or f32), exported as an
  /// initializer; unlike a param it is not a weight.
  Tensor constant(const std::string &name, const Shape &shape,
                  std::vector<int64_t> values);
  Tensor constant(const std::string &name, const Shape &shape,
                  std::vector<float> values);

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

  /// The ONNX opset of the exported models.
  static constexpr int64_t kOnnxOpset = 17;
  /// Writes an ONNX ModelProto (opset kOnnxOpset, weights as initializers).
  llvm::Error exportOnnx(const std::string &path) const;
  /// The serialized ModelProto.
  llvm::Expected<std::string> onnxBytes() const;

  // --- Introspection (tests) ----------------------------------------------
  struct Value {
    /// Param: a weight (f32 data); Constant: an operator's constant input
    /// (a Reshape's shape, Resize's scales, Clip's bounds).
    enum class Kind { Input, Param, Constant, Result } kind;
    std::string name;
    Shape shape;
    std::vector<float> data;   ///< Float params and constants.
    std::vector<int64_t> ints; ///< Int64 constants.
    bool isInt64 = false;      ///< Element type: int64 (else f32).
    int node = -1;             ///< Results: the producing node.
  };
  /// One layer: an ONNX op type, its inputs (value ids, -1 for an absent
  /// optional input), its attributes and its results.
  struct Node {
    std::string op;
    std::string name;
    std::vector<int> inputs;
    std::map<std::string, Attr> attrs;
    std::vector<int> results;
  };
  const std::vector<Value> &values() const { return valueList; }
  const std::vector<Node> &nodes() const { return nodeList; }
  const Value &value(Tensor t) const { return valueList.at(t.id); }

  ~Graph();

private:
  friend class Tensor;
  struct Checker;

  std::string layerName(const std::string &given, const std::string &prefix);
  bool fail(const std::string &layer, const std::string &op,
            const std::string &message);
  bool check(std::initializer_list<Tensor> inputs);
  int addValue(Value value);
  /// Records an operator constant after checking its name and size.
  Tensor addConstant(Value value);
  /// Records `node` (inputs and attributes set), checks it and names its
  /// results: the layer's name, then NAME.SUFFIX for each further suffix.
  std::vector<Tensor> addNode(Node node,
                              const std::vector<std::string> &suffixes = {});
  Tensor addNode1(Node node);
  std::vector<float> draw(const Shape &shape, Init init);
  Tensor unary(const std::string &op, Tensor x, std::string name,
               std::map<std::string, Attr> attrs = {});
  Tensor binary(const std::string &op, Tensor a, Tensor b, std::string name);
  Tensor convolution(Tensor x, int64_t outChannels, const Shape &kernel,
                     size_t spatialAxes, ConvOptions options);
  Node poolNode(const std::string &op, Tensor x, const Shape &kernel,
                const Shape &stride, const PoolOptions &options,
                std::string &name);
  Tensor reduce(const std::string &op, Tensor x, const Shape &axes,
                bool keepDims, std::string name);
  RecurrentResult recurrent(const std::string &op, Tensor x, int64_t hidden,
                            RecurrentOptions options);

  std::string graphName;
  std::mt19937 rng;
  std::vector<Value> valueList;
  std::vector<Node> nodeList;
  std::vector<std::pair<std::string, int>> outputList;
  std::map<std::string, int> counters;
  std::map<std::string, int> namesUsed;
  std::string errorMessage;
  std::unique_ptr<Checker> checker;
};

} // namespace kiln

#endif // KILN_BUILDER_H
