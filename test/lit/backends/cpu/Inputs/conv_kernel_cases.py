#!/usr/bin/env python3
"""2-D convolutions with constant filters in every shape the CPU's
channel-blocked convolution kernel distinguishes, with float64 references
(see kernel_cases.py).

    conv_kernel_cases.py DIR
    conv_kernel_cases.py check DIR KILN_RUN LIB [ARGS...]

Cases: fewer input channels than a block (an image), channels that are not a
multiple of the block (padded lanes), an odd number of output blocks, rows
that do not divide into pixel tiles, strides, dilations, asymmetric kernels
and pads, a batch of two, a 1x1 image, 1-D and 3-D, depthwise ones with
ReLU6 (Clip); and chains: bias + ReLU, a residual
add of two convolutions (activations kept blocked between them), a
convolution read by a pooling and by a transpose (not epilogues), padded max
and average pools, a global average pool and a concatenation of blocked
activations.
"""

import numpy as np

from kernel_cases import Cases, f64, main

# (input shape [N, C, spatial...], F, kernel, strides, pads [begin...,
# end...], dilations)
SHAPES = [
    ((1, 3, 17, 19), 16, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1)),
    ((1, 16, 9, 9), 32, (3, 3), (2, 2), (1, 1, 1, 1), (1, 1)),
    ((2, 32, 8, 30), 32, (3, 3), (1, 1), (2, 2, 2, 2), (2, 2)),
    ((1, 20, 7, 7), 24, (1, 1), (1, 1), (0, 0, 0, 0), (1, 1)),
    ((1, 64, 7, 7), 48, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1)),
    ((1, 16, 5, 40), 16, (1, 5), (1, 1), (0, 2, 0, 1), (1, 1)),
    ((1, 32, 12, 12), 64, (7, 7), (2, 2), (3, 3, 3, 3), (1, 1)),
    ((1, 48, 1, 1), 32, (1, 1), (1, 1), (0, 0, 0, 0), (1, 1)),
    # 3x3 stride 1 as Winograd takes it: two images, channels that leave
    # padding lanes, asymmetric pads, partial tiles at both edges.
    ((2, 24, 6, 13), 40, (3, 3), (1, 1), (0, 1, 2, 1), (1, 1)),
    # 1-D and 3-D.
    ((1, 16, 37), 32, (3,), (2,), (1, 1), (1,)),
    ((1, 3, 5, 9, 10), 32, (3, 3, 3), (1, 2, 1), (1, 1, 1, 1, 1, 1),
     (1, 1, 2)),
]

# Depthwise (one filter per channel): (input shape, kernel, strides, pads,
# dilations); 24 channels leave padding lanes in the second block.
DEPTHWISE = [
    ((1, 32, 15, 15), (3, 3), (1, 1), (1, 1, 1, 1), (1, 1)),
    ((1, 24, 16, 33), (3, 3), (2, 2), (1, 1, 1, 1), (1, 1)),
    ((2, 16, 9, 9), (5, 5), (1, 1), (4, 4, 4, 4), (2, 2)),
    ((1, 48, 29), (3,), (1,), (1, 1), (1,)),
]

# Grouped: (input shape, F, groups, kernel, strides, pads, dilations).
GROUPED = [
    ((1, 64, 12, 12), 64, 16, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1)),
    ((1, 64, 15, 15), 64, 8, (3, 3), (2, 2), (1, 1, 1, 1), (1, 1)),
    ((2, 128, 9, 9), 128, 4, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1)),
    ((1, 64, 8, 8), 128, 4, (3, 3), (1, 1), (0, 1, 2, 1), (1, 1)),
    ((1, 6, 10, 10), 10, 2, (3, 3), (1, 1), (2, 2, 2, 2), (2, 2)),
    ((1, 24, 7, 7), 24, 3, (1, 3), (1, 1), (0, 1, 0, 1), (1, 1)),
    ((1, 40, 6, 6), 40, 20, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1)),
]


