#!/usr/bin/env python3
"""LeNet-5 (LeCun et al. 1998) as ONNX, with deterministic random weights.

    input 1x1x32x32
    conv 5x5 -> 6, act, pool 2x2/2       -> 6x14x14
    conv 5x5 -> 16, act, pool 2x2/2      -> 16x5x5
    flatten (400), FC 120, act, FC 84, act, FC 10  -> logits [1, 10]

The classic net uses tanh and average pooling (the default); --act relu and
--pool max give the common modern variant.

    python3 models/make_lenet5.py lenet5.onnx [--opset N] [--seed S]
        [--act tanh|relu] [--pool avg|max] [--batch B]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx  # noqa: E402

from onnx_builder import GraphBuilder, make_model, standard_args  # noqa: E402


def build(opset=13, seed=0, act="tanh", pool="avg", batch=1):
    b = GraphBuilder(opset, seed)
    x = b.input("input", [batch, 1, 32, 32])
    act_op = {"tanh": "Tanh", "relu": "Relu"}[act]
    pool_op = {"avg": "AveragePool", "max": "MaxPool"}[pool]

    def stage(x, cin, cout, i):
        y = b.conv(x, cin, cout, 5, "conv%d" % i)
        y = b.node(act_op, [y], name="/act%d/%s" % (i, act_op))
        return b.node(pool_op, [y], name="/pool%d/%s" % (i, pool_op),
                      kernel_shape=[2, 2], strides=[2, 2])

    y = stage(x, 1, 6, 1)
    y = stage(y, 6, 16, 2)
    y = b.node("Flatten", [y], name="/Flatten", axis=1)
    y = b.gemm(y, 400, 120, "fc1")
    y = b.node(act_op, [y], name="/act3/" + act_op)
    y = b.gemm(y, 120, 84, "fc2")
    y = b.node(act_op, [y], name="/act4/" + act_op)
    y = b.gemm(y, 84, 10, "fc3")
    b.output(b.rename(y, "output"), [batch, 10])
    return make_model(b.graph("lenet5"), opset)


def main():
    p = standard_args("Write LeNet-5 as ONNX with seeded random weights.")
    p.add_argument("--act", choices=["tanh", "relu"], default="tanh")
    p.add_argument("--pool", choices=["avg", "max"], default="avg")
    p.add_argument("--batch", type=int, default=1)
    a = p.parse_args()
    model = build(a.opset, a.seed, a.act, a.pool, a.batch)
    onnx.save(model, a.out)
    print("wrote %s (LeNet-5, opset %d, seed %d, %s/%s)" %
          (a.out, a.opset, a.seed, a.act, a.pool))


if __name__ == "__main__":
    main()
