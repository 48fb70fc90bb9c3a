#!/usr/bin/env python3
"""Reductions along the innermost axis, which the CPU's reduction kernels
vectorize, against float64 references (see kernel_cases.py):

    reduction_cases.py DIR
    reduction_cases.py check DIR KILN_RUN LIB [ARGS...]

Rows of 16 (whole vectors), 37 and 1000 (a masked last step) and 7 (fewer
than a vector: not a kernel) elements; softmax, log-softmax, layer
normalization, the reduce ops (sum, mean, max, min, product, sum of
squares, log-sum-exp) and rows holding NaN and infinities.
"""
import numpy as np

from onnx import numpy_helper

from kernel_cases import Cases, f64, main


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def build():
    rng = np.random.default_rng(3)
    t = Cases("reduction_cases")
    # Opset 17: ReduceSum takes its axes as an input, the others as an
    # attribute.
    t.initializers.append(numpy_helper.from_array(
        np.array([-1], dtype=np.int64), "last"))

    def reduce(op, x, out):
        if op == "ReduceSum":
            t.node(op, [x, "last"], [out], keepdims=0)
        else:
            t.node(op, [x], [out], axes=[-1], keepdims=0)

    for n in (16, 37, 1000, 7):
        x = rng.standard_normal((2, 3, n)) * 4
        name = "x%d" % n
        t.add_input(name, x)
        v = f64(x)
        t.node("Softmax", [name], ["softmax%d" % n], axis=-1)
        t.add_output("softmax%d" % n, softmax(v))
        t.node("LogSoftmax", [name], ["logsoftmax%d" % n], axis=-1)
        t.add_output("logsoftmax%d" % n, np.log(softmax(v)))
        g, b = rng.standard_normal((n,)), rng.standard_normal((n,))
        t.const("gamma%d" % n, g)
        t.const("beta%d" % n, b)
        t.node("LayerNormalization", [name, "gamma%d" % n, "beta%d" % n],
               ["layernorm%d" % n], axis=-1, epsilon=1e-5)
        g, b = f64(g), f64(b)
        mean = v.mean(axis=-1, keepdims=True)
        var = ((v - mean) ** 2).mean(axis=-1, keepdims=True)
        t.add_output("layernorm%d" % n, (v - mean) / np.sqrt(var + 1e-5) * g + b)
        for op, ref in (("ReduceSum", np.sum), ("ReduceMean", np.mean),
                        ("ReduceMax", np.max), ("ReduceMin", np.min),
                        ("ReduceSumSquare", lambda a, axis: (a * a).sum(axis)),
                        ("ReduceLogSumExp",
                         lambda a, axis: np.log(np.exp(a).sum(axis)))):
            out = "%s%d" % (op, n)
            reduce(op, name, out)
            t.add_output(out, ref(v, axis=-1))
        # A product of values near 1 (finite).
        p = 1 + rng.standard_normal((2, n)) / 64
        t.add_input("p%d" % n, p)
        reduce("ReduceProd", "p%d" % n, "prod%d" % n)
        t.add_output("prod%d" % n, f64(p).prod(axis=-1))

    # NaN and infinities: a NaN row, a row with +inf, one with -inf, one of
    # -inf only.
    s = rng.standard_normal((4, 40))
    s[0, 17] = np.nan
    s[1, 39] = np.inf
    s[2, 3] = -np.inf
    s[3, :] = -np.inf
    t.add_input("special", s)
    for op, ref in (("ReduceMax", np.max), ("ReduceMin", np.min),
                    ("ReduceSum", np.sum)):
        out = "special_%s" % op
        reduce(op, "special", out)
        with np.errstate(all="ignore"):
            t.add_output(out, ref(f64(s), axis=-1))
    return t


if __name__ == "__main__":
    main(build)
