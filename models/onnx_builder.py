"""A small helper for writing ONNX models with onnx.helper.

Used by models/make_*.py, test/e2e and examples/embed-c. It keeps a list of
nodes and initializers, names everything uniquely (the way exporters do:
"/layer1/layer1.0/conv1/Conv"), draws deterministic weights from a seeded
NumPy generator, and emits opset-dependent node forms (Unsqueeze axes as an
attribute before opset 13 and as an input from 13 on, and so on).
"""

import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

DEFAULT_OPSET = 13


def newest_opset():
    """The newest default-domain opset the installed onnx package knows."""
    return onnx.defs.onnx_opset_version()


def make_model(graph, opset, producer="kiln models"):
    """A ModelProto for `graph` at `opset`, with the smallest IR version that
    supports it (at least 4, so initializers need not be graph inputs)."""
    opsets = [helper.make_opsetid("", opset)]
    ir_version = max(4, helper.find_min_ir_version_for(opsets))
    model = helper.make_model(graph, opset_imports=opsets,
                              ir_version=ir_version,
                              producer_name=producer)
    onnx.checker.check_model(model, full_check=True)
    return model


def standard_args(description, default_seed=0):
    """The command line every model script shares: OUT [--opset N] [--seed S]."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("out", help="where to write the .onnx file")
    p.add_argument("--opset", type=int, default=DEFAULT_OPSET,
                   help="ONNX opset (default %%(default)s; 7..%d)" %
                   newest_opset())
    p.add_argument("--seed", type=int, default=default_seed,
                   help="seed of the random weights (default %(default)s)")
    return p


class GraphBuilder:
    def __init__(self, opset, seed, torch_export=False):
        """torch_export: write what torch.onnx.export writes beyond the
        plain graph: small constants as Constant nodes, convolution weights
        behind Identity nodes (as torch emits for parameters it reuses or
        folds)."""
        if opset < 7 or opset > newest_opset():
            raise SystemExit("opset %d is outside 7..%d" %
                             (opset, newest_opset()))
        self.opset = opset
        self.torch_export = torch_export
        self.rng = np.random.default_rng(seed)
        self.nodes = []
        self.initializers = []
        self.inputs = []
        self.outputs = []
        self._names = set()

    # ---- naming -------------------------------------------------------
    def unique(self, name):
        base, n = name, 1
        while name in self._names:
            name = "%s_%d" % (base, n)
            n += 1
        self._names.add(name)
        return name

    # ---- graph pieces -------------------------------------------------
    def input(self, name, shape, elem=TensorProto.FLOAT):
        self._names.add(name)
        self.inputs.append(helper.make_tensor_value_info(name, elem, shape))
        return name

    def output(self, value, shape=None, elem=TensorProto.FLOAT):
        self.outputs.append(helper.make_tensor_value_info(value, elem, shape))
        return value

    def const(self, name, array):
        array = np.asarray(array)
        if self.torch_export and array.dtype == np.int64 and array.size <= 8:
            return self.node("Constant", [], name=name,
                             value=numpy_helper.from_array(array))
        name = self.unique(name)
        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def weight(self, name, array):
        """A parameter; behind an Identity node in torch_export mode."""
        w = self.const(name, array)
        if not self.torch_export:
            return w
        return self.node("Identity", [w], name="/%s/Identity" % name)

    def node(self, op, inputs, name=None, outputs=1, **attrs):
        """Adds a node; returns its output name (or a list when outputs>1)."""
        name = self.unique(name or "/" + op)
        outs = [self.unique(name + ("_output_%d" % i))
                for i in range(outputs)]
        self.nodes.append(helper.make_node(op, list(inputs), outs, name=name,
                                           **attrs))
        return outs[0] if outputs == 1 else outs

    def rename(self, value, new_name):
        """Renames the value that a node produces (say, to "output")."""
        for n in self.nodes:
            for i, o in enumerate(n.output):
                if o == value:
                    n.output[i] = new_name
            for i, o in enumerate(n.input):
                if o == value:
                    n.input[i] = new_name
        self._names.add(new_name)
        return new_name

    def graph(self, name):
        return helper.make_graph(self.nodes, name, self.inputs, self.outputs,
                                 initializer=self.initializers)

    # ---- weights --------------------------------------------------------
    def he_normal(self, shape, fan_in):
        return (self.rng.standard_normal(shape) *
                np.sqrt(2.0 / fan_in)).astype(np.float32)

    def normal(self, shape, std=1.0, mean=0.0):
        return (mean + std * self.rng.standard_normal(shape)).astype(
            np.float32)

    def uniform(self, shape, lo, hi):
        return self.rng.uniform(lo, hi, shape).astype(np.float32)

    # ---- layers ---------------------------------------------------------
    def conv(self, x, cin, cout, k, name, stride=1, pad=0, group=1,
             dilation=1, bias=True, auto_pad=None):
        kh, kw = (k, k) if isinstance(k, int) else k
        w = self.weight(name + ".weight",
                        self.he_normal((cout, cin // group, kh, kw),
                                       cin // group * kh * kw))
        ins = [x, w]
        if bias:
            ins.append(self.const(name + ".bias", self.normal((cout,), 0.1)))
        attrs = dict(kernel_shape=[kh, kw], strides=[stride, stride],
                     dilations=[dilation, dilation], group=group)
        if auto_pad:
            attrs["auto_pad"] = auto_pad
        else:
            p = [pad] * 4 if isinstance(pad, int) else list(pad)
            attrs["pads"] = p
        return self.node("Conv", ins, name="/%s/Conv" % name, **attrs)

    def batchnorm(self, x, c, name, eps=1e-5):
        """Inference batch norm with non-trivial statistics."""
        scale = self.const(name + ".weight", self.uniform((c,), 0.5, 1.5))
        bias = self.const(name + ".bias", self.normal((c,), 0.2))
        mean = self.const(name + ".running_mean", self.normal((c,), 0.2))
        var = self.const(name + ".running_var", self.uniform((c,), 0.5, 2.0))
        attrs = dict(epsilon=eps)
        if self.opset < 9:
            attrs["spatial"] = 1
        return self.node("BatchNormalization", [x, scale, bias, mean, var],
                         name="/%s/BatchNormalization" % name, **attrs)

    def gemm(self, x, k, n, name, trans_b=True):
        """Gemm as torch exports nn.Linear: weight [n, k], transB=1."""
        shape = (n, k) if trans_b else (k, n)
        w = self.const(name + ".weight",
                       self.normal(shape, 1.0 / np.sqrt(k)))
        b = self.const(name + ".bias", self.normal((n,), 0.1))
        return self.node("Gemm", [x, w, b], name="/%s/Gemm" % name,
                         alpha=1.0, beta=1.0, transB=1 if trans_b else 0)

    def unsqueeze(self, x, axes, name):
        if self.opset >= 13:
            a = self.const(name + "_axes", np.array(axes, np.int64))
            return self.node("Unsqueeze", [x, a], name=name)
        return self.node("Unsqueeze", [x], name=name, axes=list(axes))

    def squeeze(self, x, axes, name):
        if self.opset >= 13:
            a = self.const(name + "_axes", np.array(axes, np.int64))
            return self.node("Squeeze", [x, a], name=name)
        return self.node("Squeeze", [x], name=name, axes=list(axes))

    def reduce_mean(self, x, axes, name, keepdims=1):
        if self.opset >= 18:
            a = self.const(name + "_axes", np.array(axes, np.int64))
            return self.node("ReduceMean", [x, a], name=name,
                             keepdims=keepdims)
        return self.node("ReduceMean", [x], name=name, axes=list(axes),
                         keepdims=keepdims)

    def flatten_torch_view(self, x, name):
        """x.view(x.size(0), -1) as torch.onnx exports it:
        Shape -> Gather(0) -> Unsqueeze -> Concat(-1) -> Reshape."""
        shape = self.node("Shape", [x], name=name + "/Shape")
        idx = self.const(name + "/Constant", np.array(0, np.int64))
        n = self.node("Gather", [shape, idx], name=name + "/Gather", axis=0)
        n1 = self.unsqueeze(n, [0], name + "/Unsqueeze")
        minus1 = self.const(name + "/Constant_1", np.array([-1], np.int64))
        new_shape = self.node("Concat", [n1, minus1], name=name + "/Concat",
                              axis=0)
        return self.node("Reshape", [x, new_shape], name=name + "/Reshape")
