"""Shared by the kernel case generators (gemm_kernel_cases.py,
conv_kernel_cases.py): an ONNX graph under construction with its inputs and
float64 reference outputs, saved as DIR/model.onnx and an ONNX
test_data_set folder DIR/data, and `check`, which runs kiln-run on it.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def f32(array):
    return np.asarray(array).astype(np.float32)


def f64(array):
    """The float64 value of the float32 the model sees."""
    return f32(array).astype(np.float64)


class Cases:
    def __init__(self, name):
        self.name = name
        self.nodes, self.inputs, self.outputs, self.initializers = [], [], [], []
        self.feeds, self.refs = [], []

    def const(self, name, array):
        self.initializers.append(numpy_helper.from_array(f32(array), name))

    def add_input(self, name, array):
        self.inputs.append(helper.make_tensor_value_info(
            name, TensorProto.FLOAT, np.shape(array)))
        self.feeds.append((name, f32(array)))

    def add_output(self, name, ref):
        self.outputs.append(helper.make_tensor_value_info(
            name, TensorProto.FLOAT, np.shape(ref)))
        self.refs.append((name, f32(ref)))

    def node(self, *args, **kwargs):
        self.nodes.append(helper.make_node(*args, **kwargs))

    def save(self, out):
        data = os.path.join(out, "data")
        os.makedirs(data, exist_ok=True)
        graph = helper.make_graph(self.nodes, self.name, self.inputs,
                                  self.outputs, self.initializers)
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", 17)])
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(out, "model.onnx"))
        for kind, tensors in (("input", self.feeds), ("output", self.refs)):
            for k, (name, array) in enumerate(tensors):
                path = os.path.join(data, "%s_%d.pb" % (kind, k))
                with open(path, "wb") as f:
                    f.write(numpy_helper.from_array(array, name)
                            .SerializeToString())


def check(out, kiln_run, lib, args):
    """Runs kiln-run LIB with every input of OUT/data and --compare; exits
    with its status."""
    data = os.path.join(out, "data")
    count = len([f for f in os.listdir(data) if f.startswith("input_")])
    cmd = [kiln_run, lib]
    for k in range(count):
        cmd += ["-i", os.path.join(data, "input_%d.pb" % k)]
    cmd += ["--compare", data] + args
    sys.stdout.flush()
    sys.exit(subprocess.run(cmd).returncode)


def main(build):
    """`SCRIPT DIR` saves the cases `build()` returns into DIR;
    `SCRIPT check DIR KILN_RUN LIB [ARGS...]` runs them."""
    if sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    build().save(sys.argv[1])