def conv_ref(x, w, b, strides, pads, dilations, group=1):
    """float64 direct N-D convolution; pads are [begin..., end...]."""
    if group > 1:
        xs = np.split(x, group, axis=1)
        ws = np.split(w, group, axis=0)
        y = np.concatenate([conv_ref(xg, wg, None, strides, pads, dilations)
                            for xg, wg in zip(xs, ws)], axis=1)
        if b is not None:
            y += b.reshape((1, -1) + (1,) * (x.ndim - 2))
        return y
    n = x.ndim - 2
    xp = np.pad(x, [(0, 0), (0, 0)] + [(pads[i], pads[i + n])
                                       for i in range(n)])
    kernel = w.shape[2:]
    out = [(xp.shape[2 + i] - dilations[i] * (kernel[i] - 1) - 1)
           // strides[i] + 1 for i in range(n)]
    y = np.zeros((x.shape[0], w.shape[0]) + tuple(out))
    for tap in np.ndindex(*kernel):
        window = (slice(None), slice(None)) + tuple(
            slice(tap[i] * dilations[i],
                  tap[i] * dilations[i] + (out[i] - 1) * strides[i] + 1,
                  strides[i]) for i in range(n))
        y += np.einsum("nc...,fc->nf...", xp[window],
                       w[(slice(None), slice(None)) + tap])
    if b is not None:
        y += b.reshape((1, -1) + (1,) * n)
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

    for i, (shape, f, kernel, strides, pads, dil) in enumerate(SHAPES):
        x = rng.standard_normal(shape)
        t.add_input("x%d" % i, x)
        c, taps = shape[1], int(np.prod(kernel))
        wt = rng.standard_normal((f, c) + kernel) / np.sqrt(c * taps)
        bias = rng.standard_normal((f,))
        conv("conv%d" % i, "x%d" % i, wt, bias, strides, pads, dil)
        t.add_output("conv%d" % i, conv_ref(f64(x), f64(wt), f64(bias),
                                            strides, pads, dil))
        # Without a bias, with ReLU.
        wt2 = rng.standard_normal((f, c) + kernel) / np.sqrt(c * taps)
        conv("c%d_nobias" % i, "x%d" % i, wt2, None, strides, pads, dil)
        t.node("Relu", ["c%d_nobias" % i], ["relu%d" % i])
        t.add_output("relu%d" % i, np.maximum(
            conv_ref(f64(x), f64(wt2), None, strides, pads, dil), 0))

    for i, (shape, kernel, strides, pads, dil) in enumerate(DEPTHWISE):
        x = rng.standard_normal(shape)
        t.add_input("xd%d" % i, x)
        c = shape[1]
        wt = rng.standard_normal((c, 1) + kernel)
        bias = rng.standard_normal((c,))
        t.const("dw%d_w" % i, wt)
        t.const("dw%d_b" % i, bias)
        t.node("Conv", ["xd%d" % i, "dw%d_w" % i, "dw%d_b" % i],
               ["dw%d" % i], strides=list(strides), pads=list(pads),
               dilations=list(dil), group=c)
        t.node("Clip", ["dw%d" % i, "zero", "six"], ["dwclip%d" % i])
        t.add_output("dwclip%d" % i, np.clip(conv_ref(
            f64(x), f64(wt), f64(bias), strides, pads, dil, group=c), 0, 6))
    for i, (shape, f, g, kernel, strides, pads, dil) in enumerate(GROUPED):
        x = rng.standard_normal(shape)
        t.add_input("xg%d" % i, x)
        c, taps = shape[1] // g, int(np.prod(kernel))
        wt = rng.standard_normal((f, c) + kernel) / np.sqrt(c * taps)
        bias = rng.standard_normal((f,))
        t.const("g%d_w" % i, wt)
        t.const("g%d_b" % i, bias)
        t.node("Conv", ["xg%d" % i, "g%d_w" % i, "g%d_b" % i], ["g%d" % i],
               strides=list(strides), pads=list(pads), dilations=list(dil),
               group=g)
        t.node("Relu", ["g%d" % i], ["grelu%d" % i])
        t.add_output("grelu%d" % i, np.maximum(conv_ref(
            f64(x), f64(wt), f64(bias), strides, pads, dil, group=g), 0))
    t.const("zero", np.array(0.0))
    t.const("six", np.array(6.0))

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

    # Pooling, padding and concatenation of blocked activations (kept
    # blocked through them): a padded max pool, an average pool without the
    # padding in its count, a global average pool, and two convolutions
    # concatenated along the channels and read by a 1x1 convolution.
    t.node("MaxPool", ["residual"], ["mpool"], kernel_shape=[3, 3],
           strides=[2, 2], pads=[1, 1, 1, 1])
    t.add_output("mpool", pool_ref(residual, np.max, -np.inf))
    t.node("AveragePool", ["residual"], ["apool"], kernel_shape=[3, 3],
           strides=[1, 1], pads=[1, 1, 1, 1], count_include_pad=0)
    t.add_output("apool", pool_ref(residual, np.nanmean, np.nan, stride=1))
    t.node("GlobalAveragePool", ["residual"], ["gap"])
    t.add_output("gap", residual.mean(axis=(2, 3), keepdims=True))
    w4 = rng.standard_normal((16, 64, 1, 1)) / 8
    t.node("Concat", ["t3", "rp"], ["cat"], axis=1)
    conv("catconv", "cat", w4, None, (1, 1), (0, 0, 0, 0), (1, 1))
    cat = np.concatenate([conv_ref(residual, f64(w3), None, *same), rp],
                         axis=1)
    t.add_output("catconv", conv_ref(cat, f64(w4), None, (1, 1),
                                     (0, 0, 0, 0), (1, 1)))
    return t


def pool_ref(x, reduce, pad_value, stride=2):
    """3x3 pooling with one pixel of padding (pad_value) on every side."""
    xp = np.pad(x, [(0, 0), (0, 0), (1, 1), (1, 1)],
                constant_values=pad_value)
    out = (xp.shape[2] - 3) // stride + 1
    windows = np.stack([xp[:, :, i:i + stride * (out - 1) + 1:stride,
                           j:j + stride * (out - 1) + 1:stride]
                        for i in range(3) for j in range(3)])
    return reduce(windows, axis=0)


if __name__ == "__main__":
    main(build)
