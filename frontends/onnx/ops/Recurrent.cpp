//===- Recurrent.cpp - Import of ONNX RNN, GRU and LSTM by unrolling ------===//
//
// The recurrent ops become nn ops with the time loop unrolled at import:
// seq_length is a static dimension. For each direction:
//
//   - the input projection of every step at once, one gemm:
//       Xt*(W^T) + Wb for all t and all gates    [seq_length, batch, G*H]
//   - per step, the recurrence Ht-1*(R^T) + Rb as one gemm over the gates,
//     split into the gates, and the family's cell equations, written as the
//     ONNX specification writes them (rnnStep, gruStep, lstmStep);
//   - sequence_lens (a constant) becomes masks: a step past a sequence's
//     length keeps that sequence's state (nn.where) and outputs zeros.
//
// Y stacks the per-step hidden states, Y_h / Y_c are the final states;
// layout 1 (batch first) transposes at the edges.
//
//===----------------------------------------------------------------------===//
#include "frontends/onnx/NodeImporter.h"

#include "llvm/ADT/StringSwitch.h"

#include <map>

using namespace mlir;
using namespace kiln::nn;

namespace kiln::onnx_frontend {
namespace {

//===----------------------------------------------------------------------===//
// Building the equations
//===----------------------------------------------------------------------===//

/// Builds the nn ops of the cell equations. The import function checks every
/// shape before building anything, so a failure here is an inconsistency
/// that NodeImporter has already reported; it makes every later value null,
/// and the import function checks ok() once at the end.
class Ops {
public:
  Ops(NodeImporter &n, Type elementType) : n(n), elementType(elementType) {}

  bool ok() const { return good; }
  Type element() const { return elementType; }
  Builder &b() { return n.builder(); }

  Value add(Value x, Value y) { return binary<AddOp>(x, y); }
  Value sub(Value x, Value y) { return binary<SubOp>(x, y); }
  Value mul(Value x, Value y) { return binary<MulOp>(x, y); }
  Value where(Value c, Value x, Value y) {
    return live({c, x, y}) ? check(n.create<WhereOp>(c, x, y)) : Value();
  }

  /// A rank-0 constant of the element type.
  Value scalar(double value) { return n.scalar(value, elementType); }
  /// A constant bool tensor.
  Value mask(ArrayRef<bool> values, ArrayRef<int64_t> shape) {
    auto type = RankedTensorType::get(shape, b().getI1Type());
    return n.constant(DenseElementsAttr::get(type, values));
  }
  Value zeros(ArrayRef<int64_t> shape) {
    auto type = RankedTensorType::get(shape, elementType);
    return n.constant(DenseElementsAttr::get(
        type, FloatAttr::get(elementType, 0.0).getValue()));
  }

  /// x * w^T + bias (bias may be null): a fully connected layer.
  Value linear(Value x, Value w, Value bias) {
    if (!live({x, w}))
      return {};
    return check(n.create<GemmOp>(x, w, bias, b().getF64FloatAttr(1.0),
                                  b().getF64FloatAttr(1.0),
                                  b().getBoolAttr(false),
                                  b().getBoolAttr(true)));
  }

  /// A unary op with optional F64 attributes.
  template <typename OpTy, typename... Attrs>
  Value unary(Value x, Attrs... attrs) {
    if (!live({x}))
      return {};
    return check(n.createTyped<OpTy>(x.getType(), x, attrs...));
  }
  Value clip(Value x, double bound) {
    return unary<ClipOp>(x, b().getF64FloatAttr(-bound),
                         b().getF64FloatAttr(bound));
  }

