#!/usr/bin/env python3
"""Writes the example's model: a narrow ResNet-style ImageNet classifier.

    python3 make_model.py classifier.onnx [--seed S] [--classes K]

    input  'image'  float [1, 3, 224, 224]   (NCHW, ImageNet-normalized RGB)
    conv 7x7/2 (16) + BN + ReLU, maxpool 3x3/2
    4 residual stages (16, 32, 64, 128 channels; one BasicBlock each, the
      first convolution of stages 2-4 with stride 2 and a 1x1 downsample)
    global average pool, flatten, fully connected 128 -> K, softmax
    output 'probabilities' float [1, K]     (K = 1000 by default)

The weights are random (He initialization, seeded: the same file every run),
so the "classes" it picks mean nothing: the point is the pipeline
ONNX -> kilnc -> a C program. Everything is made here with onnx.helper;
nothing is downloaded.
"""
import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


class Net:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits = [], []
        self.count = 0

    def value(self, prefix):
        self.count += 1
        return "%s_%d" % (prefix, self.count)

    def weight(self, name, array):
        self.inits.append(numpy_helper.from_array(
            np.asarray(array, np.float32), name))
        return name

    def op(self, op_type, inputs, name, **attrs):
        out = self.value(name)
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=name,
                                           **attrs))
        return out

    def conv_bn(self, x, cin, cout, k, stride, name, relu=True):
        w = self.rng.standard_normal((cout, cin, k, k)) * np.sqrt(
            2.0 / (cin * k * k))
        y = self.op("Conv", [x, self.weight(name + ".weight", w)],
                    name + "/Conv", kernel_shape=[k, k],
                    strides=[stride, stride], pads=[k // 2] * 4)
        bn = [self.weight(name + ".bn." + p, v) for p, v in (
            ("scale", self.rng.uniform(0.5, 1.5, cout)),
            ("bias", self.rng.normal(0, 0.2, cout)),
            ("mean", self.rng.normal(0, 0.2, cout)),
            ("var", self.rng.uniform(0.5, 2.0, cout)))]
        y = self.op("BatchNormalization", [y] + bn, name + "/BN",
                    epsilon=1e-5)
        return self.op("Relu", [y], name + "/Relu") if relu else y

    def block(self, x, cin, cout, stride, name):
        y = self.conv_bn(x, cin, cout, 3, stride, name + ".conv1")
        y = self.conv_bn(y, cout, cout, 3, 1, name + ".conv2", relu=False)
        if stride != 1 or cin != cout:
            x = self.conv_bn(x, cin, cout, 1, stride, name + ".downsample",
                             relu=False)
        return self.op("Relu", [self.op("Add", [y, x], name + "/Add")],
                       name + "/Relu")


def build(seed=2024, classes=1000, widths=(16, 32, 64, 128)):
    n = Net(seed)
    y = n.conv_bn("image", 3, widths[0], 7, 2, "stem")
    y = n.op("MaxPool", [y], "stem/MaxPool", kernel_shape=[3, 3],
             strides=[2, 2], pads=[1, 1, 1, 1])
    cin = widths[0]
    for i, cout in enumerate(widths):
        y = n.block(y, cin, cout, 1 if i == 0 else 2, "stage%d" % (i + 1))
        cin = cout
    y = n.op("GlobalAveragePool", [y], "head/GlobalAveragePool")
    y = n.op("Flatten", [y], "head/Flatten", axis=1)
    w = n.rng.standard_normal((classes, cin)) / np.sqrt(cin)
    b = n.rng.normal(0, 0.1, classes)
    y = n.op("Gemm", [y, n.weight("fc.weight", w), n.weight("fc.bias", b)],
             "head/Gemm", transB=1)
    n.nodes.append(helper.make_node("Softmax", [y], ["probabilities"],
                                    name="head/Softmax", axis=1))
    graph = helper.make_graph(
        n.nodes, "classifier",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT,
                                       [1, 3, 224, 224])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT,
                                       [1, classes])],
        initializer=n.inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)],
                              ir_version=7, producer_name="kiln embed-c")
    onnx.checker.check_model(model, full_check=True)
    return model


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--classes", type=int, default=1000)
    a = p.parse_args()
    model = build(a.seed, a.classes)
    onnx.save(model, a.out)
    params = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    print("wrote %s: %d nodes, %.2f M parameters, %d classes" %
          (a.out, len(model.graph.node), params / 1e6, a.classes))


if __name__ == "__main__":
    main()
