#!/usr/bin/env python3
"""Writes the small ONNX models that the upsampling importer tests compile
(ConvTranspose, Resize, Upsample, MaxPool with Indices, MaxUnpool).

    make_resampling_models.py NAME OUT.onnx
    make_resampling_models.py --list

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


def make(nodes, inputs, outputs, inits=(), opset=13):
    graph = h.make_graph(nodes, "g", inputs, outputs, list(inits))
    return h.make_model(graph, opset_imports=[h.make_opsetid("", opset)],
                        producer_name="kiln-lit")


def weights(*shape):
    return np.arange(np.prod(shape), dtype=np.float32).reshape(shape) / 10


# --- ConvTranspose --------------------------------------------------------

@model("convtranspose_attrs")
def convtranspose_attrs():
    """Input 3x3, kernel 3x3, stride 2: the full result is 7x7."""
    x = [vi("X", T.FLOAT, [1, 4, 3, 3])]
    w = const("W", weights(4, 3, 3, 3))
    b = const("B", np.ones(6, np.float32))
    return make(
        [  # Explicit pads and output_padding, 2 groups, with bias.
         h.make_node("ConvTranspose", ["X", "W", "B"], ["Y0"], name="explicit",
                     strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1],
                     group=2),
         # output_shape 10x8: a larger output extends the end (pads 0, -3 and
         # 0, -1).
         h.make_node("ConvTranspose", ["X", "W"], ["Y1"], name="out_shape",
                     strides=[2, 2], output_shape=[10, 8], group=2),
         # output_shape 5x6: a smaller one crops, more at the beginning.
         h.make_node("ConvTranspose", ["X", "W"], ["Y2"], name="out_crop",
                     strides=[2, 2], output_shape=[5, 6], group=2),
         # SAME_UPPER: output = input * stride = 6, total padding 1 at the end.
         h.make_node("ConvTranspose", ["X", "W"], ["Y3"], name="same_upper",
                     strides=[2, 2], auto_pad="SAME_UPPER", group=2),
         # SAME_LOWER: the odd padding at the beginning.
         h.make_node("ConvTranspose", ["X", "W"], ["Y4"], name="same_lower",
                     strides=[2, 2], auto_pad="SAME_LOWER", group=2),
         # Pads and output_shape: the output starts at pads[begin].
         h.make_node("ConvTranspose", ["X", "W"], ["Y5"], name="pads_shape",
                     strides=[2, 2], pads=[1, 2, 0, 0], output_shape=[6, 5],
                     group=2),
         ],
        x, [vi("Y%d" % i, T.FLOAT, [1, 6] + hw) for i, hw in enumerate(
            [[6, 6], [10, 8], [5, 6], [6, 6], [6, 6], [6, 5]])], [w, b])


@model("convtranspose_channels", check=False)
def convtranspose_channels():
    return make(
        [h.make_node("ConvTranspose", ["X", "W"], ["Y"], name="bad_convt")],
        [vi("X", T.FLOAT, [1, 4, 3, 3])], [vi("Y", T.FLOAT, None)],
        [const("W", weights(3, 2, 3, 3))])


# --- Resize and Upsample --------------------------------------------------

def _resize(opset, inputs, inits, shape=None, **attrs):
    return make([h.make_node("Resize", inputs, ["Y"], name="resize", **attrs)],
                [vi("X", T.FLOAT, [1, 2, 4, 6])], [vi("Y", T.FLOAT, shape)],
                inits, opset)


@model("resize_opset10")
def resize_opset10():
    # Resize-10: X and scales; asymmetric, nearest rounds simply.
    return _resize(10, ["X", "S"], [const("S", np.array([1, 1, 2, 1.5], np.float32))],
                   [1, 2, 8, 9])


@model("resize_opset11_sizes")
def resize_opset11_sizes():
    # Resize-11: roi and empty scales before sizes.
    return _resize(11, ["X", "R", "S", "Z"],
                   [const("R", np.zeros(0, np.float32)),
                    const("S", np.zeros(0, np.float32)),
                    const("Z", np.array([1, 2, 3, 9], np.int64))], [1, 2, 3, 9],
                   mode="linear", coordinate_transformation_mode="align_corners")


@model("resize_opset13_scales")
def resize_opset13_scales():
    # Scales 0.6 of 6 is 3.6: the output takes the floor, the coordinates
    # the scale itself.
    return _resize(13, ["X", "", "S"],
                   [const("S", np.array([1, 1, 0.5, 0.6], np.float32))], [1, 2, 2, 3],
                   mode="cubic", cubic_coeff_a=-0.5, exclude_outside=1)


@model("resize_opset18_axes")
def resize_opset18_axes():
    # Sizes for axes [3, 2], not larger than 8x8 keeping the aspect ratio:
    # scale min(8/4, 8/6) = 4/3, output 5x8.
    return _resize(18, ["X", "", "", "Z"],
                   [const("Z", np.array([8, 8], np.int64))], [1, 2, 5, 8],
                   axes=[3, 2], keep_aspect_ratio_policy="not_larger",
                   mode="linear", antialias=1)


@model("resize_opset19_crop")
def resize_opset19_crop():
    return _resize(19, ["X", "R", "", "Z"],
                   [const("R", np.array([0.25, 0.5, 0.75, 1.0], np.float32)),
                    const("Z", np.array([3, 3], np.int64))], [1, 2, 3, 3],
                   axes=[2, 3], coordinate_transformation_mode="tf_crop_and_resize",
                   extrapolation_value=-1.0, nearest_mode="ceil")


@model("upsample_opset7")
def upsample_opset7():
    return make([h.make_node("Upsample", ["X"], ["Y"], name="up7",
                             scales=[1.0, 1.0, 2.0, 3.0], mode="linear")],
                [vi("X", T.FLOAT, [1, 2, 4, 6])], [vi("Y", T.FLOAT, [1, 2, 8, 18])],
                opset=7)


@model("upsample_opset9")
def upsample_opset9():
    return make([h.make_node("Upsample", ["X", "S"], ["Y"], name="up9")],
                [vi("X", T.FLOAT, [1, 2, 4, 6])], [vi("Y", T.FLOAT, [1, 2, 8, 12])],
                [const("S", np.array([1, 1, 2, 2], np.float32))], opset=9)


@model("resize_scales_input", check=False)
def resize_scales_input():
    # Scales as a graph input: not a constant.
    return make([h.make_node("Resize", ["X", "", "S"], ["Y"], name="dyn")],
                [vi("X", T.FLOAT, [1, 2, 4, 6]), vi("S", T.FLOAT, [4])],
                [vi("Y", T.FLOAT, None)])


@model("resize_both", check=False)
def resize_both():
    return _resize(13, ["X", "", "S", "Z"],
                   [const("S", np.array([1, 1, 2, 2], np.float32)),
                    const("Z", np.array([1, 2, 8, 12], np.int64))])


@model("resize_linear_int", check=False)
def resize_linear_int():
    return make([h.make_node("Resize", ["X", "", "S"], ["Y"], name="int_linear",
                             mode="linear")],
                [vi("X", T.INT32, [1, 2, 4, 6])], [vi("Y", T.INT32, None)],
                [const("S", np.array([1, 1, 2, 2], np.float32))])


@model("resize_nearest_mode", check=False)
def resize_nearest_mode():
    return _resize(13, ["X", "", "S"],
                   [const("S", np.array([1, 1, 2, 2], np.float32))],
                   nearest_mode="round")


# --- MaxPool with Indices, MaxUnpool --------------------------------------

@model("pool_unpool")
def pool_unpool():
    return make(
        [h.make_node("MaxPool", ["X"], ["P", "I"], name="pool",
                     kernel_shape=[2, 2], strides=[2, 2], storage_order=1),
         h.make_node("MaxUnpool", ["P", "I"], ["U"], name="unpool",
                     kernel_shape=[2, 2], strides=[2, 2]),
         h.make_node("MaxUnpool", ["P", "I", "S"], ["V"], name="unpool_shape",
                     kernel_shape=[2, 2], strides=[2, 2])],
        [vi("X", T.FLOAT, [1, 3, 5, 5])],
        [vi("U", T.FLOAT, [1, 3, 4, 4]), vi("V", T.FLOAT, [1, 3, 5, 5]),
         vi("I", T.INT64, [1, 3, 2, 2])],
        [const("S", np.array([1, 3, 5, 5], np.int64))], opset=12)


@model("unpool_small_shape", check=False)
def unpool_small_shape():
    return make(
        [h.make_node("MaxUnpool", ["P", "I", "S"], ["V"], name="bad_unpool",
                     kernel_shape=[2, 2], strides=[2, 2])],
        [vi("P", T.FLOAT, [1, 3, 2, 2]), vi("I", T.INT64, [1, 3, 2, 2])],
        [vi("V", T.FLOAT, None)],
        [const("S", np.array([1, 3, 3, 5], np.int64))], opset=11)


def main():
    return model.main(__doc__)


if __name__ == "__main__":
    sys.exit(main())