  /// The block of `v` at `starts` with `sizes`, unit steps.
  Value slice(Value v, ArrayRef<int64_t> starts, ArrayRef<int64_t> sizes) {
    if (!live({v}))
      return {};
    SmallVector<int64_t> steps(starts.size(), 1);
    return check(n.create<SliceOp>(v, b().getDenseI64ArrayAttr(starts),
                                   b().getDenseI64ArrayAttr(sizes),
                                   b().getDenseI64ArrayAttr(steps)));
  }
  /// v[index] along the leading axis, that axis dropped.
  Value take(Value v, int64_t index) {
    if (!live({v}))
      return {};
    auto shape = cast<RankedTensorType>(v.getType()).getShape();
    SmallVector<int64_t> starts(shape.size(), 0), sizes(shape);
    starts[0] = index;
    sizes[0] = 1;
    return reshape(slice(v, starts, sizes), shape.drop_front());
  }
  /// `count` entries of the last axis from `start`.
  Value lastAxis(Value v, int64_t start, int64_t count) {
    if (!live({v}))
      return {};
    auto shape = cast<RankedTensorType>(v.getType()).getShape();
    SmallVector<int64_t> starts(shape.size(), 0), sizes(shape);
    starts.back() = start;
    sizes.back() = count;
    return slice(v, starts, sizes);
  }

  Value reshape(Value v, ArrayRef<int64_t> shape) {
    return live({v}) ? check(n.reshape(v, shape)) : Value();
  }
  Value transpose(Value v, ArrayRef<int64_t> perm) {
    if (!live({v}))
      return {};
    return check(n.create<TransposeOp>(v, b().getDenseI64ArrayAttr(perm)));
  }
  Value concat(ArrayRef<Value> values, int64_t axis) {
    if (!live(values))
      return {};
    if (values.size() == 1)
      return values.front();
    return check(n.create<ConcatOp>(ValueRange(values),
                                    b().getI64IntegerAttr(axis)));
  }

private:
  template <typename OpTy> Value binary(Value x, Value y) {
    return live({x, y}) ? check(n.create<OpTy>(x, y)) : Value();
  }
  bool live(ArrayRef<Value> values) {
    return good && llvm::all_of(values, [](Value v) { return bool(v); });
  }
  Value check(FailureOr<Value> v) {
    if (succeeded(v))
      return *v;
    good = false;
    return {};
  }

