#!/usr/bin/env python3
"""2-D convolutions with constant filters in every shape the CPU's
channel-blocked convolution kernel distinguishes, with float64 references
(see kernel_cases.py).

    conv_kernel_cases.py DIR
    conv_kernel_cases.py check DIR KILN_RUN LIB [ARGS...]

Cases: fewer input channels than a block (an image), channels that are not a
multiple of the block (padded lanes), an odd number of output blocks, rows
that do not divide into pixel tiles, strides, dilations, asymmetric kernels
and pads, a batch of two, a 1x1 image; and chains: bias + ReLU, a residual
add of two convolutions (activations kept blocked between them), a
convolution read by a pooling and by a transpose (not epilogues).
"""

import numpy as np

from kernel_cases import Cases, f64, main

# (N, C, H, W, F, KH, KW, strides, pads [t, l, b, r], dilations)
SHAPES = [
    (1, 3, 17, 19, 16, 3, 3, (1, 1), (1, 1, 1, 1), (1, 1)),
    (1, 16, 9, 9, 32, 3, 3, (2, 2), (1, 1, 1, 1), (1, 1)),
    (2, 32, 8, 30, 32, 3, 3, (1, 1), (2, 2, 2, 2), (2, 2)),
    (1, 20, 7, 7, 24, 1, 1, (1, 1), (0, 0, 0, 0), (1, 1)),
    (1, 64, 7, 7, 48, 3, 3, (1, 1), (1, 1, 1, 1), (1, 1)),
    (1, 16, 5, 40, 16, 1, 5, (1, 1), (0, 2, 0, 1), (1, 1)),
    (1, 32, 12, 12, 64, 7, 7, (2, 2), (3, 3, 3, 3), (1, 1)),
    (1, 48, 1, 1, 32, 1, 1, (1, 1), (0, 0, 0, 0), (1, 1)),
]


def conv_ref(x, w, b, strides, pads, dilations):
    """float64 direct convolution."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, [(0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])])
    oh = (h + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (wd + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    y = np.zeros((n, f, oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i * dilations[0]:, j * dilations[1]:]
            patch = patch[:, :, :oh * strides[0]:strides[0],
                          :ow * strides[1]:strides[1]][:, :, :oh, :ow]
            y += np.einsum("nchw,fc->nfhw", patch, w[:, :, i, j])
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def build():
    rng = np.random.default_rng(11)
    t = Cases("conv_kernel_cases")

    def conv(name, x, w, b, strides, pads, dilations):
        t.const(name + "_w", w)
        ins = [x, name + "_w"]
        if b is not None:
            t.const(name + "_b", b)
            ins.append(name + "_b")
        t.node("Conv", ins, [name], strides=list(strides), pads=list(pads),
               dilations=list(dilations))

    for i, (n, c, h, w, f, kh, kw, strides, pads, dil) in enumerate(SHAPES):
        x = rng.standard_normal((n, c, h, w))
        t.add_input("x%d" % i, x)
        wt = rng.standard_normal((f, c, kh, kw)) / np.sqrt(c * kh * kw)
        bias = rng.standard_normal((f,))
        conv("conv%d" % i, "x%d" % i, wt, bias, strides, pads, dil)
        t.add_output("conv%d" % i, conv_ref(f64(x), f64(wt), f64(bias),
                                            strides, pads, dil))
        # Without a bias, with ReLU.
        wt2 = rng.standard_normal((f, c, kh, kw)) / np.sqrt(c * kh * kw)
        conv("c%d_nobias" % i, "x%d" % i, wt2, None, strides, pads, dil)
        t.node("Relu", ["c%d_nobias" % i], ["relu%d" % i])
        t.add_output("relu%d" % i, np.maximum(
            conv_ref(f64(x), f64(wt2), None, strides, pads, dil), 0))

    # A residual block: conv-relu-conv, plus a 1x1 projection, add, relu;
    # then a max pool and a transpose of another conv.
    x = rng.standard_normal((1, 16, 14, 14))
    t.add_input("xr", x)
    w1, w2 = (rng.standard_normal((32, c, 3, 3)) / np.sqrt(9 * c)
              for c in (16, 32))
    wp = rng.standard_normal((32, 16, 1, 1)) / 4
    b1, b2, bp = (rng.standard_normal((32,)) for _ in range(3))
    same = ((1, 1), (1, 1, 1, 1), (1, 1))
    conv("r1", "xr", w1, b1, *same)
    t.node("Relu", ["r1"], ["r1a"])
    conv("r2", "r1a", w2, b2, *same)
    conv("rp", "xr", wp, bp, (1, 1), (0, 0, 0, 0), (1, 1))
    t.node("Add", ["r2", "rp"], ["rsum"])
    t.node("Relu", ["rsum"], ["residual"])
    r1 = np.maximum(conv_ref(f64(x), f64(w1), f64(b1), *same), 0)
    r2 = conv_ref(r1, f64(w2), f64(b2), *same)
    rp = conv_ref(f64(x), f64(wp), f64(bp), (1, 1), (0, 0, 0, 0), (1, 1))
    residual = np.maximum(r2 + rp, 0)
    t.add_output("residual", residual)
    t.node("MaxPool", ["residual"], ["pooled"], kernel_shape=[2, 2],
           strides=[2, 2])
    t.add_output("pooled",
                 residual.reshape(1, 32, 7, 2, 7, 2).max(axis=(3, 5)))
    w3 = rng.standard_normal((32, 32, 3, 3)) / 12
    conv("t3", "residual", w3, None, *same)
    t.node("Transpose", ["t3"], ["transposed"], perm=[0, 2, 3, 1])
    t.add_output("transposed",
                 conv_ref(residual, f64(w3), None, *same).transpose(0, 2, 3, 1))
    return t


if __name__ == "__main__":
    main(build)
