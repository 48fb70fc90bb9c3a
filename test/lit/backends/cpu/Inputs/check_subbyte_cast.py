#!/usr/bin/env python3
"""Checks kiln's sub-byte casts (run-cast-subbyte.mlir) against onnx's
reference implementation: Cast(x -> INT4, UINT4, INT2, UINT2) and
Cast(n -> INT4, UINT4), each read back as FLOAT, run by
onnx.reference.ReferenceEvaluator, compared with kiln-run's output_K.pb.

    check_subbyte_cast.py X.npy N.npy OUTDIR
"""
import os
import sys
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator


def reference(value, elem_type, to):
    nodes = [helper.make_node("Cast", ["v"], ["t"], to=to),
             helper.make_node("Cast", ["t"], ["y"], to=TensorProto.FLOAT)]
    graph = helper.make_graph(
        nodes, "cast",
        [helper.make_tensor_value_info("v", elem_type, list(value.shape))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(value.shape))])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 25)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # invalid value in cast
        return ReferenceEvaluator(model).run(None, {"v": value})[0]


def main():
    x, n, out = np.load(sys.argv[1]), np.load(sys.argv[2]), sys.argv[3]
    cases = [(x, TensorProto.FLOAT, TensorProto.INT4),
             (x, TensorProto.FLOAT, TensorProto.UINT4),
             (x, TensorProto.FLOAT, TensorProto.INT2),
             (x, TensorProto.FLOAT, TensorProto.UINT2),
             (n, TensorProto.INT32, TensorProto.INT4),
             (n, TensorProto.INT32, TensorProto.UINT4)]
    failed = 0
    for k, (value, elem_type, to) in enumerate(cases):
        want = reference(value, elem_type, to)
        got = numpy_helper.to_array(
            onnx.load_tensor(os.path.join(out, "output_%d.pb" % k)))
        name = "%s -> %s" % (TensorProto.DataType.Name(elem_type),
                             TensorProto.DataType.Name(to))
        if not np.array_equal(want, got):
            print("MISMATCH %s: reference %s, kiln %s" % (name, want, got))
            failed += 1
        else:
            print("ok %s" % name)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
