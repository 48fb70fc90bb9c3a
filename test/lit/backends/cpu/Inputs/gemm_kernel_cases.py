#!/usr/bin/env python3
"""Matrix products with constant weights in every shape the CPU's GEMM
kernel distinguishes, with float64 references (see kernel_cases.py).

    gemm_kernel_cases.py DIR
    gemm_kernel_cases.py check DIR KILN_RUN LIB [ARGS...]

Shapes: rows below, at and past one register tile (8), and past several;
columns of one vector (16), one panel (32), a panel and a masked tail, a
single column; reductions of 1 and more. Forms: MatMul, Gemm with transposed
A or B, alpha/beta and a bias, and products followed by fusable epilogues
(bias + ReLU, a residual add, a per-row scalar, a sigmoid) and by an
epilogue that must not fuse (a transposed read); and a chain of two products
with ReLUs.
"""
import numpy as np

from kernel_cases import Cases, f64, main

# (M, K, N)
SHAPES = [(1, 1, 1), (1, 64, 100), (3, 7, 16), (8, 5, 32), (9, 17, 40),
          (17, 33, 64), (25, 3, 5), (8, 128, 48)]


def build():
    rng = np.random.default_rng(7)
    t = Cases("gemm_kernel_cases")
    for i, (m, k, n) in enumerate(SHAPES):
        # Each form has weights of its own, so that no two products are the
        # same value (CSE would merge them and give them several users).
        a = rng.standard_normal((m, k))
        b, b_g, b_r, b_s, b_t = (rng.standard_normal((k, n))
                                 for _ in range(5))
        a64 = f64(a)
        t.add_input("a%d" % i, a)
        for name, w in (("b", b), ("b_r", b_r), ("b_s", b_s), ("b_t", b_t)):
            t.const("%s%d" % (name, i), w)
        # MatMul.
        t.node("MatMul", ["a%d" % i, "b%d" % i], ["matmul%d" % i])
        t.add_output("matmul%d" % i, a64 @ f64(b))
        # Gemm with B transposed, alpha, beta and a row bias.
        t.const("bt%d" % i, b_g.T)
        bias = rng.standard_normal((n,))
        t.const("bias%d" % i, bias)
        t.node("Gemm", ["a%d" % i, "bt%d" % i, "bias%d" % i], ["gemm%d" % i],
               transB=1, alpha=0.5, beta=2.0)
        t.add_output("gemm%d" % i, 0.5 * (a64 @ f64(b_g)) + 2.0 * f64(bias))
        # Gemm with A transposed (read from a transposed input).
        t.add_input("at%d" % i, a.T)
        t.node("Gemm", ["at%d" % i, "b%d" % i], ["gemmta%d" % i], transA=1)
        t.add_output("gemmta%d" % i, a64 @ f64(b))
        # Bias + ReLU, fused.
        t.node("MatMul", ["a%d" % i, "b_r%d" % i], ["mm_r%d" % i])
        t.node("Add", ["mm_r%d" % i, "bias%d" % i], ["mm_rb%d" % i])
        t.node("Relu", ["mm_rb%d" % i], ["relu%d" % i])
        t.add_output("relu%d" % i, np.maximum(a64 @ f64(b_r) + f64(bias), 0))
        # A residual add and a per-row scale (a [M, 1] operand), then
        # sigmoid.
        res = rng.standard_normal((m, n))
        scale = rng.standard_normal((m, 1))
        t.add_input("res%d" % i, res)
        t.add_input("scale%d" % i, scale)
        t.node("MatMul", ["a%d" % i, "b_s%d" % i], ["mm_s%d" % i])
        t.node("Add", ["mm_s%d" % i, "res%d" % i], ["mm_sa%d" % i])
        t.node("Mul", ["mm_sa%d" % i, "scale%d" % i], ["mm_sm%d" % i])
        t.node("Sigmoid", ["mm_sm%d" % i], ["sig%d" % i])
        t.add_output("sig%d" % i, 1 / (1 + np.exp(
            -(a64 @ f64(b_s) + f64(res)) * f64(scale))))
        # A consumer that reads the product transposed: not an epilogue.
        if m == n:
            continue
        t.node("MatMul", ["a%d" % i, "b_t%d" % i], ["mm_t%d" % i])
        t.node("Transpose", ["mm_t%d" % i], ["mm_tt%d" % i], perm=[1, 0])
        t.node("Relu", ["mm_tt%d" % i], ["trelu%d" % i])
        t.add_output("trelu%d" % i, np.maximum(a64 @ f64(b_t), 0).T)

    # A chain, as in a classifier head: the second product reads the first
    # one's fused epilogue (the first kernel replaces that value).
    a = rng.standard_normal((3, 40))
    w1, w2 = rng.standard_normal((40, 50)), rng.standard_normal((50, 20))
    t.add_input("chain_a", a)
    t.const("chain_w1", w1)
    t.const("chain_w2", w2)
    t.node("MatMul", ["chain_a", "chain_w1"], ["chain_h"])
    t.node("Relu", ["chain_h"], ["chain_r"])
    t.node("MatMul", ["chain_r", "chain_w2"], ["chain_y"])
    t.node("Relu", ["chain_y"], ["chain"])
    t.add_output("chain", np.maximum(
        np.maximum(f64(a) @ f64(w1), 0) @ f64(w2), 0))
    return t


if __name__ == "__main__":
    main(build)
