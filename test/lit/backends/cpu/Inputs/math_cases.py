#!/usr/bin/env python3
"""The CPU's vectorizable elementary functions (kiln-approximate-math)
against float64 references (see kernel_cases.py):

    math_cases.py DIR
    math_cases.py check DIR KILN_RUN LIB [ARGS...]

Pow over every pair of C pow's special bases and exponents (zeros of both
signs, ones, negative bases with odd, even and non-integer powers,
infinities, NaN) and over random ones; LRN, whose (k + alpha * sum)^beta is
a power; exp, log, tanh and erf over wide ranges and their limits.
"""
import math

import numpy as np

from kernel_cases import Cases, f64, main

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 2.5,
           -2.5, 1e-30, 1e30, -1e30, np.inf, -np.inf, np.nan]


def build():
    rng = np.random.default_rng(5)
    t = Cases("math_cases")

    # Every (base, exponent) pair of SPECIAL.
    xs, ys = np.meshgrid(SPECIAL, SPECIAL, indexing="ij")
    t.add_input("px", xs)
    t.add_input("py", ys)
    t.node("Pow", ["px", "py"], ["pow_special"])
    with np.errstate(all="ignore"):
        t.add_output("pow_special", np.power(f64(xs), f64(ys)))

    # Random positive bases and exponents (|y * log x| up to 40), and
    # negative bases with integer exponents.
    x = np.exp(rng.uniform(-10, 10, 4096))
    y = rng.uniform(-4, 4, 4096)
    x[:1024] = -x[:1024]
    y[:1024] = np.round(y[:1024])
    t.add_input("rx", x)
    t.add_input("ry", y)
    t.node("Pow", ["rx", "ry"], ["pow_random"])
    t.add_output("pow_random", np.power(f64(x), f64(y)))

    # LRN (AlexNet's): y = x / (k + alpha / size * sum of squares)^beta.
    v = rng.standard_normal((1, 32, 7, 7)) * 3
    t.add_input("lrn_x", v)
    t.node("LRN", ["lrn_x"], ["lrn"], size=5, alpha=1e-4, beta=0.75, bias=2.0)
    sq = np.pad(f64(v) ** 2, [(0, 0), (2, 2), (0, 0), (0, 0)])
    sums = sum(sq[:, i:i + 32] for i in range(5))
    t.add_output("lrn", f64(v) / (2.0 + 1e-4 / 5 * sums) ** 0.75)

    # exp, log, tanh, erf: wide ranges and limits.
    edges = [0.0, -0.0, np.inf, -np.inf, np.nan, 88.7, -87.3, 100.0,
             -100.0, 1e-38, 1e-45]
    e = np.concatenate([rng.uniform(-80, 80, 2048), edges])
    t.add_input("ex", e)
    t.node("Exp", ["ex"], ["exp"])
    with np.errstate(all="ignore"):
        t.add_output("exp", np.exp(f64(e)))
    lx = np.concatenate([np.exp(rng.uniform(-80, 80, 2048)),
                         [0.0, 1.0, np.inf, -1.0, np.nan, 1e-45]])
    t.add_input("lx", lx)
    t.node("Log", ["lx"], ["log"])
    with np.errstate(all="ignore"):
        t.add_output("log", np.log(f64(lx)))
    tx = np.concatenate([rng.uniform(-12, 12, 2048), edges])
    t.add_input("tx", tx)
    t.node("Tanh", ["tx"], ["tanh"])
    t.add_output("tanh", np.tanh(f64(tx)))
    t.node("Erf", ["tx"], ["erf"])
    t.add_output("erf", np.vectorize(
        lambda v: math.erf(v) if not math.isnan(v) else math.nan)(f64(tx)))
    return t


if __name__ == "__main__":
    main(build)
