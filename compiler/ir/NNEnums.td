//===- NNEnums.td - Enum attributes of the nn dialect ------*- tablegen -*-===//
//
// Attributes that pick one of a fixed set of behaviours are enums, so the
// parser rejects an unknown value and lowerings switch over every case (the
// compiler flags a missing one). Each prints as #nn.<mnemonic><case>, e.g.
// `mode = #nn.interpolation<linear>`. Ops whose attributes share a case set
// share the enum.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_NN_ENUMS
#define KILN_NN_ENUMS

include "compiler/ir/NNDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

class NN_I32Enum<string name, string summary, list<I32EnumAttrCase> cases>
    : I32EnumAttr<name, summary, cases> {
  let cppNamespace = "::kiln::nn";
  // The attribute class comes from NN_EnumAttr (an AttrDef of the dialect).
  let genSpecializedAttr = 0;
}

// Prints as #nn.mnemonic<case>.
class NN_EnumAttr<I32EnumAttr enumInfo, string mnemonic>
    : EnumAttr<NN_Dialect, enumInfo, mnemonic> {
  let assemblyFormat = "`<` $value `>`";
}

def NN_RoundMode : NN_I32Enum<"RoundMode",
    "rounding of a conversion to float8e8m0", [
      I32EnumAttrCase<"Up", 0, "up">,
      I32EnumAttrCase<"Down", 1, "down">,
      I32EnumAttrCase<"Nearest", 2, "nearest">]>;
def NN_RoundModeAttr : NN_EnumAttr<NN_RoundMode, "round_mode">;

def NN_ReduceKind : NN_I32Enum<"ReduceKind", "reduction of nn.reduce", [
      I32EnumAttrCase<"Sum", 0, "sum">,
      I32EnumAttrCase<"Mean", 1, "mean">,
      I32EnumAttrCase<"Max", 2, "max">,
      I32EnumAttrCase<"Min", 3, "min">,
      I32EnumAttrCase<"Prod", 4, "prod">,
      I32EnumAttrCase<"L1", 5, "l1">,
      I32EnumAttrCase<"L2", 6, "l2">,
      I32EnumAttrCase<"LogSum", 7, "log_sum">,
      I32EnumAttrCase<"LogSumExp", 8, "log_sum_exp">,
      I32EnumAttrCase<"SumSquare", 9, "sum_square">]>;
def NN_ReduceKindAttr : NN_EnumAttr<NN_ReduceKind, "reduce_kind">;

def NN_ArgReduceKind : NN_I32Enum<"ArgReduceKind",
    "which extreme nn.arg_reduce finds", [
      I32EnumAttrCase<"Max", 0, "max">,
      I32EnumAttrCase<"Min", 1, "min">]>;
def NN_ArgReduceKindAttr : NN_EnumAttr<NN_ArgReduceKind, "arg_reduce_kind">;

def NN_PadMode : NN_I32Enum<"PadMode", "what nn.pad fills with", [
      I32EnumAttrCase<"Constant", 0, "constant">,
      I32EnumAttrCase<"Reflect", 1, "reflect">,
      I32EnumAttrCase<"Edge", 2, "edge">]>;
def NN_PadModeAttr : NN_EnumAttr<NN_PadMode, "pad_mode">;

// nn.scatter_elements and nn.scatter_nd.
def NN_ScatterReduction : NN_I32Enum<"ScatterReduction",
    "how a scatter combines an update with the old value", [
      I32EnumAttrCase<"None", 0, "none">,
      I32EnumAttrCase<"Add", 1, "add">,
      I32EnumAttrCase<"Mul", 2, "mul">,
      I32EnumAttrCase<"Max", 3, "max">,
      I32EnumAttrCase<"Min", 4, "min">]>;
def NN_ScatterReductionAttr
    : NN_EnumAttr<NN_ScatterReduction, "scatter_reduction">;

// nn.grid_sample and nn.resize.
def NN_InterpolationMode : NN_I32Enum<"InterpolationMode",
    "interpolation between input samples", [
      I32EnumAttrCase<"Nearest", 0, "nearest">,
      I32EnumAttrCase<"Linear", 1, "linear">,
      I32EnumAttrCase<"Cubic", 2, "cubic">]>;
def NN_InterpolationModeAttr
    : NN_EnumAttr<NN_InterpolationMode, "interpolation">;

def NN_GridPaddingMode : NN_I32Enum<"GridPaddingMode",
    "what nn.grid_sample reads outside the input", [
      I32EnumAttrCase<"Zeros", 0, "zeros">,
      I32EnumAttrCase<"Border", 1, "border">,
      I32EnumAttrCase<"Reflection", 2, "reflection">]>;
def NN_GridPaddingModeAttr
    : NN_EnumAttr<NN_GridPaddingMode, "grid_padding">;

def NN_RoiAlignMode : NN_I32Enum<"RoiAlignMode",
    "how nn.roi_align pools the samples of a bin", [
      I32EnumAttrCase<"Avg", 0, "avg">,
      I32EnumAttrCase<"Max", 1, "max">]>;
def NN_RoiAlignModeAttr : NN_EnumAttr<NN_RoiAlignMode, "roi_align_mode">;

def NN_CoordinateMode : NN_I32Enum<"CoordinateMode",
    "how nn.resize maps output to input coordinates", [
      I32EnumAttrCase<"HalfPixel", 0, "half_pixel">,
      I32EnumAttrCase<"HalfPixelSymmetric", 1, "half_pixel_symmetric">,
      I32EnumAttrCase<"PytorchHalfPixel", 2, "pytorch_half_pixel">,
      I32EnumAttrCase<"AlignCorners", 3, "align_corners">,
      I32EnumAttrCase<"Asymmetric", 4, "asymmetric">,
      I32EnumAttrCase<"TfHalfPixelForNN", 5, "tf_half_pixel_for_nn">,
      I32EnumAttrCase<"TfCropAndResize", 6, "tf_crop_and_resize">]>;
def NN_CoordinateModeAttr
    : NN_EnumAttr<NN_CoordinateMode, "coordinate_mode">;

def NN_NearestMode : NN_I32Enum<"NearestMode",
    "rounding of nearest-neighbour nn.resize", [
      I32EnumAttrCase<"RoundPreferFloor", 0, "round_prefer_floor">,
      I32EnumAttrCase<"RoundPreferCeil", 1, "round_prefer_ceil">,
      I32EnumAttrCase<"Floor", 2, "floor">,
      I32EnumAttrCase<"Ceil", 3, "ceil">,
      // Floor when upsampling, ceil when downsampling (ONNX Resize-10).
      I32EnumAttrCase<"Simple", 4, "simple">]>;
def NN_NearestModeAttr : NN_EnumAttr<NN_NearestMode, "nearest_mode">;

#endif // KILN_NN_ENUMS
