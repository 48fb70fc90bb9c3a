#!/usr/bin/env python3
"""Writes the small ONNX models that the importer tests of the ops added for
the newer ONNX opsets compile (TopK, Einsum, Attention, the normalizations,
the activations, the quantization ops, Cast to the narrow types, ...).

    make_added_models.py NAME OUT.onnx
    make_added_models.py --list

As Inputs/make_model.py: well-formed models pass onnx.checker (full_check);
node names are set, so that errors name them.
"""
import os
import sys

import numpy as np
from onnx import TensorProto as T
from onnx import helper as h


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lit_models import Registry, const, vi  # noqa: E402

model = Registry()


def make(nodes, inputs, outputs, opset, inits=()):
    graph = h.make_graph(nodes, "g", inputs, outputs, initializer=list(inits))
    return h.make_model(graph, opset_imports=[h.make_opsetid("", opset)],
                        producer_name="kiln-lit")


def unary(op, opset, in_type=T.FLOAT, out_type=T.FLOAT, shape=(2, 3),
          out_shape=None, **attrs):
    return make([h.make_node(op, ["X"], ["Y"], name=op.lower(), **attrs)],
                [vi("X", in_type, list(shape))],
                [vi("Y", out_type, list(shape if out_shape is None else out_shape))],
                opset)


@model("topk")
def topk():
    """TopK-11 with a constant K, the smallest two along the last axis."""
    return make([h.make_node("TopK", ["X", "K"], ["V", "I"], name="topk",
                             largest=0)],
                [vi("X", T.FLOAT, [3, 4])],
                [vi("V", T.FLOAT, [3, 2]), vi("I", T.INT64, [3, 2])], 11,
                [const("K", np.array([2], dtype=np.int64))])


@model("topk_input_k", check=False)
def topk_input_k():
    return make([h.make_node("TopK", ["X", "K"], ["V", "I"], name="topk")],
                [vi("X", T.FLOAT, [3, 4]), vi("K", T.INT64, [1])],
                [vi("V", T.FLOAT, None), vi("I", T.INT64, None)], 11)


@model("topk_bad_k", check=False)
def topk_bad_k():
    return make([h.make_node("TopK", ["X", "K"], ["V", "I"], name="topk")],
                [vi("X", T.FLOAT, [3, 4])],
                [vi("V", T.FLOAT, None), vi("I", T.INT64, None)], 11,
                [const("K", np.array([5], dtype=np.int64))])


@model("einsum_ellipsis")
def einsum_ellipsis():
    """Implicit output, ellipses whose axes broadcast (1 against 2 and 5)."""
    return make([h.make_node("Einsum", ["A", "B"], ["Y"], name="einsum",
                             equation="...ij, ...jk")],
                [vi("A", T.FLOAT, [2, 1, 3, 4]), vi("B", T.FLOAT, [1, 5, 4, 6])],
                [vi("Y", T.FLOAT, [2, 5, 3, 6])], 12)


@model("einsum_bad_terms", check=False)
def einsum_bad_terms():
    return make([h.make_node("Einsum", ["A", "B", "A"], ["Y"], name="einsum",
                             equation="ij,jk->ik")],
                [vi("A", T.FLOAT, [2, 3]), vi("B", T.FLOAT, [3, 4])],
                [vi("Y", T.FLOAT, None)], 12)


@model("attention_causal")
def attention_causal():
    """Attention-23, 4-D, causal."""
    return make([h.make_node("Attention", ["Q", "K", "V"], ["Y"],
                             name="attention", is_causal=1)],
                [vi("Q", T.FLOAT, [1, 2, 3, 8]), vi("K", T.FLOAT, [1, 2, 3, 8]),
                 vi("V", T.FLOAT, [1, 2, 3, 8])],
                [vi("Y", T.FLOAT, [1, 2, 3, 8])], 23)


@model("attention_bad_mode", check=False)
def attention_bad_mode():
    return make([h.make_node("Attention", ["Q", "K", "V"], ["Y"],
                             name="attention", qk_matmul_output_mode=5)],
                [vi("Q", T.FLOAT, [1, 2, 3, 8]), vi("K", T.FLOAT, [1, 2, 3, 8]),
                 vi("V", T.FLOAT, [1, 2, 3, 8])],
                [vi("Y", T.FLOAT, None)], 23)


@model("group_norm")
def group_norm():
    return make([h.make_node("GroupNormalization", ["X", "S", "B"], ["Y"],
                             name="group_norm", num_groups=2)],
                [vi("X", T.FLOAT, [1, 4, 2, 2]), vi("S", T.FLOAT, [4]),
                 vi("B", T.FLOAT, [4])],
                [vi("Y", T.FLOAT, [1, 4, 2, 2])], 21)