  NodeImporter &n;
  Type elementType;
  bool good = true;
};

//===----------------------------------------------------------------------===//
// Activation functions
//===----------------------------------------------------------------------===//

enum class ActivationKind {
  Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh,
  HardSigmoid, Elu, Softsign, Softplus
};

/// One of the activation functions that the recurrent ops name.
struct Activation {
  ActivationKind kind;
  double alpha = 0, beta = 0;
};

/// The activation `name` (compared without case, as ONNX Runtime does) with
/// whether it takes alpha and beta, and their defaults: those of the
/// corresponding ONNX operators.
struct ActivationInfo {
  ActivationKind kind;
  bool takesAlpha, takesBeta;
  double alpha, beta;
};

std::optional<ActivationInfo> lookupActivation(StringRef name) {
  using K = ActivationKind;
  return llvm::StringSwitch<std::optional<ActivationInfo>>(name.lower())
      .Case("relu", ActivationInfo{K::Relu, false, false, 0, 0})
      .Case("tanh", ActivationInfo{K::Tanh, false, false, 0, 0})
      .Case("sigmoid", ActivationInfo{K::Sigmoid, false, false, 0, 0})
      .Case("affine", ActivationInfo{K::Affine, true, true, 1.0, 0.0})
      .Case("leakyrelu", ActivationInfo{K::LeakyRelu, true, false, 0.01, 0})
      .Case("thresholdedrelu",
            ActivationInfo{K::ThresholdedRelu, true, false, 1.0, 0})
      .Case("scaledtanh", ActivationInfo{K::ScaledTanh, true, true, 1.0, 1.0})
      .Case("hardsigmoid",
            ActivationInfo{K::HardSigmoid, true, true, 0.2, 0.5})
      .Case("elu", ActivationInfo{K::Elu, true, false, 1.0, 0})
      .Case("softsign", ActivationInfo{K::Softsign, false, false, 0, 0})
      .Case("softplus", ActivationInfo{K::Softplus, false, false, 0, 0})
      .Default(std::nullopt);
}

Value applyActivation(Ops &o, const Activation &act, Value x) {
  auto f64 = [&](double v) { return o.b().getF64FloatAttr(v); };
  switch (act.kind) {
  case ActivationKind::Relu: return o.unary<ReluOp>(x);
  case ActivationKind::Tanh: return o.unary<TanhOp>(x);
  case ActivationKind::Sigmoid: return o.unary<SigmoidOp>(x);
  case ActivationKind::Affine: // alpha*x + beta
    return o.add(o.mul(x, o.scalar(act.alpha)), o.scalar(act.beta));
  case ActivationKind::LeakyRelu:
    return o.unary<LeakyReluOp>(x, f64(act.alpha));
  case ActivationKind::ThresholdedRelu:
    return o.unary<ThresholdedReluOp>(x, f64(act.alpha));
  case ActivationKind::ScaledTanh: // alpha*Tanh(beta*x)
    return o.mul(o.unary<TanhOp>(o.mul(x, o.scalar(act.beta))),
                 o.scalar(act.alpha));
  case ActivationKind::HardSigmoid:
    return o.unary<HardSigmoidOp>(x, f64(act.alpha), f64(act.beta));
  case ActivationKind::Elu: return o.unary<EluOp>(x, f64(act.alpha));
  case ActivationKind::Softsign: return o.unary<SoftsignOp>(x);
  case ActivationKind::Softplus: return o.unary<SoftplusOp>(x);
  }
  llvm_unreachable("unknown activation");
}

//===----------------------------------------------------------------------===//
// The three families
//===----------------------------------------------------------------------===//

enum class Family { RNN, GRU, LSTM };

struct FamilyInfo {
  int gates;                           // blocks of W, R and B
  SmallVector<StringRef> activations;  // the defaults, one direction's
};

FamilyInfo familyInfo(Family family) {
  switch (family) {
  case Family::RNN: return {1, {"Tanh"}};
  case Family::GRU: return {3, {"Sigmoid", "Tanh"}};
  case Family::LSTM: return {4, {"Sigmoid", "Tanh", "Tanh"}};
  }
  llvm_unreachable("unknown family");
}

/// The node's attributes and sizes, shared by all directions.
struct Config {
  Family family;
  int64_t seqLength, batch, hidden;
  int gates;
  std::optional<double> clip;
  bool inputForget = false;       // LSTM
  bool linearBeforeReset = false; // GRU
};

/// What a cell carries from one step to the next (c: LSTM only).
struct State {
  Value h, c;
};

/// One direction's weights, taken out of W, R, B, P, initial_h and
/// initial_c, and its activation functions (f, g, h in the spec's names).
struct Direction {
  Value W, R;      // [G*H, input_size], [G*H, H]
  Value Wb, Rb;    // [G*H] each, or null without B
  Value Pi, Po, Pf; // [H] each, or null without P
  State initial;   // [batch, H]
  SmallVector<Activation> activations;
  bool reverse = false;
};

/// Steps one direction: the gate helpers the cell equations use.
class Cell {
public:
  Cell(Ops &o, const Config &config, const Direction &d)
      : o(o), config(config), d(d) {}

  Ops &o;
  const Config &config;
  const Direction &d;

  // The activation functions. clip bounds the inputs of f and g, which are
  // gate pre-activations; LSTM's h(Ct) reads the cell state unclipped, as in
  // ONNX Runtime.
  Value f(Value x) { return activation(0, clipped(x)); }
  Value g(Value x) { return activation(1, clipped(x)); }
  Value h(Value x) { return activation(2, x); }

  /// Gate k of a [batch, G*H] block (gates in the spec's order).
  Value gate(Value v, int k) {
    return o.lastAxis(v, k * config.hidden, config.hidden);
  }

