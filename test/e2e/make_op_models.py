#!/usr/bin/env python3
"""Small ONNX models, built with onnx.helper, that cover the operators kilnc
supports in the configurations networks use (grouped/dilated/padded conv,
depthwise conv, pooling with ceil_mode and count_include_pad, batch norm, LRN,
softmax, Gemm with transposes, broadcasting MatMul, shape ops, reductions,
activations, recurrent layers (LSTM, GRU, RNN), ...). test/e2e/run.sh compares each with ONNX Runtime through
compare_ort.py.

    python3 test/e2e/make_op_models.py OUTDIR [--only NAME ...] [--list]

Writes OUTDIR/NAME.onnx for every model; weights are seeded, so the files are
the same on every run.
"""
import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                "models"))
from onnx_builder import GraphBuilder, make_model  # noqa: E402

MODELS = {}


def model(opset=13):
    def register(fn):
        MODELS[fn.__name__] = (fn, opset)
        return fn
    return register


def finish(b, name, outputs):
    """Declares `outputs` (value names) as graph outputs, with the element
    types and shapes ONNX Runtime computes (ONNX's own shape inference leaves
    the exporter's flatten chain symbolic and differs from ORT on some
    ceil_mode pooling shapes)."""
    import onnxruntime as ort
    b.outputs[:] = [helper.make_empty_tensor_value_info(o) for o in outputs]
    m = helper.make_model(b.graph(name),
                          opset_imports=[helper.make_opsetid("", b.opset)],
                          ir_version=max(4, helper.find_min_ir_version_for(
                              [helper.make_opsetid("", b.opset)])))
    sess = ort.InferenceSession(m.SerializeToString(),
                                providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    feeds = {}
    for i in sess.get_inputs():
        if i.type == "tensor(float)":
            feeds[i.name] = rng.standard_normal(i.shape).astype(np.float32)
        else:
            feeds[i.name] = np.zeros(i.shape, np.int64)
    results = sess.run(outputs, feeds)
    del b.outputs[:]
    for o, r in zip(outputs, results):
        b.output(o, list(r.shape), helper.np_dtype_to_tensor_dtype(r.dtype))
    return make_model(b.graph(name), b.opset)


@model()
def conv_group_dilation(b):
    x = b.input("x", [1, 8, 17, 19])
    y = b.conv(x, 8, 12, 3, "gconv", stride=1, pad=[1, 2, 0, 1], group=2,
               dilation=2)
    z = b.conv(x, 8, 4, (3, 5), "sconv", stride=2, pad=[2, 1, 0, 3],
               group=4)
    w = b.conv(x, 8, 6, 3, "same", auto_pad="SAME_UPPER", bias=False)
    b.nodes[-1].attribute.remove(
        [a for a in b.nodes[-1].attribute if a.name == "strides"][0])
    b.nodes[-1].attribute.append(helper.make_attribute("strides", [2, 2]))
    return finish(b, "conv_group_dilation", [y, z, w])


@model()
def conv_depthwise_bn(b):
    """A MobileNet block: depthwise 3x3 + BN + Relu6 (Clip), pointwise 1x1."""
    x = b.input("x", [1, 16, 15, 15])
    y = b.conv(x, 16, 16, 3, "dw", stride=2, pad=1, group=16, bias=False)
    y = b.batchnorm(y, 16, "dw_bn")
    y = b.node("Clip", [y, b.const("zero", np.array(0, np.float32)),
                        b.const("six", np.array(6, np.float32))])
    y = b.conv(y, 16, 24, 1, "pw", bias=False)
    y = b.batchnorm(y, 24, "pw_bn")
    y = b.node("Relu", [y])
    return finish(b, "conv_depthwise_bn", [y])


@model()
def pooling(b):
    x = b.input("x", [1, 3, 13, 14])
    m = b.node("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2],
               pads=[1, 0, 1, 0], ceil_mode=1)
    a1 = b.node("AveragePool", [x], kernel_shape=[3, 2], strides=[2, 2],
                pads=[1, 1, 1, 1], count_include_pad=1)
    a0 = b.node("AveragePool", [x], kernel_shape=[3, 3], strides=[2, 2],
                pads=[1, 1, 1, 1], count_include_pad=0, ceil_mode=1)
    md = b.node("MaxPool", [x], kernel_shape=[2, 2], strides=[1, 1],
                dilations=[2, 2])
    g = b.node("GlobalMaxPool", [x])
    ga = b.node("GlobalAveragePool", [x])
    return finish(b, "pooling", [m, a1, a0, md, g, ga])


@model()
def batchnorm_lrn_softmax(b):
    x = b.input("x", [2, 10, 6, 5])
    y = b.batchnorm(x, 10, "bn", eps=1e-3)
    lrn = b.node("LRN", [y], size=5, alpha=0.05, beta=0.75, bias=2.0)
    s1 = b.node("Softmax", [lrn], axis=1)
    s2 = b.node("Softmax", [lrn], axis=-1)
    ls = b.node("LogSoftmax", [y], axis=3)
    return finish(b, "batchnorm_lrn_softmax", [lrn, s1, s2, ls])


@model()
def gemm_matmul(b):
    a = b.input("a", [4, 6])
    at = b.input("at", [6, 4])
    x = b.input("x", [2, 1, 4, 5])
    y = b.input("y", [3, 5, 7])
    v = b.input("v", [5])
    g1 = b.gemm(a, 6, 3, "fc")                        # transB=1, bias [3]
    w = b.const("w2", b.normal((6, 5)))
    c = b.const("c2", b.normal((4, 1)))
    g2 = b.node("Gemm", [at, w, c], transA=1, alpha=0.5, beta=2.0)
    m1 = b.node("MatMul", [x, y])                     # [2,3,4,7]
    m2 = b.node("MatMul", [x, v])                     # [2,1,4]
    m3 = b.node("MatMul", [v, y])                     # [3,7]
    wm = b.const("wm", b.normal((7, 2)))
    m4 = b.node("MatMul", [m1, wm])                   # constant RHS
    return finish(b, "gemm_matmul", [g1, g2, m1, m2, m3, m4])


@model()
def concat_transpose_reshape(b):
    x = b.input("x", [1, 6, 5, 8])
    y = b.input("y", [1, 2, 5, 8])
    c = b.node("Concat", [x, y], axis=1)                       # [1,8,5,8]
    c2 = b.node("Concat", [y, b.const("k", b.normal((1, 2, 5, 3)))], axis=-1)
    t = b.node("Transpose", [c], perm=[0, 2, 3, 1])
    r = b.node("Reshape", [t, b.const("shape", np.array([0, -1, 8],
                                                        np.int64))])
    f = b.node("Flatten", [c], axis=2)
    sq = b.squeeze(b.unsqueeze(y, [0, 3], "/unsq"), [0, 3], "/sq")
    t2 = b.node("Transpose", [x])                              # reverse
    return finish(b, "concat_transpose_reshape", [c2, r, f, sq, t2])


@model()
def pad_modes(b):
    x = b.input("x", [1, 6, 5, 8])
    p1 = b.node("Pad", [x, b.const("pads", np.array([0, 0, 1, 2, 0, 0, 2, 1],
                                                    np.int64)),
                        b.const("pad_value", np.array(0.5, np.float32))],
                mode="constant")
    p2 = b.node("Pad", [x, b.const("pads2", np.array([0, 0, 2, 1, 0, 0, 1, 3],
                                                     np.int64))],
                mode="reflect")
    p3 = b.node("Pad", [x, b.const("pads3", np.array([0, 1, 1, 0, 0, 0, 2, 2],
                                                     np.int64))],
                mode="edge")
    return finish(b, "pad_modes", [p1, p2, p3])


@model()
def slice_steps(b):
    """Slices that start inside every sliced axis, negative steps included."""
    x = b.input("x", [2, 8, 5, 9])
    s1 = b.node("Slice", [x] + [b.const(n, np.array(v, np.int64)) for n, v in
                                (("starts", [-1, 1, 2]), ("ends", [0, 5, 9]),
                                 ("axes", [1, 2, 3]), ("steps", [-2, 2, 3]))])
    s2 = b.node("Slice", [x] + [b.const(n, np.array(v, np.int64)) for n, v in
                                (("starts2", [1, 3]), ("ends2", [100, -1]),
                                 ("axes2", [0, -1]))])
    return finish(b, "slice_steps", [s1, s2])


@model()
def slice_prefix(b):
    """x[:, :, 0:7]: a slice that starts at 0 and shrinks the axis."""
    x = b.input("x", [1, 4, 8, 8])
    s = b.node("Slice", [x] + [b.const(n, np.array(v, np.int64)) for n, v in
                               (("starts", [0]), ("ends", [7]),
                                ("axes", [2]))])
    return finish(b, "slice_prefix", [s])


@model()
def split_uneven(b):
    x = b.input("x", [1, 8, 5, 8])
    s = b.node("Split", [x, b.const("split", np.array([3, 1, 4], np.int64))],
               outputs=3, axis=1)
    return finish(b, "split_uneven", s)


@model(opset=11)
def split_attr_opset11(b):
    x = b.input("x", [2, 6, 4])
    s = b.node("Split", [x], outputs=2, axis=-1)              # equal halves
    t = b.node("Split", [x], outputs=2, axis=1, split=[4, 2])
    return finish(b, "split_attr_opset11", s + t)


@model()
def reductions(b):
    x = b.input("x", [2, 3, 7, 9])
    r1 = b.reduce_mean(x, [2, 3], "/mean_hw")
    r2 = b.reduce_mean(x, [1], "/mean_c", keepdims=0)
    r3 = b.node("ReduceSum", [x, b.const("sum_axes",
                                         np.array([-1], np.int64))],
                keepdims=0)
    r4 = b.node("ReduceMax", [x], axes=[0, 2], keepdims=1)
    am = b.node("ArgMax", [x], axis=1, keepdims=0)
    return finish(b, "reductions", [r1, r2, r3, r4, am])


@model()
def activations(b):
    x = b.input("x", [2, 4, 5, 6])
    outs = [
        b.node("Clip", [x, b.const("lo", np.array(-0.5, np.float32)),
                        b.const("hi", np.array(0.7, np.float32))]),
        b.node("Clip", [x, "", b.const("hi1", np.array(0.2, np.float32))]),
        b.node("LeakyRelu", [x], alpha=0.1),
        b.node("PRelu", [x, b.const("slope", b.normal((4, 1, 1), 0.3))]),
        b.node("Elu", [x], alpha=0.7),
        b.node("Sigmoid", [x]),
        b.node("Tanh", [x]),
        b.node("HardSigmoid", [x], alpha=0.3, beta=0.4),
        b.node("Softplus", [x]),
        b.node("Selu", [x]),
    ]
    return finish(b, "activations", outs)


@model()
def elementwise_broadcast(b):
    x = b.input("x", [2, 3, 4, 5])
    y = b.input("y", [3, 1, 5])
    z = b.input("z", [1])
    a = b.node("Add", [x, y])
    m = b.node("Mul", [a, z])
    s = b.node("Sub", [b.const("k", b.normal((4, 1))), m])
    d = b.node("Div", [s, b.node("Add", [b.node("Abs", [y]),
                                         b.const("one", np.array(
                                             1, np.float32))])])
    e = b.node("Exp", [b.node("Neg", [b.node("Abs", [x])])])
    q = b.node("Sqrt", [b.node("Abs", [d])])
    p = b.node("Pow", [b.node("Abs", [x]), b.const("p", np.array(
        1.5, np.float32))])
    mx = b.node("Max", [x, y, z])
    return finish(b, "elementwise_broadcast", [d, e, q, p, mx])


@model()
def gather_int_input(b):
    """Integer model inputs: Gather rows of a weight table by index."""
    idx = b.input("idx", [2, 3], TensorProto.INT64)
    table = b.const("table", b.normal((4, 6)))
    g = b.node("Gather", [table, idx], axis=0)                  # [2,3,6]
    c = b.node("Cast", [idx], to=TensorProto.FLOAT)
    s = b.node("Mul", [g, b.unsqueeze(c, [2], "/unsq")])
    return finish(b, "gather_int_input", [g, s])


@model(opset=7)
def legacy_opset7(b):
    """Attribute forms of older opsets: Pad/Slice/Unsqueeze attributes, Clip
    min/max attributes, BatchNormalization spatial."""
    x = b.input("x", [1, 4, 6, 6])
    y = b.batchnorm(x, 4, "bn")
    p = b.node("Pad", [y], pads=[0, 0, 1, 1, 0, 0, 1, 1], mode="constant",
               value=0.25)
    s = b.node("Slice", [p], starts=[1, 1], ends=[3, 8], axes=[1, 2])
    c = b.node("Clip", [s], min=-0.3, max=0.4)
    u = b.unsqueeze(c, [0], "/unsq")
    return finish(b, "legacy_opset7", [s, u])


@model()
def mini_convnet(b):
    """A narrow ResNet-ish net end to end: stem, residual block, strided
    block with 1x1 downsample, global pooling, the exporter's flatten chain,
    Gemm, Softmax."""
    x = b.input("input", [1, 3, 32, 32])
    y = b.conv(x, 3, 8, 3, "stem", pad=1, bias=False)
    y = b.node("Relu", [b.batchnorm(y, 8, "stem_bn")])
    y = b.node("MaxPool", [y], kernel_shape=[3, 3], strides=[2, 2],
               pads=[1, 1, 1, 1])
    r = b.conv(y, 8, 8, 3, "b1c1", pad=1)
    r = b.conv(b.node("Relu", [r]), 8, 8, 3, "b1c2", pad=1)
    y = b.node("Relu", [b.node("Add", [r, y])])
    r = b.conv(y, 8, 16, 3, "b2c1", stride=2, pad=1)
    r = b.conv(b.node("Relu", [r]), 16, 16, 3, "b2c2", pad=1)
    d = b.conv(y, 8, 16, 1, "b2down", stride=2)
    y = b.node("Relu", [b.node("Add", [r, d])])
    y = b.node("GlobalAveragePool", [y])
    y = b.flatten_torch_view(y, "/flatten")
    y = b.gemm(y, 16, 10, "fc")
    y = b.node("Softmax", [y], axis=1)
    return finish(b, "mini_convnet", [y])


def _recurrent_weights(b, name, gates, input_size, hidden, directions=1):
    """W, R and B of a recurrent layer, initialized as PyTorch does
    (uniform in +-1/sqrt(hidden))."""
    k = 1.0 / np.sqrt(hidden)
    w = b.const(name + ".W", b.uniform((directions, gates * hidden,
                                        input_size), -k, k))
    r = b.const(name + ".R", b.uniform((directions, gates * hidden, hidden),
                                       -k, k))
    bias = b.const(name + ".B", b.uniform((directions, 2 * gates * hidden),
                                          -k, k))
    return w, r, bias


@model(opset=14)
def lstm_classifier(b):
    """A 2-layer LSTM sequence classifier as torch.onnx exports nn.LSTM:
    time-major input, zero initial states as constants, layer 1's Y
    squeezed into layer 2, layer 2's Y_h into Gemm + Softmax."""
    seq, batch, features, hidden = 12, 2, 8, 16
    x = b.input("x", [seq, batch, features])
    zeros = b.const("h0", np.zeros((1, batch, hidden), np.float32))
    y = x
    for layer, size in enumerate([features, hidden]):
        w, r, bias = _recurrent_weights(b, "lstm%d" % layer, 4, size, hidden)
        outs = b.node("LSTM", [y, w, r, bias, "", zeros, zeros],
                      name="/lstm/LSTM_%d" % layer, outputs=3,
                      hidden_size=hidden)
        y = b.squeeze(outs[0], [1], "/lstm/Squeeze_%d" % layer)
    last = b.squeeze(outs[1], [0], "/Squeeze")
    logits = b.gemm(last, hidden, 5, "fc")
    probs = b.node("Softmax", [logits], axis=1)
    return finish(b, "lstm_classifier", [probs, y, outs[2]])


@model(opset=14)
def gru_classifier(b):
    """A GRU sequence classifier with linear_before_reset=1 (PyTorch's GRU)
    and the initial state as a model input."""
    seq, batch, features, hidden = 10, 3, 6, 12
    x = b.input("x", [seq, batch, features])
    h0 = b.input("h0", [1, batch, hidden])
    w, r, bias = _recurrent_weights(b, "gru", 3, features, hidden)
    y, yh = b.node("GRU", [x, w, r, bias, "", h0], name="/gru/GRU",
                   outputs=2, hidden_size=hidden, linear_before_reset=1)
    last = b.squeeze(yh, [0], "/Squeeze")
    logits = b.gemm(last, hidden, 4, "fc")
    probs = b.node("Softmax", [logits], axis=1)
    return finish(b, "gru_classifier", [probs, y])


@model(opset=14)
def birnn_sequence_lens(b):
    """A bidirectional vanilla RNN over a padded batch: constant
    sequence_lens, so Y is zero past each sequence's end and Y_h holds each
    direction's state at its last valid step."""
    seq, batch, features, hidden = 7, 3, 5, 6
    x = b.input("x", [seq, batch, features])
    w, r, bias = _recurrent_weights(b, "rnn", 1, features, hidden, 2)
    lens = b.const("sequence_lens", np.array([7, 4, 1], np.int32))
    h0 = b.const("h0", b.normal((2, batch, hidden), 0.5))
    y, yh = b.node("RNN", [x, w, r, bias, lens, h0], name="/rnn/RNN",
                   outputs=2, hidden_size=hidden, direction="bidirectional")
    return finish(b, "birnn_sequence_lens", [y, yh])


@model()
def fcn_decoder(b):
    """An FCN-style decoder: score maps at strides 4 and 2, the coarse one
    upsampled x2 by a learned ConvTranspose (bias-free, bilinear-sized
    kernel 4, stride 2, pad 1) and added to the skip, then bilinear Resize
    x2 (PyTorch's align_corners=False: half_pixel) to the input size; also
    a FCN-32s-style 8x ConvTranspose (kernel 16, stride 8, pad 4), a
    grouped one with output_padding, align_corners bilinear to sizes, and
    nearest x2 (PyTorch's nn.Upsample: asymmetric, floor)."""
    classes = 5
    x = b.input("input", [1, 3, 32, 32])
    f1 = b.node("Relu", [b.conv(x, 3, 8, 3, "enc1", stride=2, pad=1)])
    f2 = b.node("Relu", [b.conv(f1, 8, 16, 3, "enc2", stride=2, pad=1)])
    score2 = b.conv(f2, 16, classes, 1, "score_fr")
    score1 = b.conv(f1, 8, classes, 1, "score_pool")
    up = b.node("ConvTranspose",
                [score2, b.const("upscore2.weight",
                                 b.normal((classes, classes, 4, 4), 0.2))],
                name="/upscore2/ConvTranspose", kernel_shape=[4, 4],
                strides=[2, 2], pads=[1, 1, 1, 1])
    fuse = b.node("Add", [up, score1])
    roi = b.const("roi", np.zeros(0, np.float32))
    out = b.node("Resize", [fuse, roi, b.const("scales", np.array(
        [1, 1, 2, 2], np.float32))], name="/Resize", mode="linear",
        coordinate_transformation_mode="half_pixel")
    up8 = b.node("ConvTranspose",
                 [score2, b.const("upscore8.weight",
                                  b.normal((classes, classes, 16, 16), 0.1)),
                  b.const("upscore8.bias", b.normal((classes,), 0.1))],
                 name="/upscore8/ConvTranspose", kernel_shape=[16, 16],
                 strides=[8, 8], pads=[4, 4, 4, 4])
    grouped = b.node("ConvTranspose",
                     [f2, b.const("grouped.weight",
                                  b.normal((16, 3, 3, 3), 0.2))],
                     name="/grouped/ConvTranspose", strides=[2, 3],
                     pads=[1, 0, 1, 2], output_padding=[1, 2], group=4,
                     dilations=[1, 2])
    corners = b.node("Resize", [fuse, roi, "", b.const("sizes", np.array(
        [1, classes, 24, 40], np.int64))], name="/ResizeCorners",
        mode="linear", coordinate_transformation_mode="align_corners")
    nearest = b.node("Resize", [fuse, roi, b.const("scales2", np.array(
        [1, 1, 2, 2], np.float32))], name="/ResizeNearest", mode="nearest",
        coordinate_transformation_mode="asymmetric", nearest_mode="floor")
    return finish(b, "fcn_decoder", [out, up8, grouped, corners, nearest])


@model()
def conv_transpose_nd(b):
    """Transposed convolutions with constant filters, as
    kiln-conv-transpose-to-conv rewrites them: 1-D with stride 3, dilation
    2 and output_padding; 3-D with stride (1, 2, 2) and asymmetric pads;
    2-D grouped with bias; and one whose pads exceed the kernel (the input
    would be cropped: the direct lowering keeps it)."""
    x1 = b.input("x1", [2, 4, 7])
    y1 = b.node("ConvTranspose",
                [x1, b.const("w1", b.normal((4, 3, 3), 0.3)),
                 b.const("b1", b.normal((3,), 0.1))],
                name="/d1/ConvTranspose", strides=[3], dilations=[2],
                pads=[1, 2], output_padding=[1])
    x3 = b.input("x3", [1, 2, 3, 4, 5])
    y3 = b.node("ConvTranspose",
                [x3, b.const("w3", b.normal((2, 4, 2, 3, 3), 0.3))],
                name="/d3/ConvTranspose", strides=[1, 2, 2],
                pads=[0, 1, 0, 1, 0, 2])
    x2 = b.input("x2", [1, 6, 5, 5])
    y2 = b.node("ConvTranspose",
                [x2, b.const("w2", b.normal((6, 2, 3, 3), 0.3)),
                 b.const("b2", b.normal((6,), 0.1))],
                name="/d2/ConvTranspose", strides=[2, 2], pads=[1, 1, 1, 1],
                group=3)
    cropped = b.node("ConvTranspose",
                     [x2, b.const("wc", b.normal((6, 4, 2, 2), 0.3))],
                     name="/crop/ConvTranspose", strides=[2, 2],
                     pads=[3, 3, 3, 3])
    return finish(b, "conv_transpose_nd", [y1, y3, y2, cropped])


@model(opset=12)
def segnet_pool_unpool(b):
    """SegNet's encoder-decoder pairing: each MaxPool also returns its
    indices (Indices output), which the matching MaxUnpool uses to put the
    values back into the pre-pooling shape, given as output_shape as
    PyTorch exports max_unpool2d(..., output_size): odd extents (18x17 ->
    9x8 -> 4x4) make it larger than the unpooled shape."""
    x = b.input("input", [1, 4, 18, 17])
    e1 = b.node("Relu", [b.conv(x, 4, 8, 3, "enc1", pad=1)])
    p1, i1 = b.node("MaxPool", [e1], name="/pool1/MaxPool", outputs=2,
                    kernel_shape=[2, 2], strides=[2, 2])
    e2 = b.node("Relu", [b.conv(p1, 8, 8, 3, "enc2", pad=1)])
    p2, i2 = b.node("MaxPool", [e2], name="/pool2/MaxPool", outputs=2,
                    kernel_shape=[2, 2], strides=[2, 2], storage_order=0)
    u2 = b.node("MaxUnpool", [p2, i2, b.const("shape2", np.array(
        [1, 8, 9, 8], np.int64))], name="/unpool2/MaxUnpool",
        kernel_shape=[2, 2], strides=[2, 2])
    d2 = b.node("Relu", [b.conv(u2, 8, 8, 3, "dec2", pad=1)])
    u1 = b.node("MaxUnpool", [d2, i1, b.const("shape1", np.array(
        [1, 8, 18, 17], np.int64))], name="/unpool1/MaxUnpool",
        kernel_shape=[2, 2], strides=[2, 2])
    d1 = b.conv(u1, 8, 3, 3, "dec1", pad=1)
    return finish(b, "segnet_pool_unpool", [d1, i1, i2])


@model(opset=18)
def scatter_reductions(b):
    """ScatterElements with every reduction on a float input, repeated and
    negative indices (combined in order), on axes 0 and 1."""
    x = b.input("x", [4, 5])
    u = b.input("u", [3, 5])
    idx0 = b.const("idx0", np.array([[0, 1, 2, 3, -1], [1, 1, 0, 3, 2],
                                     [0, -4, 2, 0, 3]], np.int64))
    outs = [b.node("ScatterElements", [x, idx0, u], name="/scatter_" + r,
                   axis=0, reduction=r)
            for r in ("none", "add", "mul", "max", "min")]
    idx1 = b.const("idx1", np.array([[4, 0], [1, 1], [-2, 3], [0, 0]],
                                    np.int64))
    v = b.input("v", [4, 2])
    outs.append(b.node("ScatterElements", [x, idx1, v], name="/scatter_axis1",
                       axis=1, reduction="add"))
    return finish(b, "scatter_reductions", outs)


@model(opset=18)
def scatter_nd_reductions(b):
    """ScatterND with every reduction, and GatherND: rows of a [4, 3, 5]
    input addressed by tuples of length 2 (one repeated, one negative)."""
    x = b.input("x", [4, 3, 5])
    u = b.input("u", [3, 5])
    idx = b.const("idx", np.array([[0, 1], [3, -1], [0, 1]], np.int64))
    outs = [b.node("ScatterND", [x, idx, u], name="/scatter_nd_" + r,
                   reduction=r)
            for r in ("add", "mul", "max", "min")]
    one = b.const("one", np.array([[2, 0], [1, 2]], np.int64))
    v = b.input("v", [2, 5])
    outs.append(b.node("ScatterND", [x, one, v], name="/scatter_nd_none"))
    # GatherND reads back rows by the same (negative-index) tuples.
    outs.append(b.node("GatherND", [x, idx], name="/gather_nd"))
    return finish(b, "scatter_nd_reductions", outs)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("outdir", nargs="?")
    p.add_argument("--only", nargs="*")
    p.add_argument("--list", action="store_true")
    a = p.parse_args()
    if a.list:
        print("\n".join(MODELS))
        return
    if not a.outdir:
        p.error("OUTDIR is required")
    os.makedirs(a.outdir, exist_ok=True)
    for i, (name, (fn, opset)) in enumerate(MODELS.items()):
        if a.only and name not in a.only:
            continue
        m = fn(GraphBuilder(opset, seed=100 + i))
        onnx.save(m, os.path.join(a.outdir, name + ".onnx"))


if __name__ == "__main__":
    main()
