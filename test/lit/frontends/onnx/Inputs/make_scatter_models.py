#!/usr/bin/env python3
"""Writes the small ONNX models that the scatter importer tests compile
(ScatterElements, Scatter, ScatterND, GatherND).

    make_scatter_models.py NAME OUT.onnx
    make_scatter_models.py --list

As Inputs/make_model.py: well-formed models pass onnx.checker (full_check);
node names are set, so that errors name them.
"""
import os
import sys

from onnx import TensorProto as T
from onnx import helper as h

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lit_models import Registry, vi  # noqa: E402


model = Registry()


def make(nodes, inputs, outputs, opset):
    graph = h.make_graph(nodes, "g", inputs, outputs)
    return h.make_model(graph, opset_imports=[h.make_opsetid("", opset)],
                        producer_name="kiln-lit")


def _scatter(op, opset, **attrs):
    return make(
        [h.make_node(op, ["X", "I", "U"], ["Y"], name="scatter", **attrs)],
        [vi("X", T.FLOAT, [3, 4]), vi("I", T.INT64, [2, 4]),
         vi("U", T.FLOAT, [2, 4])],
        [vi("Y", T.FLOAT, [3, 4])], opset)


@model("scatter_elements_add")
def scatter_elements_add():
    """ScatterElements-18 with reduction add on axis -2."""
    return _scatter("ScatterElements", 18, axis=-2, reduction="add")


@model("scatter_elements_default")
def scatter_elements_default():
    """ScatterElements-11: no reduction, axis 0."""
    return _scatter("ScatterElements", 11)


@model("scatter_opset9")
def scatter_opset9():
    """Scatter-9 on axis 1."""
    return _scatter("Scatter", 9, axis=1)


@model("scatter_nd_max")
def scatter_nd_max():
    """ScatterND-18 with reduction max, tuples of length 2."""
    return make(
        [h.make_node("ScatterND", ["X", "I", "U"], ["Y"], name="scatter_nd",
                     reduction="max")],
        [vi("X", T.FLOAT, [3, 4, 5]), vi("I", T.INT64, [2, 2]),
         vi("U", T.FLOAT, [2, 5])],
        [vi("Y", T.FLOAT, [3, 4, 5])], 18)


@model("gather_nd_batch")
def gather_nd_batch():
    """GatherND-12 with batch_dims 1."""
    return make(
        [h.make_node("GatherND", ["X", "I"], ["Y"], name="gather_nd",
                     batch_dims=1)],
        [vi("X", T.FLOAT, [2, 3, 4]), vi("I", T.INT64, [2, 5, 1])],
        [vi("Y", T.FLOAT, [2, 5, 4])], 13)


@model("scatter_bad_reduction", check=False)
def scatter_bad_reduction():
    return _scatter("ScatterElements", 18, reduction="sum")


@model("scatter_bad_axis", check=False)
def scatter_bad_axis():
    return _scatter("ScatterElements", 13, axis=2)


def main():
    return model.main(__doc__)


if __name__ == "__main__":
    sys.exit(main())
