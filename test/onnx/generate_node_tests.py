#!/usr/bin/env python3
"""Generates the ONNX backend node tests of the installed onnx package.

The onnx wheel ships the node test generators (onnx/backend/test/case/node)
but not their data, and `python3 -m onnx.backend.test.cmd_tools generate-data`
(onnx 1.23) writes only the model tests (real/ and simple/), not node/. This
script does for the node cases what cmd_tools does for the model cases: it
collects onnx.backend.test.case.node.collect_testcases() and writes
OUT/test_*/model.onnx and OUT/test_*/test_data_set_K/{input,output}_J.pb,
the layout of libonnx-testdata's data/node (which run_node_tests.py reads).

It also writes OUT/STAMP (the onnx version) when done, so that a wrapper can
skip regeneration, and OUT/static.txt: the tests whose model inputs all have
static shapes. A test is *static* when every input of its graph (initializers
excluded) is a tensor whose type has a shape in which every dimension is a
dim_value (no dim_param, no unknown dimension, no missing shape); rank-0
tensors count as static. Sequence, optional and map inputs are not static.

Example:
  python3 test/onnx/generate_node_tests.py -o build/onnx-node-tests/node
"""

import argparse
import os
import shutil
import sys


def is_static(model):
    """Whether every graph input (initializers excluded) has a static shape."""
    inits = {t.name for t in model.graph.initializer}
    for inp in model.graph.input:
        if inp.name in inits:
            continue
        if not inp.type.HasField("tensor_type"):
            return False
        tt = inp.type.tensor_type
        if not tt.HasField("shape"):
            return False
        for d in tt.shape.dim:
            if not d.HasField("dim_value"):
                return False
    return True


def _write_value(path, value, value_info):
    from onnx import TensorProto, numpy_helper

    t = value_info.type
    if t.HasField("map_type"):
        proto = numpy_helper.from_dict(value, value_info.name)
    elif t.HasField("sequence_type"):
        proto = numpy_helper.from_list(value, value_info.name)
    elif t.HasField("optional_type"):
        proto = numpy_helper.from_optional(value, value_info.name)
    elif isinstance(value, TensorProto):
        proto = value
    else:
        proto = numpy_helper.from_array(value, value_info.name)
    with open(path, "wb") as f:
        f.write(proto.SerializeToString())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output", required=True,
                    help="folder to fill with test_*/ (emptied first)")
    ap.add_argument("--filter", help="only tests whose name matches this regex (re.search)")
    args = ap.parse_args()

    import re
    import warnings

    import onnx
    import onnx.backend.test.case.node as node_test

    warnings.simplefilter("ignore")
    out = os.path.abspath(args.output)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    rx = re.compile(args.filter) if args.filter else None
    cases = node_test.collect_testcases()
    static, written = [], 0
    for case in cases:
        if case.kind != "node" or case.model is None or not case.data_sets:
            continue
        if rx and not rx.search(case.name):
            continue
        test_dir = os.path.join(out, case.name)
        os.makedirs(test_dir, exist_ok=True)
        with open(os.path.join(test_dir, "model.onnx"), "wb") as f:
            f.write(case.model.SerializeToString())
        graph = case.model.graph
        for i, (inputs, outputs) in enumerate(case.data_sets):
            ds = os.path.join(test_dir, "test_data_set_%d" % i)
            os.makedirs(ds, exist_ok=True)
            for j, value in enumerate(inputs):
                _write_value(os.path.join(ds, "input_%d.pb" % j), value, graph.input[j])
            for j, value in enumerate(outputs):
                _write_value(os.path.join(ds, "output_%d.pb" % j), value, graph.output[j])
        if is_static(case.model):
            static.append(case.name)
        written += 1
    with open(os.path.join(out, "static.txt"), "w") as f:
        f.write("# node tests whose graph inputs all have static shapes (every dim a dim_value)\n")
        for name in sorted(static):
            f.write(name + "\n")
    with open(os.path.join(out, "STAMP"), "w") as f:
        f.write("onnx %s\n" % onnx.__version__)
    print("generate_node_tests: %d node tests (%d static) of onnx %s in %s" % (
        written, len(static), onnx.__version__, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