  /// Ht-1*(R^T) + Rb for the `count` gates from `first`, as one gemm.
  Value recurrence(Value hPrev, int first, int count) {
    auto [r, rb] = recurrentWeights(first, count);
    return o.linear(hPrev, r, rb);
  }

  Value one() { return o.scalar(1.0); }

private:
  Value clipped(Value x) { return config.clip ? o.clip(x, *config.clip) : x; }
  Value activation(int k, Value x) {
    return applyActivation(o, d.activations[k], x);
  }

  /// Rows [first*H, (first+count)*H) of R and Rb, sliced once per direction.
  std::pair<Value, Value> recurrentWeights(int first, int count) {
    if (first == 0 && count == config.gates)
      return {d.R, d.Rb};
    auto &cached = weights[{first, count}];
    if (!cached.first) {
      int64_t start = first * config.hidden, size = count * config.hidden;
      auto shape = cast<RankedTensorType>(d.R.getType()).getShape();
      cached.first = o.slice(d.R, {start, 0}, {size, shape[1]});
      if (d.Rb)
        cached.second = o.slice(d.Rb, {start}, {size});
    }
    return cached;
  }

  std::map<std::pair<int, int>, std::pair<Value, Value>> weights;
};

/// RNN:
///   Ht = f(Xt*(Wi^T) + Ht-1*(Ri^T) + Wbi + Rbi)
/// `xw` is Xt*(W^T) + Wb of this step, [batch, G*H].
State rnnStep(Cell &c, Value xw, const State &prev) {
  Ops &o = c.o;
  Value H = c.f(o.add(xw, c.recurrence(prev.h, 0, 1)));
  return {H, {}};
}

/// GRU (gates z, r, h):
///   zt = f(Xt*(Wz^T) + Ht-1*(Rz^T) + Wbz + Rbz)
///   rt = f(Xt*(Wr^T) + Ht-1*(Rr^T) + Wbr + Rbr)
///   ht = g(Xt*(Wh^T) + (rt (.) Ht-1)*(Rh^T) + Rbh + Wbh)   linear_before_reset = 0
///   ht = g(Xt*(Wh^T) + (rt (.) (Ht-1*(Rh^T) + Rbh)) + Wbh) linear_before_reset != 0
///   Ht = (1 - zt) (.) ht + zt (.) Ht-1
State gruStep(Cell &c, Value xw, const State &prev) {
  Ops &o = c.o;
  bool linearBeforeReset = c.config.linearBeforeReset;
  // Ht-1*(R^T) + Rb for z and r, and for h when it does not need rt first.
  Value hr = c.recurrence(prev.h, 0, linearBeforeReset ? 3 : 2);
  Value z = c.f(o.add(c.gate(xw, 0), c.gate(hr, 0)));
  Value r = c.f(o.add(c.gate(xw, 1), c.gate(hr, 1)));
  Value h = linearBeforeReset
                ? c.g(o.add(c.gate(xw, 2), o.mul(r, c.gate(hr, 2))))
                : c.g(o.add(c.gate(xw, 2),
                            c.recurrence(o.mul(r, prev.h), 2, 1)));
  Value H = o.add(o.mul(o.sub(c.one(), z), h), o.mul(z, prev.h));
  return {H, {}};
}

/// LSTM (gates i, o, f, c; peepholes i, o, f):
///   it = f(Xt*(Wi^T) + Ht-1*(Ri^T) + Pi (.) Ct-1 + Wbi + Rbi)
///   ft = f(Xt*(Wf^T) + Ht-1*(Rf^T) + Pf (.) Ct-1 + Wbf + Rbf)
///   ct = g(Xt*(Wc^T) + Ht-1*(Rc^T) + Wbc + Rbc)
///   Ct = ft (.) Ct-1 + it (.) ct
///   ot = f(Xt*(Wo^T) + Ht-1*(Ro^T) + Po (.) Ct + Wbo + Rbo)
///   Ht = ot (.) h(Ct)
/// With input_forget, the forget gate is coupled to the input gate:
/// ft = 1 - it (as ONNX Runtime computes it).
State lstmStep(Cell &c, Value xw, const State &prev) {
  Ops &o = c.o;
  const Direction &d = c.d;
  Value gates = o.add(xw, c.recurrence(prev.h, 0, 4));
  auto peephole = [&](Value x, Value p, Value cell) {
    return p ? o.add(x, o.mul(p, cell)) : x;
  };
  Value i = c.f(peephole(c.gate(gates, 0), d.Pi, prev.c));
  Value f = c.config.inputForget
                ? o.sub(c.one(), i)
                : c.f(peephole(c.gate(gates, 2), d.Pf, prev.c));
  Value ct = c.g(c.gate(gates, 3));
  Value C = o.add(o.mul(f, prev.c), o.mul(i, ct));
  Value ot = c.f(peephole(c.gate(gates, 1), d.Po, C));
  Value H = o.mul(ot, c.h(C));
  return {H, C};
}

using StepFn = State (*)(Cell &, Value, const State &);

StepFn stepFunction(Family family) {
  switch (family) {
  case Family::RNN: return rnnStep;
  case Family::GRU: return gruStep;
  case Family::LSTM: return lstmStep;
  }
  llvm_unreachable("unknown family");
}

/// What one direction computes: the hidden state of every step (in time
/// order, zeros past a sequence's length) and the final state.
struct DirectionResult {
  SmallVector<Value> ys;
  State final;
};

/// Unrolls one direction over the sequence. `x` is [seq_length, batch,
/// input_size]; `lengths` are the constant sequence lengths, if any.
DirectionResult runDirection(Ops &o, const Config &config, const Direction &d,
                             Value x, ArrayRef<int64_t> lengths) {
  int64_t seq = config.seqLength, batch = config.batch, hidden = config.hidden;
  int64_t width = config.gates * hidden;
  Cell cell(o, config, d);
  StepFn step = stepFunction(config.family);

  // Xt*(W^T) + Wb of every step at once.
  auto xShape = cast<RankedTensorType>(x.getType()).getShape();
  Value xw = o.reshape(
      o.linear(o.reshape(x, {seq * batch, xShape[2]}), d.W, d.Wb),
      {seq, batch, width});

  DirectionResult result;
  result.ys.resize(seq);
  State state = d.initial;
  for (int64_t s = 0; s < seq; ++s) {
    int64_t t = d.reverse ? seq - 1 - s : s;
    // Which sequences of the batch are still running at step t.
    SmallVector<bool> running;
    for (int64_t b = 0; b < batch; ++b)
      running.push_back(lengths.empty() || t < lengths[b]);
    if (llvm::none_of(running, [](bool r) { return r; })) {
      result.ys[t] = o.zeros({batch, hidden});
      continue;
    }
    Value xt = o.reshape(o.slice(xw, {t, 0, 0}, {1, batch, width}),
                         {batch, width});
    State next = step(cell, xt, state);
    Value y = next.h;
    if (!llvm::all_of(running, [](bool r) { return r; })) {
      // Finished sequences keep their state and output zeros.
      Value mask = o.mask(running, {batch, 1});
      y = o.where(mask, next.h, o.scalar(0.0));
      next.h = o.where(mask, next.h, state.h);
      if (next.c)
        next.c = o.where(mask, next.c, state.c);
    }
    result.ys[t] = y;
    state = next;
  }
  // A sequence of length 0 has no last step: its final state is zeros (as
  // ONNX Runtime computes it), not the initial state.
  if (llvm::is_contained(lengths, 0)) {
    SmallVector<bool> nonEmpty;
    for (int64_t len : lengths)
      nonEmpty.push_back(len > 0);
    Value mask = o.mask(nonEmpty, {batch, 1});
    state.h = o.where(mask, state.h, o.scalar(0.0));
    if (state.c)
      state.c = o.where(mask, state.c, o.scalar(0.0));
  }
  result.final = state;
  return result;
}

//===----------------------------------------------------------------------===//
// The import function
//===----------------------------------------------------------------------===//

/// Checks that input `i` (named `name`) has `shape`.
LogicalResult expectShape(NodeImporter &n, size_t i, StringRef name,
                          ArrayRef<int64_t> shape) {
  auto type = n.inputType(i);
  if (type.getShape() == shape)
    return success();
  std::string expected, got;
  llvm::raw_string_ostream e(expected), g(got);
  e << "[";
  llvm::interleaveComma(shape, e);
  e << "]";
  g << "[";
  llvm::interleaveComma(type.getShape(), g);
  g << "]";
  return n.error("input " + Twine(i) + " (" + name + ")",
                 "expected shape " + expected + ", got " + got);
}

/// The activation functions of every direction, with alpha and beta
/// consumed in order by the functions that take them (as ONNX Runtime
/// reads activation_alpha and activation_beta).
FailureOr<SmallVector<SmallVector<Activation>>>
readActivations(NodeImporter &n, Family family, int64_t directions) {
  FamilyInfo info = familyInfo(family);
  size_t perDirection = info.activations.size();
  SmallVector<std::string> names;
  if (const auto *attr = n.attribute("activations")) {
    if (attr->type() != onnx::AttributeProto::STRINGS &&
        attr->type() != onnx::AttributeProto::UNDEFINED)
      return n.error("attribute 'activations'", "expected a list of strings");
    names.assign(attr->strings().begin(), attr->strings().end());
    // One direction's list serves both directions.
    if (directions == 2 && names.size() == perDirection)
      names.append(names.begin(), names.end());
    if (names.size() != perDirection * directions)
      return n.error("attribute 'activations'",
                     "expected " + Twine(perDirection * directions) +
                         " names (" + Twine(perDirection) +
                         " per direction), got " + Twine(names.size()));
  } else {
    for (int64_t d = 0; d < directions; ++d)
      for (StringRef name : info.activations)
        names.push_back(name.str());
  }
  SmallVector<float> alphas = n.floatsAttr("activation_alpha");
  SmallVector<float> betas = n.floatsAttr("activation_beta");
  size_t nextAlpha = 0, nextBeta = 0;
  SmallVector<SmallVector<Activation>> result(directions);
  for (auto [k, name] : llvm::enumerate(names)) {
    auto act = lookupActivation(name);
    if (!act)
      return n.error("attribute 'activations'",
                     "unknown activation '" + name +
                         "' (expected Relu, Tanh, Sigmoid, Affine, LeakyRelu, "
                         "ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, "
                         "Softsign or Softplus)");
    Activation a{act->kind, act->alpha, act->beta};
    if (act->takesAlpha && nextAlpha < alphas.size())
      a.alpha = alphas[nextAlpha++];
    if (act->takesBeta && nextBeta < betas.size())
      a.beta = betas[nextBeta++];
    result[k / perDirection].push_back(a);
  }
  return result;
}

LogicalResult importRecurrent(NodeImporter &n, Family family) {
  enum Input { X, W, R, B, SequenceLens, InitialH, InitialC, P };
  auto xIn = n.requiredInput(X), wIn = n.requiredInput(W),
       rIn = n.requiredInput(R);
  if (failed(xIn) || failed(wIn) || failed(rIn))
    return failure();
  Config config;
  config.family = family;
  config.gates = familyInfo(family).gates;
  int64_t gates = config.gates;

  // Attributes.
  std::string direction = n.stringAttr("direction", "forward");
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return n.error("attribute 'direction'",
                   "unknown value '" + direction +
                       "' (expected forward, reverse or bidirectional)");
  int64_t directions = direction == "bidirectional" ? 2 : 1;
  int64_t layout = n.intAttr("layout", 0);
  if (layout != 0 && layout != 1)
    return n.error("attribute 'layout'",
                   "must be 0 or 1, got " + Twine(layout));
  if (n.hasAttribute("clip")) {
    config.clip = n.floatAttr("clip", 0);
    if (!(*config.clip > 0))
      return n.error("attribute 'clip'", "must be positive");
  }
  config.inputForget =
      family == Family::LSTM && n.intAttr("input_forget", 0) != 0;
  config.linearBeforeReset =
      family == Family::GRU && n.intAttr("linear_before_reset", 0) != 0;
  auto activations = readActivations(n, family, directions);
  if (failed(activations))
    return failure();

  // Shapes.
  auto xType = n.inputType(X);
  Type elementType = xType.getElementType();
  if (!isa<FloatType>(elementType))
    return n.error("input 0 (X)", "must be a floating-point tensor");
  if (xType.getRank() != 3)
    return n.error("input 0 (X)",
                   "must have rank 3, got rank " + Twine(xType.getRank()));
  config.seqLength = xType.getDimSize(layout == 0 ? 0 : 1);
  config.batch = xType.getDimSize(layout == 0 ? 1 : 0);
  int64_t inputSize = xType.getDimSize(2);
  if (config.seqLength < 1 || config.batch < 1 || inputSize < 1)
    return n.error("input 0 (X)", "needs at least one step, sequence and "
                                  "input feature");
  auto rType = n.inputType(R);
  if (n.hasAttribute("hidden_size"))
    config.hidden = n.intAttr("hidden_size", 0);
  else if (rType.getRank() == 3)
    config.hidden = rType.getDimSize(2);
  else
    config.hidden = 0;
  if (config.hidden < 1)
    return n.error("attribute 'hidden_size'", "must be positive");
  int64_t hidden = config.hidden, batch = config.batch;
  if (failed(expectShape(n, W, "W", {directions, gates * hidden, inputSize})) ||
      failed(expectShape(n, R, "R", {directions, gates * hidden, hidden})))
    return failure();
  SmallVector<int64_t> stateShape =
      layout == 0 ? SmallVector<int64_t>{directions, batch, hidden}
                  : SmallVector<int64_t>{batch, directions, hidden};
  struct OptionalInput {
    Input index;
    StringRef name;
    SmallVector<int64_t> shape;
  };
  SmallVector<OptionalInput> optionals = {
      {B, "B", {directions, 2 * gates * hidden}},
      {InitialH, "initial_h", stateShape}};
  if (family == Family::LSTM) {
    optionals.push_back({InitialC, "initial_c", stateShape});
    optionals.push_back({P, "P", {directions, 3 * hidden}});
  }
  for (const OptionalInput &opt : optionals)
    if (n.input(opt.index) &&
        failed(expectShape(n, opt.index, opt.name, opt.shape)))
      return failure();
  for (auto [i, name] : {std::pair{W, "W"}, {R, "R"}, {B, "B"},
                         {InitialH, "initial_h"}, {InitialC, "initial_c"},
                         {P, "P"}})
    if (n.input(i) && n.inputType(i).getElementType() != elementType)
      return n.error("input " + Twine(i) + " (" + name + ")",
                     "must have X's element type");

  // sequence_lens: constant lengths in [0, seq_length].
  SmallVector<int64_t> lengths;
  if (n.input(SequenceLens)) {
    DenseElementsAttr attr = n.constantInput(SequenceLens);
    if (!attr || !isa<IntegerType>(attr.getElementType()))
      return n.error("input 4 (sequence_lens)",
                     "must be a constant integer tensor: kiln unrolls the "
                     "time loop at compile time (give an initializer, or "
                     "bind the graph input with kilnc --bind-input)");
    if (failed(expectShape(n, SequenceLens, "sequence_lens", {batch})))
      return failure();
    SmallVector<int64_t> values;
    for (const APInt &v : attr.getValues<APInt>())
      values.push_back(v.getSExtValue());
    for (int64_t len : values)
      if (len < 0 || len > config.seqLength)
        return n.error("input 4 (sequence_lens)",
                       "length " + Twine(len) + " is outside [0, " +
                           Twine(config.seqLength) + "]");
    // Full lengths need no masks.
    if (llvm::any_of(values,
                     [&](int64_t len) { return len < config.seqLength; }))
      lengths = values;
  }

  Ops o(n, elementType);
  // Time-major X and states.
  Value x = *xIn;
  auto stateInput = [&](size_t i) -> Value {
    if (!n.input(i))
      return {};
    return layout == 0 ? n.input(i) : o.transpose(n.input(i), {1, 0, 2});
  };
  if (layout == 1)
    x = o.transpose(x, {1, 0, 2});
  Value initialH = stateInput(InitialH), initialC = stateInput(InitialC);

  SmallVector<DirectionResult> results;
  for (int64_t k = 0; k < directions; ++k) {
    Direction d;
    d.reverse = direction == "reverse" || k == 1;
    d.activations = (*activations)[k];
    d.W = o.take(*wIn, k);
    d.R = o.take(*rIn, k);
    if (n.input(B)) {
      Value bias = o.take(n.input(B), k);
      d.Wb = o.slice(bias, {0}, {gates * hidden});
      d.Rb = o.slice(bias, {gates * hidden}, {gates * hidden});
    }
    if (family == Family::LSTM && n.input(P)) {
      Value p = o.take(n.input(P), k);
      d.Pi = o.slice(p, {0}, {hidden});
      d.Po = o.slice(p, {hidden}, {hidden});
      d.Pf = o.slice(p, {2 * hidden}, {hidden});
    }
    d.initial.h = initialH ? o.take(initialH, k) : o.zeros({batch, hidden});
    if (family == Family::LSTM)
      d.initial.c = initialC ? o.take(initialC, k) : o.zeros({batch, hidden});
    if (!o.ok())
      return failure();
    results.push_back(runDirection(o, config, d, x, lengths));
  }

  // Y [seq_length, num_directions, batch, H]: per direction, the steps
  // stacked, then the directions side by side.
  if (n.wantsOutput(0)) {
    SmallVector<Value> perDirection;
    for (const DirectionResult &r : results) {
      SmallVector<Value> steps;
      for (Value y : r.ys)
        steps.push_back(o.reshape(y, {1, 1, batch, hidden}));
      perDirection.push_back(o.concat(steps, 0));
    }
    Value y = o.concat(perDirection, 1);
    n.setOutput(0, layout == 0 ? y : o.transpose(y, {2, 0, 1, 3}));
  }
  // Y_h, Y_c [num_directions, batch, H].
  auto finalStates = [&](Value State::*member) {
    SmallVector<Value> states;
    for (const DirectionResult &r : results)
      states.push_back(o.reshape(r.final.*member, {1, batch, hidden}));
    Value s = o.concat(states, 0);
    return layout == 0 ? s : o.transpose(s, {1, 0, 2});
  };
  if (n.wantsOutput(1))
    n.setOutput(1, finalStates(&State::h));
  if (family == Family::LSTM && n.wantsOutput(2))
    n.setOutput(2, finalStates(&State::c));
  return success(o.ok());
}

} // namespace

void registerRecurrentImporters(OpImporterTable &t) {
  t["RNN"] = [](NodeImporter &n) { return importRecurrent(n, Family::RNN); };
  t["GRU"] = [](NodeImporter &n) { return importRecurrent(n, Family::GRU); };
  t["LSTM"] = [](NodeImporter &n) { return importRecurrent(n, Family::LSTM); };
}

} // namespace kiln::onnx_frontend
