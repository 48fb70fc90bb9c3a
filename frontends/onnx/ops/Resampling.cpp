//===- Resampling.cpp - Import of ONNX upsampling ops ---------------------===//
//
// The ops that segmentation decoders upsample with: ConvTranspose, Resize
// (opsets 10, 11, 13, 18, 19), Upsample (opsets 7, 9) and MaxUnpool. Every
// shape-valued input (scales, sizes, roi, output_shape) must be a constant;
// the frontend resolves them, and auto_pad, into attributes.
//
//===----------------------------------------------------------------------===//
#include "frontends/onnx/NodeImporter.h"

#include <cmath>

using namespace mlir;
using namespace kiln::nn;

namespace kiln::onnx_frontend {
namespace {

int64_t floorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}


//===----------------------------------------------------------------------===//
// ConvTranspose
//===----------------------------------------------------------------------===//

LogicalResult importConvTranspose(NodeImporter &n) {
  auto input = n.requiredInput(0), filter = n.requiredInput(1);
  if (failed(input) || failed(filter))
    return failure();
  auto inputType = n.inputType(0);
  auto filterType = n.inputType(1);
  if (inputType.getRank() < 3 || filterType.getRank() != inputType.getRank())
    return n.error("input 1 (W)", "must have the rank of X, at least 3");
  int64_t spatial = inputType.getRank() - 2;
  int64_t group = n.intAttr("group", 1);
  if (group < 1 || inputType.getDimSize(1) % group != 0)
    return n.error("attribute 'group'",
                   Twine(group) + " does not divide the " +
                       Twine(inputType.getDimSize(1)) + " input channels");
  if (filterType.getDimSize(0) != inputType.getDimSize(1))
    return n.error("input 1 (W)",
                   "has " + Twine(filterType.getDimSize(0)) +
                       " input channels (dimension 0), X has " +
                       Twine(inputType.getDimSize(1)));
  SmallVector<int64_t> kernel(filterType.getShape().drop_front(2));
  if (auto given = n.optionalIntsAttr("kernel_shape"); given && *given != kernel)
    return n.error("attribute 'kernel_shape'",
                   "differs from the spatial dimensions of W");
  auto strides = n.intsAttrOfSize("strides", spatial, 1);
  auto dilations = n.intsAttrOfSize("dilations", spatial, 1);
  auto outputPadding = n.intsAttrOfSize("output_padding", spatial, 0);
  if (failed(strides) || failed(dilations) || failed(outputPadding))
    return failure();
  auto explicitPads = n.optionalIntsAttr("pads");
  if (explicitPads && static_cast<int64_t>(explicitPads->size()) != 2 * spatial)
    return n.error("attribute 'pads'", "expected " + Twine(2 * spatial) +
                                           " values, got " +
                                           Twine(explicitPads->size()));
  auto outputShape = n.optionalIntsAttr("output_shape");
  if (outputShape) {
    // Some exporters give the whole output shape; the spatial part counts.
    if (static_cast<int64_t>(outputShape->size()) == spatial + 2)
      outputShape->erase(outputShape->begin(), outputShape->begin() + 2);
    if (static_cast<int64_t>(outputShape->size()) != spatial)
      return n.error("attribute 'output_shape'",
                     "expected " + Twine(spatial) + " values, got " +
                         Twine(outputShape->size()));
  }
  std::string autoPad = n.stringAttr("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return n.error("attribute 'auto_pad'", "unknown value '" + autoPad + "'");

  // The extent of the full result (no padding) along each axis.
  SmallVector<int64_t> full;
  for (int64_t i = 0; i < spatial; ++i)
    full.push_back((*strides)[i] * (inputType.getDimSize(i + 2) - 1) +
                   (*outputPadding)[i] + (kernel[i] - 1) * (*dilations)[i] + 1);
  SmallVector<int64_t> pads(2 * spatial, 0);
  bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  if (same) {
    // The output is output_shape, or input * stride; the padding that
    // takes off is split with the odd one at the end (SAME_UPPER) or the
    // beginning (SAME_LOWER), as in the ONNX reference.
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t target = outputShape ? (*outputShape)[i]
                                   : inputType.getDimSize(i + 2) * (*strides)[i];
      int64_t total = full[i] - target;
      int64_t half = floorDiv(total, 2);
      pads[i] = autoPad == "SAME_UPPER" ? half : total - half;
      pads[i + spatial] = total - pads[i];
    }
  } else if (explicitPads && autoPad == "NOTSET") {
    pads = *explicitPads;
    // With both pads and output_shape, the output starts at pads[begin] and
    // has output_shape's extent.
    if (outputShape)
      for (int64_t i = 0; i < spatial; ++i)
        pads[i + spatial] = full[i] - pads[i] - (*outputShape)[i];
  } else if (outputShape) {
    // pads from output_shape: a larger output extends the end with zeros;
    // a smaller one crops, more at the beginning (the ONNX definition).
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t total = full[i] - (*outputShape)[i];
      if (total <= 0) {
        pads[i + spatial] = total;
        continue;
      }
      pads[i] = total - total / 2;
      pads[i + spatial] = total / 2;
    }
  }
  Builder &b = n.builder();
  auto result = n.create<ConvTransposeOp>(
      *input, *filter, n.input(2), b.getDenseI64ArrayAttr(*strides),
      b.getDenseI64ArrayAttr(pads), b.getDenseI64ArrayAttr(*dilations),
      b.getDenseI64ArrayAttr(*outputPadding), b.getI64IntegerAttr(group));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// Resize and Upsample
//===----------------------------------------------------------------------===//

/// Whether optional input i is absent: not given, or a tensor with no
/// elements (Resize-11 passes empty scales when it gives sizes).
bool absent(NodeImporter &n, size_t i) {
  if (!n.input(i))
    return true;
  return n.inputType(i).hasStaticShape() && n.inputType(i).getNumElements() == 0;
}

/// Input i as floats; it must be a constant.
FailureOr<SmallVector<double>> constantFloats(NodeImporter &n, size_t i,
                                              StringRef what) {
  DenseElementsAttr attr = n.constantInput(i);
  if (!attr || !isa<FloatType>(attr.getElementType()))
    return n.error("input " + Twine(i) + " (" + what + ")",
                   "must be a constant float tensor (kiln compiles static "
                   "graphs)");
  SmallVector<double> values;
  for (const APFloat &v : attr.getValues<APFloat>())
    values.push_back(v.convertToDouble());
  return values;
}

struct ResizeSpec {
  std::string mode = "nearest"; ///< Checked by buildResize.
  CoordinateMode coordinateMode = CoordinateMode::HalfPixel;
  NearestMode nearestMode = NearestMode::RoundPreferFloor;
  double cubicCoeffA = -0.75;
  bool excludeOutside = false;
  double extrapolationValue = 0.0;
  bool antialias = false;
  /// One entry per axis listed in `axes` (every axis when empty).
  std::optional<SmallVector<double>> scales;
  std::optional<SmallVector<int64_t>> sizes;
  std::optional<SmallVector<double>> roi;
  SmallVector<int64_t> axes;
  std::string keepAspectRatioPolicy = "stretch";
};

/// Builds nn.resize: resolves axes, scales or sizes and the aspect-ratio
/// policy into a full output shape and the per-axis scale the coordinate
/// transformation uses, as the ONNX reference does.
LogicalResult buildResize(NodeImporter &n, Value input, ResizeSpec spec) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  auto shape = type.getShape();
  if (spec.axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      spec.axes.push_back(d);
  int64_t count = spec.axes.size();
  SmallVector<bool> seen(rank, false);
  for (int64_t &axis : spec.axes) {
    auto normalized = n.normalizeAxis(axis, rank, "attribute 'axes'");
    if (failed(normalized))
      return failure();
    axis = *normalized;
    if (seen[axis])
      return n.error("attribute 'axes'", "repeats axis " + Twine(axis));
    seen[axis] = true;
  }
  if (spec.scales && spec.sizes)
    return n.error("inputs", "scales and sizes are both given; give one");
  if (!spec.scales && !spec.sizes)
    return n.error("inputs", "one of scales and sizes is required");

  SmallVector<double> scales(rank, 1.0);
  SmallVector<int64_t> sizes(shape);
  if (spec.scales) {
    if (static_cast<int64_t>(spec.scales->size()) != count)
      return n.error("input 2 (scales)", "expected " + Twine(count) +
                                             " values, got " +
                                             Twine(spec.scales->size()));
    for (int64_t i = 0; i < count; ++i) {
      double scale = (*spec.scales)[i];
      if (!(scale > 0))
        return n.error("input 2 (scales)", "values must be positive");
      int64_t axis = spec.axes[i];
      scales[axis] = scale;
      sizes[axis] = static_cast<int64_t>(std::floor(scale * shape[axis]));
      if (sizes[axis] < 1)
        return n.error("input 2 (scales)",
                       "gives an empty output on axis " + Twine(axis));
    }
  } else {
    if (static_cast<int64_t>(spec.sizes->size()) != count)
      return n.error("input 3 (sizes)", "expected " + Twine(count) +
                                            " values, got " +
                                            Twine(spec.sizes->size()));
    for (int64_t i = 0; i < count; ++i) {
      if ((*spec.sizes)[i] < 1)
        return n.error("input 3 (sizes)", "values must be positive");
      int64_t axis = spec.axes[i];
      sizes[axis] = (*spec.sizes)[i];
      scales[axis] = static_cast<double>(sizes[axis]) / shape[axis];
    }
    const std::string &policy = spec.keepAspectRatioPolicy;
    if (policy == "not_larger" || policy == "not_smaller") {
      double scale = scales[spec.axes.front()];
      for (int64_t axis : spec.axes)
        scale = policy == "not_larger" ? std::min(scale, scales[axis])
                                       : std::max(scale, scales[axis]);
      for (int64_t axis : spec.axes) {
        scales[axis] = scale;
        sizes[axis] = static_cast<int64_t>(scale * shape[axis] + 0.5);
      }
    } else if (policy != "stretch") {
      return n.error("attribute 'keep_aspect_ratio_policy'",
                     "unknown value '" + policy + "'");
    }
  }

  Builder &b = n.builder();
  DenseF64ArrayAttr roiAttr;
  if (spec.coordinateMode == CoordinateMode::TfCropAndResize) {
    if (!spec.roi)
      return n.error("input 1 (roi)", "is required by tf_crop_and_resize");
    if (static_cast<int64_t>(spec.roi->size()) != 2 * count)
      return n.error("input 1 (roi)", "expected " + Twine(2 * count) +
                                          " values, got " +
                                          Twine(spec.roi->size()));
    SmallVector<double> roi(rank, 0.0);
    roi.append(rank, 1.0);
    for (int64_t i = 0; i < count; ++i) {
      roi[spec.axes[i]] = (*spec.roi)[i];
      roi[rank + spec.axes[i]] = (*spec.roi)[count + i];
    }
    roiAttr = b.getDenseF64ArrayAttr(roi);
  }
  std::optional<InterpolationMode> mode = symbolizeInterpolationMode(spec.mode);
  if (!mode)
    return n.error("attribute 'mode'", "unknown value '" + spec.mode + "'");
  if (*mode != InterpolationMode::Nearest &&
      !isa<FloatType>(type.getElementType()))
    return n.error("input 0 (X)", "mode " + spec.mode +
                                      " takes floating-point tensors");
  if (spec.antialias && *mode == InterpolationMode::Nearest)
    spec.antialias = false; // ONNX: antialias does not apply to nearest.
  auto result = n.create<ResizeOp>(
      input, b.getDenseI64ArrayAttr(sizes), b.getDenseF64ArrayAttr(scales),
      InterpolationModeAttr::get(b.getContext(), *mode),
      CoordinateModeAttr::get(b.getContext(), spec.coordinateMode),
      NearestModeAttr::get(b.getContext(), spec.nearestMode),
      b.getF64FloatAttr(spec.cubicCoeffA), b.getBoolAttr(spec.excludeOutside),
      b.getF64FloatAttr(spec.extrapolationValue), b.getBoolAttr(spec.antialias),
      roiAttr);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// Resize-10 and Upsample: asymmetric coordinates, output floor(in * scale),
/// nearest rounding down when upsampling and up when downsampling.
ResizeSpec legacyResizeSpec(NodeImporter &n) {
  ResizeSpec spec;
  spec.mode = n.stringAttr("mode", "nearest");
  if (spec.mode == "bilinear" || spec.mode == "trilinear")
    spec.mode = "linear";
  spec.coordinateMode = CoordinateMode::Asymmetric;
  spec.nearestMode = NearestMode::Simple;
  return spec;
}

LogicalResult importResize(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  if (n.opsetVersion() < 11) {
    ResizeSpec spec = legacyResizeSpec(n);
    auto scales = constantFloats(n, 1, "scales");
    if (failed(scales))
      return failure();
    spec.scales = *scales;
    return buildResize(n, *input, spec);
  }
  ResizeSpec spec;
  spec.mode = n.stringAttr("mode", "nearest");
  std::string coordinateMode =
      n.stringAttr("coordinate_transformation_mode", "half_pixel");
  std::string nearestMode = n.stringAttr("nearest_mode", "round_prefer_floor");
  spec.cubicCoeffA = n.floatAttr("cubic_coeff_a", -0.75);
  spec.excludeOutside = n.intAttr("exclude_outside", 0) != 0;
  spec.extrapolationValue = n.floatAttr("extrapolation_value", 0.0);
  spec.antialias = n.intAttr("antialias", 0) != 0;
  spec.keepAspectRatioPolicy = n.stringAttr("keep_aspect_ratio_policy", "stretch");
  spec.axes = n.intsAttr("axes");
  // "simple" is Resize-10's rounding, not an ONNX nearest_mode.
  std::optional<NearestMode> nearest = symbolizeNearestMode(nearestMode);
  if (!nearest || *nearest == NearestMode::Simple)
    return n.error("attribute 'nearest_mode'",
                   "unknown value '" + nearestMode + "'");
  spec.nearestMode = *nearest;
  std::optional<CoordinateMode> coordinates =
      symbolizeCoordinateMode(coordinateMode);
  if (!coordinates)
    return n.error("attribute 'coordinate_transformation_mode'",
                   "unknown value '" + coordinateMode + "'");
  spec.coordinateMode = *coordinates;
  if (!absent(n, 2)) {
    auto scales = constantFloats(n, 2, "scales");
    if (failed(scales))
      return failure();
    spec.scales = *scales;
  }
  if (!absent(n, 3)) {
    auto sizes = n.constantInts(3, "sizes");
    if (failed(sizes))
      return failure();
    spec.sizes = *sizes;
  }
  // roi matters only to tf_crop_and_resize.
  if (spec.coordinateMode == CoordinateMode::TfCropAndResize && !absent(n, 1)) {
    auto roi = constantFloats(n, 1, "roi");
    if (failed(roi))
      return failure();
    spec.roi = *roi;
  }
  return buildResize(n, *input, spec);
}

LogicalResult importUpsample(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  ResizeSpec spec = legacyResizeSpec(n);
  if (n.opsetVersion() < 9) {
    if (!n.hasAttribute("scales"))
      return n.error("attribute 'scales'", "is required");
    SmallVector<double> scales;
    for (float s : n.floatsAttr("scales"))
      scales.push_back(s);
    spec.scales = scales;
  } else {
    auto scales = constantFloats(n, 1, "scales");
    if (failed(scales))
      return failure();
    spec.scales = *scales;
  }
  return buildResize(n, *input, spec);
}

//===----------------------------------------------------------------------===//
// MaxUnpool
//===----------------------------------------------------------------------===//

LogicalResult importMaxUnpool(NodeImporter &n) {
  auto input = n.requiredInput(0), indices = n.requiredInput(1);
  if (failed(input) || failed(indices))
    return failure();
  auto inputType = n.inputType(0);
  if (inputType.getRank() < 3)
    return n.error("input 0 (X)", "must have rank >= 3 (N, C, spatial...)");
  int64_t spatial = inputType.getRank() - 2;
  if (!n.hasAttribute("kernel_shape"))
    return n.error("attribute 'kernel_shape'", "is required");
  auto kernel = n.intsAttrOfSize("kernel_shape", spatial, 1);
  auto strides = n.intsAttrOfSize("strides", spatial, 1);
  auto pads = n.intsAttrOfSize("pads", 2 * spatial, 0);
  if (failed(kernel) || failed(strides) || failed(pads))
    return failure();
  SmallVector<int64_t> outputShape(inputType.getShape().take_front(2));
  for (int64_t i = 0; i < spatial; ++i)
    outputShape.push_back((inputType.getDimSize(i + 2) - 1) * (*strides)[i] +
                          (*kernel)[i] - (*pads)[i] - (*pads)[i + spatial]);
  if (!absent(n, 2)) {
    auto given = n.constantInts(2, "output_shape");
    if (failed(given))
      return failure();
    if (given->size() != outputShape.size())
      return n.error("input 2 (output_shape)",
                     "expected " + Twine(outputShape.size()) +
                         " values, got " + Twine(given->size()));
    outputShape = *given;
  }
  // The indices address the tensor that was pooled. When the graph pools
  // it (MaxPool's Indices, as exporters of SegNet-style models produce),
  // its shape is known: a larger output_shape is that shape (PyTorch's
  // output_size, odd extents) and the indices address it directly, as ONNX
  // Runtime reads them. Otherwise they address the unpooled shape, as the
  // ONNX reference (and its node test) reads them.
  DenseI64ArrayAttr indexedShape;
  Builder &b = n.builder();
  if (auto pool = (*indices).getDefiningOp<MaxPoolWithIndicesOp>()) {
    ArrayRef<int64_t> pooled = pool.getInput().getType().getShape();
    bool fits = pooled.size() == outputShape.size();
    for (size_t d = 0; fits && d < pooled.size(); ++d)
      fits = pooled[d] <= outputShape[d] && (d >= 2 || pooled[d] == outputShape[d]);
    if (fits)
      indexedShape = b.getDenseI64ArrayAttr(pooled);
  }
  auto result = n.create<MaxUnpoolOp>(
      *input, *indices, b.getDenseI64ArrayAttr(*kernel),
      b.getDenseI64ArrayAttr(*strides), b.getDenseI64ArrayAttr(*pads),
      b.getDenseI64ArrayAttr(outputShape), indexedShape);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

} // namespace

void registerResamplingImporters(OpImporterTable &t) {
  t["ConvTranspose"] = importConvTranspose;
  t["Resize"] = importResize;
  t["Upsample"] = importUpsample;
  t["MaxUnpool"] = importMaxUnpool;
}

} // namespace kiln::onnx_frontend
