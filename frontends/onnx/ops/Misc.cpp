//===- Misc.cpp - Import of data-movement and signal ops by decomposition -===//
//
// Ops that become existing nn ops once their shape-valued inputs are known:
// Compress (a gather of the kept indices), CenterCropPad (slice + pad),
// ReverseSequence (gather_elements with computed indices), TensorScatter
// (scatter_elements), AffineGrid (a matmul with the constant base grid),
// the window functions (constants), DFT and STFT (matmuls with constant
// cosine and sine matrices, computed in f64).
//
//===----------------------------------------------------------------------===//
#include "frontends/onnx/ops/Compose.h"

#include <cmath>

using namespace mlir;
using namespace kiln::nn;

namespace kiln::onnx_frontend {
namespace {

LogicalResult setOutput(NodeImporter &n, Composer &c, Value v) {
  if (!c.ok() || !v)
    return failure();
  n.setOutput(0, v);
  return success();
}

/// Compress: the slices along `axis` (of the flattened input without it)
/// whose condition entry is true. The condition must be a constant.
LogicalResult importCompress(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  DenseElementsAttr cond = n.constantInput(1);
  if (!cond || cond.getType().getRank() != 1)
    return n.error("input 1 (condition)",
                   "must be a constant 1-D tensor (kiln compiles static "
                   "graphs)");
  Composer c(n);
  Value x = *input;
  int64_t axis = 0;
  auto type = n.inputType(0);
  if (n.hasAttribute("axis")) {
    auto a = n.normalizeAxis(n.intAttr("axis", 0), type.getRank(),
                             "attribute 'axis'");
    if (failed(a))
      return failure();
    axis = *a;
  } else {
    x = c.reshape(x, {type.getNumElements()});
  }
  if (!c.ok())
    return failure();
  int64_t extent = Composer::typeOf(x).getDimSize(axis);
  SmallVector<int64_t> kept;
  int64_t i = 0;
  auto keep = [&](bool v) {
    if (v && i < extent)
      kept.push_back(i);
    ++i;
  };
  if (cond.getElementType().isInteger(1)) {
    for (bool v : cond.getValues<bool>())
      keep(v);
  } else if (isa<FloatType>(cond.getElementType())) {
    for (APFloat v : cond.getValues<APFloat>())
      keep(!v.isZero());
  } else {
    for (APInt v : cond.getValues<APInt>())
      keep(!v.isZero());
  }
  if (kept.empty())
    return n.error("input 1 (condition)",
                   "selects nothing (empty tensors are not supported)");
  Value indices = c.ints(kept, {static_cast<int64_t>(kept.size())},
                         n.builder().getI64Type());
  return setOutput(n, c,
                   c.make<GatherOp>(x, indices,
                                    n.builder().getI64IntegerAttr(axis)));
}

/// CenterCropPad: per axis, a centered crop (slice) or a centered zero pad.
LogicalResult importCenterCropPad(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto shape = n.constantInts(1, "shape");
  if (failed(shape))
    return failure();
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  SmallVector<int64_t> axes;
  if (auto a = n.optionalIntsAttr("axes")) {
    for (int64_t axis : *a) {
      auto norm = n.normalizeAxis(axis, rank, "attribute 'axes'");
      if (failed(norm))
        return failure();
      axes.push_back(*norm);
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  if (shape->size() != axes.size())
    return n.error("input 1 (shape)", "needs one value per axis (" +
                                          Twine(axes.size()) + ")");
  SmallVector<int64_t> starts(rank, 0), sizes(type.getShape()),
      steps(rank, 1), pads(2 * rank, 0);
  bool crop = false, pad = false;
  for (auto [axis, target] : llvm::zip(axes, *shape)) {
    int64_t dim = type.getDimSize(axis);
    if (target < 1)
      return n.error("input 1 (shape)", "must be positive");
    if (target < dim) {
      starts[axis] = (dim - target) / 2;
      sizes[axis] = target;
      crop = true;
    } else if (target > dim) {
      pads[axis] = (target - dim) / 2;
      pads[axis + rank] = target - dim - pads[axis];
      pad = true;
    }
  }
  Composer c(n);
  Value x = *input;
  if (crop)
    x = c.slice(x, starts, sizes, steps);
  if (pad)
    x = c.make<PadOp>(x, n.builder().getDenseI64ArrayAttr(pads),
                      PadModeAttr::get(n.context(), PadMode::Constant),
                      n.builder().getF64FloatAttr(0.0));
  return setOutput(n, c, x);
}

/// ReverseSequence: out[.., t, ..] = x[.., len[b] - 1 - t, ..] for t <
/// len[b], else x itself; a gather_elements along the time axis.
LogicalResult importReverseSequence(NodeImporter &n) {
  auto input = n.requiredInput(0), lens = n.requiredInput(1);
  if (failed(input) || failed(lens))
    return failure();
  auto type = n.inputType(0);
  if (type.getRank() < 2)
    return n.error("input 0 (input)", "must have rank >= 2");
  int64_t batchAxis = n.intAttr("batch_axis", 1);
  int64_t timeAxis = n.intAttr("time_axis", 0);
  if (!((batchAxis == 0 && timeAxis == 1) || (batchAxis == 1 && timeAxis == 0)))
    return n.error("attributes 'batch_axis'/'time_axis'",
                   "must be 0 and 1, in either order");
  int64_t batch = type.getDimSize(batchAxis), time = type.getDimSize(timeAxis);
  if (n.inputType(1).getRank() != 1 || n.inputType(1).getDimSize(0) != batch)
    return n.error("input 1 (sequence_lens)",
                   "must hold one length per batch entry");
  int64_t rank = type.getRank();
  Composer c(n);
  Type i64 = n.builder().getI64Type();
  SmallVector<int64_t> lenShape(rank, 1);
  lenShape[batchAxis] = batch;
  Value len = c.reshape(c.cast(*lens, i64), lenShape);
  Value t = c.iota(time, rank, timeAxis);
  Value reversed = c.sub(c.sub(len, c.scalar(1, i64)), t);
  Value indices = c.where(c.lt(t, len), reversed, t);
  indices = c.broadcast(indices, type.getShape());
  return setOutput(n, c,
                   c.make<GatherElementsOp>(*input, indices,
                                            n.builder().getI64IntegerAttr(timeAxis)));
}

/// TensorScatter: the update written into the cache along `axis` from each
/// batch entry's write index (modulo the cache length in circular mode).
LogicalResult importTensorScatter(NodeImporter &n) {
  auto cache = n.requiredInput(0), update = n.requiredInput(1);
  if (failed(cache) || failed(update))
    return failure();
  auto type = n.inputType(0), uType = n.inputType(1);
  int64_t rank = type.getRank();
  if (uType.getRank() != rank || rank < 2)
    return n.error("input 1 (update)", "must have the cache's rank (>= 2)");
  auto axis = n.normalizeAxis(n.intAttr("axis", -2), rank, "attribute 'axis'");
  if (failed(axis))
    return failure();
  if (*axis == 0)
    return n.error("attribute 'axis'", "must not be the batch axis");
  std::string mode = n.stringAttr("mode", "linear");
  if (mode != "linear" && mode != "circular")
    return n.error("attribute 'mode'",
                   "must be 'linear' or 'circular', got '" + mode + "'");
  for (int64_t d = 0; d < rank; ++d)
    if (d != *axis ? uType.getDimSize(d) != type.getDimSize(d)
                   : uType.getDimSize(d) > type.getDimSize(d))
      return n.error("input 1 (update)",
                     "does not fit the cache on axis " + Twine(d));
  Composer c(n);
  Type i64 = n.builder().getI64Type();
  Value indices = c.iota(uType.getDimSize(*axis), rank, *axis);
  if (Value w = n.input(2)) {
    SmallVector<int64_t> wShape(rank, 1);
    wShape[0] = type.getDimSize(0);
    indices = c.add(indices, c.reshape(c.cast(w, i64), wShape));
  }
  if (mode == "circular")
    indices = c.make<ModOp>(indices, c.scalar(type.getDimSize(*axis), i64),
                            false);
  indices = c.broadcast(indices, uType.getShape());
  return setOutput(
      n, c,
      c.make<ScatterElementsOp>(
          *cache, indices, *update, n.builder().getI64IntegerAttr(*axis),
          ScatterReductionAttr::get(n.context(), ScatterReduction::None)));
}

/// numpy.arange(start, stop, step) in double.
SmallVector<double> arange(double start, double stop, double step) {
  SmallVector<double> values;
  int64_t count = std::max<int64_t>(0, std::ceil((stop - start) / step));
  for (int64_t i = 0; i < count; ++i)
    values.push_back(start + i * step);
  return values;
}

/// AffineGrid: theta [N, 2, 3] (or [N, 3, 4]) times the homogeneous base
/// grid of `size`, computed in f64.
LogicalResult importAffineGrid(NodeImporter &n) {
  auto theta = n.requiredInput(0);
  if (failed(theta))
    return failure();
  auto size = n.constantInts(1, "size");
  if (failed(size))
    return failure();
  auto tType = n.inputType(0);
  if (!isa<FloatType>(tType.getElementType()))
    return n.error("input 0 (theta)", "must be a floating-point tensor");
  int64_t dims = static_cast<int64_t>(size->size()) - 2;
  if (dims != 2 && dims != 3)
    return n.error("input 1 (size)", "must be [N, C, H, W] or [N, C, D, H, W]");
  int64_t batch = (*size)[0];
  if (tType.getShape() != ArrayRef<int64_t>{batch, dims, dims + 1})
    return n.error("input 0 (theta)", "must be [N, " + Twine(dims) + ", " +
                                          Twine(dims + 1) + "]");
  bool alignCorners = n.intAttr("align_corners", 0) != 0;
  SmallVector<int64_t> spatial(size->begin() + 2, size->end());
  if (llvm::any_of(spatial, [](int64_t d) { return d < 1; }))
    return n.error("input 1 (size)", "spatial sizes must be positive");
  SmallVector<SmallVector<double>> coords;
  for (int64_t d : spatial) {
    SmallVector<double> a;
    if (alignCorners) {
      a = d > 1 ? arange(-1, 1 + 0.0001, 2.0 / (d - 1)) : SmallVector<double>{-1};
    } else {
      double step = 2.0 / d;
      a = arange(-1 + step / 2, 1, step);
    }
    a.resize(d, a.empty() ? 0 : a.back());
    coords.push_back(a);
  }
  // Rows (x, y[, z], 1) over the points in row-major (D, H, W) order; x
  // runs along the last axis.
  int64_t points = numElements(spatial);
  SmallVector<double> grid;
  SmallVector<int64_t> index(dims, 0);
  for (int64_t p = 0; p < points; ++p) {
    int64_t rest = p;
    for (int64_t d = dims - 1; d >= 0; --d) {
      index[d] = rest % spatial[d];
      rest /= spatial[d];
    }
    for (int64_t d = dims - 1; d >= 0; --d)
      grid.push_back(coords[d][index[d]]);
    grid.push_back(1.0);
  }
  Composer c(n);
  Type f64 = n.builder().getF64Type();
  Value base = c.floats(grid, {points, dims + 1}, f64);
  Value gridT = c.transpose(base, {1, 0});
  Value product = c.matmul(c.cast(*theta, f64), gridT); // [N, dims, points]
  Value out = c.transpose(product, {0, 2, 1});
  SmallVector<int64_t> outShape{batch};
  outShape.append(spatial.begin(), spatial.end());
  outShape.push_back(dims);
  out = c.cast(c.reshape(out, outShape), tType.getElementType());
  return setOutput(n, c, out);
}

/// Hann, Hamming and Blackman windows of a constant size, as constants.
LogicalResult importWindow(NodeImporter &n, StringRef kind) {
  auto size = n.constantInts(0, "size");
  if (failed(size))
    return failure();
  if (size->size() != 1 || size->front() < 1)
    return n.error("input 0 (size)", "must be one positive integer");
  int64_t count = size->front();
  Type t = elementTypeOf(n.intAttr("output_datatype", 1), n.context());
  if (!t)
    return n.error("attribute 'output_datatype'", "unsupported data type");
  bool periodic = n.intAttr("periodic", 1) != 0;
  double denom = periodic ? count : count - 1;
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < count; ++i) {
    double v;
    if (kind == "hann") {
      double s = std::sin(i * M_PI / denom);
      v = s * s;
    } else if (kind == "hamming") {
      double alpha = 25.0 / 46.0;
      v = alpha - std::cos(i * M_PI * 2 / denom) * (1 - alpha);
    } else {
      v = std::cos((i * (M_PI * 2)) / denom) * -0.5 +
          std::cos((i * (M_PI * 4)) / denom) * 0.08 + 0.42;
    }
    if (isa<FloatType>(t))
      values.push_back(FloatAttr::get(t, v));
    else
      values.push_back(IntegerAttr::get(t, static_cast<int64_t>(v)));
  }
  n.setOutput(0, n.constant(DenseElementsAttr::get(
                     RankedTensorType::get({count}, t), values)));
  return success();
}

/// MelWeightMatrix of constant inputs: a constant, computed as the ONNX
/// reference does (triangular filters between mel-spaced bins).
LogicalResult importMelWeightMatrix(NodeImporter &n) {
  SmallVector<double> v;
  const char *names[] = {"num_mel_bins", "dft_length", "sample_rate",
                         "lower_edge_hertz", "upper_edge_hertz"};
  for (int i = 0; i < 5; ++i)
    if (!n.constantInput(i))
      return n.error("inputs", "num_mel_bins, dft_length, sample_rate, "
                               "lower_edge_hertz and upper_edge_hertz must be "
                               "constants (kiln compiles static graphs)");
  for (int i = 0; i < 5; ++i) {
    auto x = n.constantScalar(i, names[i]);
    if (failed(x))
      return failure();
    v.push_back(*x);
  }
  int64_t melBins = static_cast<int64_t>(v[0]), dftLength = v[1],
          sampleRate = v[2];
  if (melBins < 1 || dftLength < 1 || sampleRate < 1)
    return n.error("inputs 0-2", "must be positive");
  Type t = elementTypeOf(n.intAttr("output_datatype", 1), n.context());
  if (!t || !isa<FloatType>(t))
    return n.error("attribute 'output_datatype'", "must be a float data type");
  int64_t specBins = dftLength / 2 + 1;
  double lowMel = 2595 * std::log1p(v[3] / 700) / std::log(10.0);
  double highMel = 2595 * std::log1p(v[4] / 700) / std::log(10.0);
  double step = (highMel - lowMel) / (melBins + 2);
  SmallVector<int64_t> bins;
  for (int64_t i = 0; i < melBins + 2; ++i) {
    double f = i * step + lowMel;
    f = 700 * std::expm1(f / 2595 * std::log(10.0));
    bins.push_back(static_cast<int64_t>(std::floor((dftLength + 1) * f / sampleRate)));
  }
  SmallVector<double> out(specBins * melBins, 0.0);
  auto at = [&](int64_t j, int64_t i) -> double * {
    if (j < 0 || j >= specBins)
      return nullptr;
    return &out[j * melBins + i];
  };
  for (int64_t i = 0; i < melBins; ++i) {
    int64_t lo = bins[i], center = bins[i + 1], hi = bins[i + 2];
    if (center - lo == 0) {
      if (double *p = at(center, i))
        *p = 1;
    } else {
      for (int64_t j = lo; j <= center; ++j)
        if (double *p = at(j, i))
          *p = double(j - lo) / double(center - lo);
    }
    if (hi - center > 0)
      for (int64_t j = center; j < hi; ++j)
        if (double *p = at(j, i))
          *p = double(hi - j) / double(hi - center);
  }
  Composer c(n);
  n.setOutput(0, c.floats(out, {specBins, melBins}, t));
  return success();
}

/// The DFT of `x` (last axis: 1 real or 2 real/imaginary) along `axis`,
/// computed in f64 by matmuls with constant cosine and sine matrices.
/// Forward: X[k] = sum x[j] e^{-2 pi i jk/L}; inverse: (1/L) sum X[k]
/// e^{+2 pi i jk/L}; onesided forward keeps L/2 + 1 bins, onesided inverse
/// (irfft) takes them and returns the real signal.
Value buildDFT(Composer &c, Value x, int64_t axis, int64_t length,
               bool inverse, bool onesided) {
  NodeImporter &n = c.importer();
  Type f64 = n.builder().getF64Type();
  auto type = Composer::typeOf(x);
  int64_t rank = type.getRank();
  int64_t parts = type.getShape().back();
  Value wide = c.cast(x, f64);
  // Move the transformed axis last: [..., N] for the real and imaginary
  // parts.
  SmallVector<int64_t> perm;
  for (int64_t d = 0; d < rank - 1; ++d)
    if (d != axis)
      perm.push_back(d);
  perm.push_back(axis);
  perm.push_back(rank - 1);
  Value moved = c.transpose(wide, perm); // [..., N, parts]
  if (!c.ok())
    return {};
  auto movedShape = Composer::typeOf(moved).getShape();
  SmallVector<int64_t> partShape(movedShape.drop_back());
  auto part = [&](int64_t i) {
    return c.reshape(c.sliceAxis(moved, rank - 1, i, 1), partShape);
  };
  Value re = part(0);
  Value im = parts == 2 ? part(1) : Value();
  int64_t inLen = partShape.back();
  // The input bins that take part: the first `used`, zero-padded to `want`.
  int64_t want = inverse && onesided ? length / 2 + 1 : length;
  auto fit = [&](Value v) -> Value {
    if (!v || !c.ok())
      return v;
    if (inLen > want)
      return c.sliceAxis(v, rank - 2, 0, want);
    if (inLen < want) {
      SmallVector<int64_t> pads(2 * (rank - 1), 0);
      pads.back() = want - inLen;
      return c.make<PadOp>(v, n.builder().getDenseI64ArrayAttr(pads),
                           PadModeAttr::get(n.context(), PadMode::Constant),
                           n.builder().getF64FloatAttr(0.0));
    }
    return v;
  };
  re = fit(re);
  im = fit(im);
  int64_t outLen = !inverse && onesided ? length / 2 + 1 : length;
  // cos/sin matrices [want, outLen].
  SmallVector<double> cosM, sinM;
  for (int64_t j = 0; j < want; ++j)
    for (int64_t k = 0; k < outLen; ++k) {
      // Reduce j*k mod L first so that the angle stays exact.
      double angle = 2 * M_PI * static_cast<double>((j * k) % length) / length;
      double w = 1.0;
      if (inverse && onesided)
        w = (j == 0 || (length % 2 == 0 && j == length / 2)) ? 1.0 : 2.0;
      if (inverse)
        w /= length;
      cosM.push_back(w * std::cos(angle));
      sinM.push_back(w * std::sin(angle));
    }
  Value cosV = c.floats(cosM, {want, outLen}, f64);
  Value sinV = c.floats(sinM, {want, outLen}, f64);
  Value outRe, outIm;
  if (!inverse) {
    // Re = re C + im S, Im = im C - re S.
    outRe = c.matmul(re, cosV);
    outIm = c.sub(c.scalar(0, f64), c.matmul(re, sinV));
    if (im) {
      outRe = c.add(outRe, c.matmul(im, sinV));
      outIm = c.add(outIm, c.matmul(im, cosV));
    }
  } else {
    // Re = re C - im S, Im = re S + im C.
    outRe = c.matmul(re, cosV);
    outIm = c.matmul(re, sinV);
    if (im) {
      outRe = c.sub(outRe, c.matmul(im, sinV));
      outIm = c.add(outIm, c.matmul(im, cosV));
    }
  }
  if (!c.ok())
    return {};
  SmallVector<int64_t> withPart(Composer::typeOf(outRe).getShape());
  withPart.push_back(1);
  Value result = inverse && onesided
                     ? c.reshape(outRe, withPart)
                     : c.concat({c.reshape(outRe, withPart),
                                 c.reshape(outIm, withPart)},
                                rank - 1);
  // Move the axis back.
  SmallVector<int64_t> back(rank);
  for (int64_t i = 0; i < rank; ++i)
    back[perm[i]] = i;
  result = c.transpose(result, back);
  return c.cast(result, type.getElementType());
}

LogicalResult importDFT(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  if (rank < 2 || (type.getShape().back() != 1 && type.getShape().back() != 2))
    return n.error("input 0 (input)",
                   "must end in an axis of 1 (real) or 2 (complex) values");
  if (!isa<FloatType>(type.getElementType()))
    return n.error("input 0 (input)", "must be a floating-point tensor");
  int64_t axis;
  if (n.opsetVersion() >= 20) {
    axis = -2;
    if (n.input(2)) {
      auto a = n.constantInts(2, "axis");
      if (failed(a))
        return failure();
      axis = a->front();
    }
  } else {
    axis = n.intAttr("axis", 1);
  }
  auto norm = n.normalizeAxis(axis, rank, "axis");
  if (failed(norm))
    return failure();
  if (*norm == rank - 1)
    return n.error("axis", "must not be the last (real/imaginary) axis");
  bool inverse = n.intAttr("inverse", 0) != 0;
  bool onesided = n.intAttr("onesided", 0) != 0;
  int64_t inLen = type.getDimSize(*norm);
  int64_t length = inverse && onesided ? 2 * (inLen - 1) : inLen;
  if (n.input(1)) {
    auto l = n.constantInts(1, "dft_length");
    if (failed(l))
      return failure();
    length = l->front();
  }
  if (length < 1)
    return n.error("dft_length", "must be positive");
  Composer c(n);
  return setOutput(n, c, buildDFT(c, *input, *norm, length, inverse, onesided));
}

/// STFT: frames of the signal, weighted by the window, each transformed by
/// a DFT of frame_length.
LogicalResult importSTFT(NodeImporter &n) {
  auto signal = n.requiredInput(0);
  if (failed(signal))
    return failure();
  auto type = n.inputType(0);
  if (type.getRank() != 3 ||
      (type.getShape().back() != 1 && type.getShape().back() != 2))
    return n.error("input 0 (signal)",
                   "must be [batch, length, 1] or [batch, length, 2]");
  if (!isa<FloatType>(type.getElementType()))
    return n.error("input 0 (signal)", "must be a floating-point tensor");
  auto step = n.constantInts(1, "frame_step");
  if (failed(step))
    return failure();
  Value window = n.input(2);
  int64_t frameLength = window ? cast<RankedTensorType>(window.getType())
                                     .getDimSize(0)
                               : type.getDimSize(1);
  if (n.input(3)) {
    auto l = n.constantInts(3, "frame_length");
    if (failed(l))
      return failure();
    frameLength = l->front();
  }
  int64_t hop = step->front();
  int64_t len = type.getDimSize(1);
  if (hop < 1 || frameLength < 1 || frameLength > len)
    return n.error("inputs 1, 3 (frame_step, frame_length)",
                   "must give at least one frame of the signal");
  int64_t windowSize =
      window ? cast<RankedTensorType>(window.getType()).getDimSize(0)
             : frameLength;
  bool onesided = n.intAttr("onesided", 1) != 0;
  int64_t frames = 1 + (len - frameLength) / hop;
  SmallVector<int64_t> starts;
  for (int64_t f = 0; f < frames; ++f)
    for (int64_t w = 0; w < windowSize; ++w)
      starts.push_back(std::min(f * hop + w, len - 1));
  Composer c(n);
  Value idx = c.ints(starts, {frames, windowSize}, n.builder().getI64Type());
  Value framed = c.make<GatherOp>(*signal, idx, n.builder().getI64IntegerAttr(1));
  // Positions past the signal's end read as zero.
  SmallVector<double> inside;
  for (int64_t f = 0; f < frames; ++f)
    for (int64_t w = 0; w < windowSize; ++w)
      inside.push_back(f * hop + w < len ? 1.0 : 0.0);
  Type t = type.getElementType();
  Value weights = c.floats(inside, {1, frames, windowSize, 1}, t);
  if (window)
    weights = c.mul(weights, c.reshape(c.cast(window, t), {1, 1, windowSize, 1}));
  framed = c.mul(framed, weights);
  return setOutput(n, c, buildDFT(c, framed, 2, frameLength, false, onesided));
}

/// GridSample: the modes of opset 16 (bilinear, bicubic) are those of
/// opset 20 (linear, cubic).
LogicalResult importGridSample(NodeImporter &n) {
  auto x = n.requiredInput(0), grid = n.requiredInput(1);
  if (failed(x) || failed(grid))
    return failure();
  std::string mode = n.stringAttr("mode", n.opsetVersion() >= 20 ? "linear"
                                                                 : "bilinear");
  if (mode == "bilinear")
    mode = "linear";
  else if (mode == "bicubic")
    mode = "cubic";
  std::optional<InterpolationMode> interpolation =
      symbolizeInterpolationMode(mode);
  if (!interpolation)
    return n.error("attribute 'mode'", "unknown value '" + mode + "'");
  std::string padding = n.stringAttr("padding_mode", "zeros");
  std::optional<GridPaddingMode> paddingMode =
      symbolizeGridPaddingMode(padding);
  if (!paddingMode)
    return n.error("attribute 'padding_mode'", "unknown value '" + padding + "'");
  Builder &b = n.builder();
  auto result = n.create<GridSampleOp>(
      *x, *grid, InterpolationModeAttr::get(b.getContext(), *interpolation),
      GridPaddingModeAttr::get(b.getContext(), *paddingMode),
      b.getBoolAttr(n.intAttr("align_corners", 0) != 0));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// RoiAlign with a fixed sampling grid (sampling_ratio > 0).
LogicalResult importRoiAlign(NodeImporter &n) {
  auto x = n.requiredInput(0), rois = n.requiredInput(1),
       batch = n.requiredInput(2);
  if (failed(x) || failed(rois) || failed(batch))
    return failure();
  std::string ctm = n.stringAttr("coordinate_transformation_mode",
                                 n.opsetVersion() >= 16 ? "half_pixel"
                                                        : "output_half_pixel");
  if (ctm != "half_pixel" && ctm != "output_half_pixel")
    return n.error("attribute 'coordinate_transformation_mode'",
                   "must be half_pixel or output_half_pixel, got '" + ctm + "'");
  std::string mode = n.stringAttr("mode", "avg");
  std::optional<RoiAlignMode> roiMode = symbolizeRoiAlignMode(mode);
  if (!roiMode)
    return n.error("attribute 'mode'", "must be avg or max, got '" + mode + "'");
  int64_t ratio = n.intAttr("sampling_ratio", 0);
  if (ratio < 0)
    return n.error("attribute 'sampling_ratio'", "must not be negative");
  if (ratio == 0)
    return n.error("attribute 'sampling_ratio'",
                   "0 (a grid adapted to each roi's size) is not supported: "
                   "give a fixed sampling ratio");
  int64_t oh = n.intAttr("output_height", 1), ow = n.intAttr("output_width", 1);
  if (oh < 1 || ow < 1)
    return n.error("attributes 'output_height'/'output_width'",
                   "must be positive");
  Builder &b = n.builder();
  auto result =
      n.create<RoiAlignOp>(*x, *rois, *batch, b.getI64IntegerAttr(oh),
                           b.getI64IntegerAttr(ow), b.getI64IntegerAttr(ratio),
                           b.getF64FloatAttr(n.floatAttr("spatial_scale", 1.0)),
                           RoiAlignModeAttr::get(b.getContext(), *roiMode),
                           b.getBoolAttr(ctm == "half_pixel"));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

} // namespace

void registerMiscImporters(OpImporterTable &t) {
  t["RoiAlign"] = importRoiAlign;
  t["GridSample"] = importGridSample;
  t["Compress"] = importCompress;
  t["CenterCropPad"] = importCenterCropPad;
  t["ReverseSequence"] = importReverseSequence;
  t["TensorScatter"] = importTensorScatter;
  t["AffineGrid"] = importAffineGrid;
  t["HannWindow"] = [](NodeImporter &n) { return importWindow(n, "hann"); };
  t["HammingWindow"] = [](NodeImporter &n) {
    return importWindow(n, "hamming");
  };
  t["BlackmanWindow"] = [](NodeImporter &n) {
    return importWindow(n, "blackman");
  };
  t["DFT"] = importDFT;
  t["MelWeightMatrix"] = importMelWeightMatrix;
  t["STFT"] = importSTFT;
}

} // namespace kiln::onnx_frontend