@model("group_norm_bad_groups", check=False)
def group_norm_bad_groups():
    return make([h.make_node("GroupNormalization", ["X", "S", "B"], ["Y"],
                             name="group_norm", num_groups=3)],
                [vi("X", T.FLOAT, [1, 4, 2, 2]), vi("S", T.FLOAT, [4]),
                 vi("B", T.FLOAT, [4])],
                [vi("Y", T.FLOAT, None)], 21)


@model("lp_norm_bad_p", check=False)
def lp_norm_bad_p():
    return unary("LpNormalization", 22, p=3)


@model("gelu_tanh")
def gelu_tanh():
    return unary("Gelu", 20, approximate="tanh")


@model("gelu_bad", check=False)
def gelu_bad():
    return unary("Gelu", 20, approximate="exact")


@model("isinf_negative")
def isinf_negative():
    return unary("IsInf", 20, out_type=T.BOOL, detect_positive=0)


@model("compress")
def compress():
    """Compress-11 with a constant condition along axis 1."""
    return make([h.make_node("Compress", ["X", "C"], ["Y"], name="compress",
                             axis=1)],
                [vi("X", T.FLOAT, [2, 3])], [vi("Y", T.FLOAT, [2, 2])], 11,
                [const("C", np.array([True, False, True]))])


@model("cast_float8_no_saturate")
def cast_float8_no_saturate():
    return unary("Cast", 21, out_type=T.FLOAT8E5M2, to=T.FLOAT8E5M2, saturate=0)


@model("cast_bad_round_mode", check=False)
def cast_bad_round_mode():
    return unary("Cast", 24, out_type=24, to=24, round_mode="sideways")


@model("quantize_int4")
def quantize_int4():
    """QuantizeLinear-21 to int4 (the zero point's type)."""
    return make([h.make_node("QuantizeLinear", ["X", "S", "Z"], ["Y"],
                             name="quantize")],
                [vi("X", T.FLOAT, [2, 3])], [vi("Y", T.INT4, [2, 3])], 21,
                [const("S", np.array(0.5, dtype=np.float32)),
                 h.make_tensor("Z", T.INT4, [], [1])])


@model("dequantize_axis")
def dequantize_axis():
    """DequantizeLinear-21 with per-channel (axis 1) scales."""
    return make([h.make_node("DequantizeLinear", ["X", "S", "Z"], ["Y"],
                             name="dequantize", axis=1)],
                [vi("X", T.UINT8, [2, 3])], [vi("Y", T.FLOAT, [2, 3])], 21,
                [const("S", np.array([0.5, 1, 2], dtype=np.float32)),
                 const("Z", np.array([1, 2, 3], dtype=np.uint8))])


@model("bitcast_bad_width", check=False)
def bitcast_bad_width():
    return unary("BitCast", 26, in_type=T.INT32, out_type=T.FLOAT16,
                 to=T.FLOAT16)


@model("gridsample_bad_mode", check=False)
def gridsample_bad_mode():
    return make([h.make_node("GridSample", ["X", "G"], ["Y"], name="grid",
                             mode="area")],
                [vi("X", T.FLOAT, [1, 1, 4, 4]), vi("G", T.FLOAT, [1, 2, 2, 2])],
                [vi("Y", T.FLOAT, None)], 20)


@model("det")
def det():
    return unary("Det", 11, shape=(2, 3, 3), out_shape=(2,))


@model("cumprod")
def cumprod():
    return make([h.make_node("CumProd", ["X", "A"], ["Y"], name="cumprod",
                             exclusive=1)],
                [vi("X", T.FLOAT, [2, 3])], [vi("Y", T.FLOAT, [2, 3])], 26,
                [const("A", np.array(1, dtype=np.int64))])


def _roi_align(**attrs):
    return make([h.make_node("RoiAlign", ["X", "R", "B"], ["Y"], name="roi_align",
                             **attrs)],
                [vi("X", T.FLOAT, [1, 1, 8, 8]), vi("R", T.FLOAT, [2, 4]),
                 vi("B", T.INT64, [2])],
                [vi("Y", T.FLOAT, [2, 1, 3, 3])], 16)


@model("roi_align")
def roi_align():
    return _roi_align(output_height=3, output_width=3, sampling_ratio=2,
                      spatial_scale=0.5)


@model("roi_align_adaptive", check=False)
def roi_align_adaptive():
    return _roi_align(output_height=3, output_width=3)


def main():
    return model.main(__doc__)


if __name__ == "__main__":
    sys.exit(main())
