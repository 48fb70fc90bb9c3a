#!/usr/bin/env python3
"""Writes the small ONNX models that the importer tests compile.

    make_model.py NAME OUT.onnx [--opset N]
    make_model.py --list

Each model is built with onnx.helper and, unless it is meant to be invalid,
checked with onnx.checker (full_check: shape inference too), so that a test
failure points at kilnc and not at the model. Node names are set everywhere:
the tests check that they come back as locations and in error messages.
"""
import os
import sys

import numpy as np
from onnx import TensorProto as T
from onnx import helper as h


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lit_models import Registry, const, vi  # noqa: E402

model = Registry()


def make(nodes, inputs, outputs, inits=(), opset=13, name="g"):
    graph = h.make_graph(nodes, name, inputs, outputs, list(inits))
    return h.make_model(graph, opset_imports=[h.make_opsetid("", opset)],
                        producer_name="kiln-lit")


# --- Well-formed models --------------------------------------------------

@model("conv_relu")
def conv_relu(opset):
    w = const("W", np.ones((4, 3, 3, 3), np.float32))
    b = const("B", np.arange(4, dtype=np.float32))
    return make(
        [h.make_node("Conv", ["X", "W", "B"], ["c"], name="conv1",
                     pads=[1, 1, 1, 1]),
         h.make_node("Relu", ["c"], ["Y"], name="relu1")],
        [vi("X", T.FLOAT, [1, 3, 8, 8])], [vi("Y", T.FLOAT, [1, 4, 8, 8])],
        [w, b], opset)


@model("conv_block")
def conv_block(opset):
    # What --report and --conv-algorithm see: a 3x3 stride-1 convolution
    # with a batch norm and a ReLU (Winograd can take it), a strided 3x3
    # one (it cannot), then a fully connected layer.
    rng = np.random.default_rng(0)
    w1 = const("W1", rng.standard_normal((32, 16, 3, 3)).astype(np.float32))
    w2 = const("W2", rng.standard_normal((32, 32, 3, 3)).astype(np.float32))
    bn = [const(n, v) for n, v in (
        ("scale", np.full(32, 2, np.float32)), ("shift", np.ones(32, np.float32)),
        ("mean", np.zeros(32, np.float32)), ("var", np.ones(32, np.float32)))]
    wf = const("WF", rng.standard_normal((512, 10)).astype(np.float32))
    return make(
        [h.make_node("Conv", ["X", "W1"], ["c1"], name="conv1",
                     pads=[1, 1, 1, 1]),
         h.make_node("BatchNormalization",
                     ["c1", "scale", "shift", "mean", "var"], ["b1"],
                     name="bn1"),
         h.make_node("Relu", ["b1"], ["r1"], name="relu1"),
         h.make_node("Conv", ["r1", "W2"], ["c2"], name="conv2",
                     pads=[1, 1, 1, 1], strides=[2, 2]),
         h.make_node("Flatten", ["c2"], ["f"], name="flatten"),
         h.make_node("MatMul", ["f", "WF"], ["Y"], name="fc")],
        [vi("X", T.FLOAT, [1, 16, 8, 8])], [vi("Y", T.FLOAT, [1, 10])],
        [w1, w2, *bn, wf], opset)


@model("unnamed_nodes")
def unnamed_nodes(opset):
    # Nodes without names are named after their op type and position.
    return make(
        [h.make_node("Relu", ["X"], ["r"]),
         h.make_node("Neg", ["r"], ["Y"])],
        [vi("X", T.FLOAT, [2, 2])], [vi("Y", T.FLOAT, [2, 2])], opset=opset)


@model("initializer_types")
def initializer_types(opset):
    # Initializers of several element types; raw_data and typed fields.
    f16 = const("H", np.array([1.5, -2.0], np.float16))
    u8 = const("U", np.array([0, 200, 255], np.uint8))
    i64 = h.make_tensor("L", T.INT64, [2], [7, -9])          # int64_data
    b = h.make_tensor("Bo", T.BOOL, [2], [1, 0])             # int32_data
    d = h.make_tensor("D", T.DOUBLE, [1], [0.25])            # double_data
    return make(
        [h.make_node("Identity", ["H"], ["h"], name="id_h"),
         h.make_node("Identity", ["U"], ["u"], name="id_u"),
         h.make_node("Identity", ["L"], ["l"], name="id_l"),
         h.make_node("Identity", ["Bo"], ["bo"], name="id_b"),
         h.make_node("Identity", ["D"], ["d"], name="id_d")],
        [], [vi("h", T.FLOAT16, [2]), vi("u", T.UINT8, [3]),
             vi("l", T.INT64, [2]), vi("bo", T.BOOL, [2]),
             vi("d", T.DOUBLE, [1])],
        [f16, u8, i64, b, d], opset)


@model("constant_nodes")
def constant_nodes(opset):
    return make(
        [h.make_node("Constant", [], ["k"], name="k_const",
                     value=h.make_tensor("kv", T.FLOAT, [3], [1.0, 2.0, 3.0])),
         h.make_node("Constant", [], ["s"], name="s_const", value_float=0.5),
         h.make_node("Constant", [], ["v"], name="v_const",
                     value_ints=[4, 5]),
         h.make_node("Add", ["X", "k"], ["a"], name="add"),
         h.make_node("Mul", ["a", "s"], ["Y"], name="mul"),
         h.make_node("Identity", ["v"], ["V"], name="id_v")],
        [vi("X", T.FLOAT, [2, 3])],
        [vi("Y", T.FLOAT, [2, 3]), vi("V", T.INT64, [2])], opset=opset)


@model("shape_chain")
def shape_chain(opset):
    # The exporter idiom x.view(x.size(0), -1):
    # Shape -> Gather(0) -> Unsqueeze -> Concat([n, -1]) -> Reshape.
    unsq = (h.make_node("Unsqueeze", ["n", "zero_axes"], ["n1"], name="unsq")
            if opset >= 13 else
            h.make_node("Unsqueeze", ["n"], ["n1"], name="unsq", axes=[0]))
    inits = [const("idx0", np.array(0, np.int64)),
             const("minus1", np.array([-1], np.int64))]
    if opset >= 13:
        inits.append(const("zero_axes", np.array([0], np.int64)))
    return make(
        [h.make_node("Relu", ["X"], ["r"], name="relu"),
         h.make_node("Shape", ["r"], ["shp"], name="shape"),
         h.make_node("Gather", ["shp", "idx0"], ["n"], name="gather", axis=0),
         unsq,
         h.make_node("Concat", ["n1", "minus1"], ["newshape"], name="concat",
                     axis=0),
         h.make_node("Reshape", ["r", "newshape"], ["Y"], name="reshape")],
        [vi("X", T.FLOAT, [2, 3, 4, 5])], [vi("Y", T.FLOAT, [2, 60])],
        inits, opset)


@model("reshape_ops")
def reshape_ops(opset):
    # Flatten, Squeeze and Unsqueeze are all nn.reshape.
    if opset >= 13:
        inits = [const("sq_axes", np.array([1], np.int64)),
                 const("unsq_axes", np.array([0, 3], np.int64))]
        squeeze = h.make_node("Squeeze", ["f3", "sq_axes"], ["s"],
                              name="squeeze")
        unsqueeze = h.make_node("Unsqueeze", ["s", "unsq_axes"], ["Y2"],
                                name="unsqueeze")
    else:
        inits = []
        squeeze = h.make_node("Squeeze", ["f3"], ["s"], name="squeeze",
                              axes=[1])
        unsqueeze = h.make_node("Unsqueeze", ["s"], ["Y2"], name="unsqueeze",
                                axes=[0, 3])
    return make(
        [h.make_node("Flatten", ["X"], ["Y1"], name="flatten", axis=2),
         h.make_node("Reshape", ["Y1", "shape3"], ["f3"], name="to3d"),
         squeeze, unsqueeze],
        [vi("X", T.FLOAT, [2, 3, 4, 5])],
        [vi("Y1", T.FLOAT, [6, 20]), vi("Y2", T.FLOAT, [1, 6, 20, 1])],
        inits + [const("shape3", np.array([6, 1, 20], np.int64))], opset)


def _auto_pad_conv(mode, opset):
    w = const("W", np.ones((2, 1, 3, 3), np.float32))
    return make(
        [h.make_node("Conv", ["X", "W"], ["Y"], name="conv_same",
                     auto_pad=mode, strides=[2, 2], kernel_shape=[3, 3]),
         h.make_node("MaxPool", ["X"], ["P"], name="pool_same",
                     auto_pad=mode, strides=[2, 2], kernel_shape=[2, 2])],
        [vi("X", T.FLOAT, [1, 1, 6, 7])],
        [vi("Y", T.FLOAT, [1, 2, 3, 4]), vi("P", T.FLOAT, [1, 1, 3, 4])],
        [w], opset)


@model("auto_pad_same_upper")
def auto_pad_same_upper(opset):
    return _auto_pad_conv("SAME_UPPER", opset)


@model("auto_pad_same_lower")
def auto_pad_same_lower(opset):
    return _auto_pad_conv("SAME_LOWER", opset)


@model("auto_pad_valid")
def auto_pad_valid(opset):
    w = const("W", np.ones((2, 1, 3, 3), np.float32))
    return make(
        [h.make_node("Conv", ["X", "W"], ["Y"], name="conv_valid",
                     auto_pad="VALID", strides=[2, 2])],
        [vi("X", T.FLOAT, [1, 1, 6, 7])], [vi("Y", T.FLOAT, [1, 2, 2, 3])],
        [w], opset)


@model("softmax")
def softmax(opset):
    # Softmax over axis 1 of a 3-D tensor: before opset 13 the input is
    # coerced to 2-D ([2, 12]), from 13 on it is axis 1 alone.
    return make(
        [h.make_node("Softmax", ["X"], ["Y"], name="softmax", axis=1),
         h.make_node("LogSoftmax", ["X"], ["Z"], name="logsoftmax")],
        [vi("X", T.FLOAT, [2, 3, 4])],
        [vi("Y", T.FLOAT, [2, 3, 4]), vi("Z", T.FLOAT, [2, 3, 4])],
        opset=opset)


@model("clip")
def clip(opset):
    if opset < 11:
        nodes = [h.make_node("Clip", ["X"], ["Y"], name="clip", min=-1.0,
                             max=6.0),
                 h.make_node("Clip", ["X"], ["Z"], name="clip_max", max=2.0)]
        inits = []
    else:
        nodes = [h.make_node("Clip", ["X", "lo", "hi"], ["Y"], name="clip"),
                 h.make_node("Clip", ["X", "", "hi2"], ["Z"], name="clip_max")]
        inits = [const("lo", np.array(-1.0, np.float32)),
                 const("hi", np.array(6.0, np.float32)),
                 const("hi2", np.array(2.0, np.float32))]
    return make(nodes, [vi("X", T.FLOAT, [4])],
                [vi("Y", T.FLOAT, [4]), vi("Z", T.FLOAT, [4])], inits, opset)


@model("clip_runtime_bounds")
def clip_runtime_bounds(opset):
    # Bounds that are graph inputs, known only at run time: a rank-0 min and
    # a one-element max for Y, only a max for Z.
    nodes = [h.make_node("Clip", ["X", "lo", "hi"], ["Y"], name="clip"),
             h.make_node("Clip", ["X", "", "hi"], ["Z"], name="clip_max")]
    return make(nodes, [vi("X", T.FLOAT, [6]), vi("lo", T.FLOAT, []),
                        vi("hi", T.FLOAT, [1])],
                [vi("Y", T.FLOAT, [6]), vi("Z", T.FLOAT, [6])], opset=opset)


@model("symbolic_batch")
def symbolic_batch(opset):
    w = const("W", np.ones((5, 8), np.float32))
    return make(
        [h.make_node("MatMul", ["X", "W"], ["m"], name="matmul"),
         h.make_node("Relu", ["m"], ["Y"], name="relu")],
        [vi("X", T.FLOAT, ["batch", 5])], [vi("Y", T.FLOAT, ["batch", 8])],
        [w], opset)


@model("opset_sweep")
def opset_sweep(opset):
    """A model valid at every opset from 7 on, using ops whose signature
    changed over the versions (Clip 11, ReduceSum 13, Squeeze 13,
    Softmax 13)."""
    nodes, inits = [], []
    nodes.append(h.make_node("Add", ["X", "bias"], ["a"], name="add"))
    inits.append(const("bias", np.array([0.5, -0.5, 1.0], np.float32)))
    if opset < 11:
        nodes.append(h.make_node("Clip", ["a"], ["c"], name="clip", min=0.0,
                                 max=4.0))
    else:
        nodes.append(h.make_node("Clip", ["a", "lo", "hi"], ["c"],
                                 name="clip"))
        inits += [const("lo", np.array(0.0, np.float32)),
                  const("hi", np.array(4.0, np.float32))]
    nodes.append(h.make_node("Softmax", ["c"], ["s"], name="softmax", axis=1))
    if opset < 13:
        nodes.append(h.make_node("ReduceSum", ["s"], ["r"], name="reduce",
                                 axes=[1], keepdims=1))
        nodes.append(h.make_node("Squeeze", ["r"], ["Y"], name="squeeze",
                                 axes=[1]))
    else:
        inits.append(const("axes", np.array([1], np.int64)))
        nodes.append(h.make_node("ReduceSum", ["s", "axes"], ["r"],
                                 name="reduce", keepdims=1))
        nodes.append(h.make_node("Squeeze", ["r", "axes"], ["Y"],
                                 name="squeeze"))
    return make(nodes, [vi("X", T.FLOAT, [2, 3])], [vi("Y", T.FLOAT, [2])],
                inits, opset)


@model("external_data_ok")
def external_data_ok(opset):
    return _external("weights.bin", opset)


# --- Recurrent layers (unrolled at import) -------------------------------

def _rnn_weights(prefix, directions, gates, input_size, hidden, seed=0):
    """W, R and B initializers named PREFIX_W, PREFIX_R, PREFIX_B."""
    rng = np.random.default_rng(seed)
    def rand(*shape):
        return rng.uniform(-0.5, 0.5, shape).astype(np.float32)
    return [const(prefix + "_W", rand(directions, gates * hidden, input_size)),
            const(prefix + "_R", rand(directions, gates * hidden, hidden)),
            const(prefix + "_B", rand(directions, 2 * gates * hidden))]


@model("rnn_bidirectional_lens")
def rnn_bidirectional_lens(opset):
    # seq_length 3, batch 2 with lengths [3, 1]: the forward direction steps
    # t = 0, 1, 2 and the reverse one t = 2, 1, 0; batch entry 1 is masked
    # from t = 1 on.
    inits = _rnn_weights("rnn", 2, 1, 2, 3) + [
        const("lens", np.array([3, 1], np.int32))]
    return make(
        [h.make_node("RNN", ["X", "rnn_W", "rnn_R", "rnn_B", "lens"],
                     ["Y", "Y_h"], name="birnn", hidden_size=3,
                     direction="bidirectional")],
        [vi("X", T.FLOAT, [3, 2, 2])],
        [vi("Y", T.FLOAT, [3, 2, 2, 3]), vi("Y_h", T.FLOAT, [2, 2, 3])],
        inits, opset)


@model("lstm_peepholes")
def lstm_peepholes(opset):
    # Two steps of an LSTM with peepholes, initial states and clip; all
    # three outputs.
    rng = np.random.default_rng(1)
    inits = _rnn_weights("lstm", 1, 4, 3, 2) + [
        const("P", rng.uniform(-0.5, 0.5, (1, 6)).astype(np.float32)),
        const("h0", np.full((1, 1, 2), 0.25, np.float32)),
        const("c0", np.full((1, 1, 2), -0.5, np.float32))]
    return make(
        [h.make_node("LSTM", ["X", "lstm_W", "lstm_R", "lstm_B", "", "h0",
                              "c0", "P"], ["Y", "Y_h", "Y_c"], name="lstm",
                     hidden_size=2, clip=2.0)],
        [vi("X", T.FLOAT, [2, 1, 3])],
        [vi("Y", T.FLOAT, [2, 1, 1, 2]), vi("Y_h", T.FLOAT, [1, 1, 2]),
         vi("Y_c", T.FLOAT, [1, 1, 2])],
        inits, opset)


@model("gru_reset")
def gru_reset(opset):
    # One step of a GRU computed both ways: linear_before_reset 0 applies
    # Rh to (rt * Ht-1), 1 applies rt to (Ht-1 * Rh^T + Rbh).
    inits = _rnn_weights("gru", 1, 3, 2, 4) + [
        const("h0", np.full((1, 1, 4), 0.5, np.float32))]
    ins = ["X", "gru_W", "gru_R", "gru_B", "", "h0"]
    return make(
        [h.make_node("GRU", ins, ["", "H0"], name="gru_lbr0", hidden_size=4),
         h.make_node("GRU", ins, ["", "H1"], name="gru_lbr1", hidden_size=4,
                     linear_before_reset=1)],
        [vi("X", T.FLOAT, [1, 1, 2])],
        [vi("H0", T.FLOAT, [1, 1, 4]), vi("H1", T.FLOAT, [1, 1, 4])],
        inits, opset)


@model("lstm_layout1")
def lstm_layout1(opset):
    # layout 1 (opset 14): batch-major X, Y, Y_h.
    return make(
        [h.make_node("LSTM", ["X", "lstm_W", "lstm_R"], ["Y", "Y_h"],
                     name="lstm_bm", hidden_size=2, layout=1)],
        [vi("X", T.FLOAT, [2, 3, 4])],
        [vi("Y", T.FLOAT, [2, 3, 1, 2]), vi("Y_h", T.FLOAT, [2, 1, 2])],
        _rnn_weights("lstm", 1, 4, 4, 2)[:2], opset)


_ACTIVATIONS = [("Relu", {}), ("Tanh", {}), ("Sigmoid", {}),
                ("Affine", dict(activation_alpha=[0.5],
                                activation_beta=[0.25])),
                ("LeakyRelu", dict(activation_alpha=[0.125])),
                ("ThresholdedRelu", {}), ("ScaledTanh", {}),
                ("HardSigmoid", {}), ("Elu", dict(activation_alpha=[0.75])),
                ("Softsign", {}), ("Softplus", {})]


@model("rnn_activations")
def rnn_activations(opset):
    # One single-step RNN per activation name, with given or default
    # alpha/beta.
    nodes, outputs = [], []
    for name, attrs in _ACTIVATIONS:
        nodes.append(h.make_node("RNN", ["X", "rnn_W", "rnn_R"], ["", name],
                                 name="rnn_" + name.lower(), hidden_size=2,
                                 activations=[name], **attrs))
        outputs.append(vi(name, T.FLOAT, [1, 1, 2]))
    # LSTM: alpha and beta are consumed in order by the functions that take
    # them: HardSigmoid (0.1, 0.4), LeakyRelu (0.2), Affine (0.3, 0.5).
    nodes.append(h.make_node(
        "LSTM", ["X", "lstm_W", "lstm_R"], ["", "L"], name="lstm_params",
        hidden_size=2, activations=["HardSigmoid", "LeakyRelu", "Affine"],
        activation_alpha=[0.1, 0.2, 0.3], activation_beta=[0.4, 0.5]))
    outputs.append(vi("L", T.FLOAT, [1, 1, 2]))
    inits = (_rnn_weights("rnn", 1, 1, 2, 2)[:2] +
             _rnn_weights("lstm", 1, 4, 2, 2)[:2])
    return make(nodes, [vi("X", T.FLOAT, [1, 1, 2])], outputs, inits, opset)


@model("rnn_sequence_lens_input")
def rnn_sequence_lens_input(opset):
    # sequence_lens as a graph input: kilnc asks for a constant
    # (--bind-input).
    return make(
        [h.make_node("RNN", ["X", "rnn_W", "rnn_R", "", "lens"], ["Y", "Y_h"],
                     name="rnn_lens", hidden_size=2)],
        [vi("X", T.FLOAT, [2, 2, 1]), vi("lens", T.INT32, [2])],
        [vi("Y", T.FLOAT, [2, 1, 2, 2]), vi("Y_h", T.FLOAT, [1, 2, 2])],
        _rnn_weights("rnn", 1, 1, 1, 2)[:2], opset)


# --- Models that kilnc must reject --------------------------------------

@model("unsupported_ops", check=False)
def unsupported_ops(opset):
    # Two different unsupported ops in three nodes, between supported ones.
    return make(
        [h.make_node("Relu", ["X"], ["a"], name="relu"),
         h.make_node("NonMaxSuppression", ["a", "a"], ["b"], name="nms_1"),
         h.make_node("Relu", ["b"], ["c"], name="relu2"),
         h.make_node("Unique", ["c"], ["d"], name="unique_1"),
         h.make_node("NonMaxSuppression", ["d", "d"], ["Y"], name="nms_2")],
        [vi("X", T.FLOAT, [2, 2])], [vi("Y", T.FLOAT, [2, 2])], opset=opset)


@model("custom_domain", check=False)
def custom_domain(opset):
    node = h.make_node("Relu", ["X"], ["Y"], name="custom_relu",
                       domain="com.example")
    m = make([node], [vi("X", T.FLOAT, [2])], [vi("Y", T.FLOAT, [2])],
             opset=opset)
    m.opset_import.append(h.make_opsetid("com.example", 1))
    return m


@model("missing_initializer", check=False)
def missing_initializer(opset):
    # conv1 reads W, which no initializer, input or node provides.
    return make(
        [h.make_node("Conv", ["X", "W"], ["Y"], name="conv1")],
        [vi("X", T.FLOAT, [1, 3, 8, 8])], [vi("Y", T.FLOAT, [1, 4, 6, 6])],
        opset=opset)


@model("add_mismatch", check=False)
def add_mismatch(opset):
    return make(
        [h.make_node("Add", ["A", "B"], ["Y"], name="bad_add")],
        [vi("A", T.FLOAT, [2, 3]), vi("B", T.FLOAT, [4, 5])],
        [vi("Y", T.FLOAT, [2, 3])], opset=opset)


@model("conv_channels", check=False)
def conv_channels(opset):
    w = const("W", np.ones((4, 2, 3, 3), np.float32))
    return make(
        [h.make_node("Conv", ["X", "W"], ["Y"], name="bad_conv")],
        [vi("X", T.FLOAT, [1, 3, 8, 8])], [vi("Y", T.FLOAT, [1, 4, 6, 6])],
        [w], opset)


@model("matmul_inner", check=False)
def matmul_inner(opset):
    w = const("W", np.ones((4, 5), np.float32))
    return make(
        [h.make_node("MatMul", ["X", "W"], ["Y"], name="bad_matmul")],
        [vi("X", T.FLOAT, [2, 3])], [vi("Y", T.FLOAT, [2, 5])], [w], opset)


@model("matmul_types", check=False)
def matmul_types(opset):
    # A float32 input times a float64 initializer (NumPy 2 promotes
    # float32 / np.float64 to float64, so exporters can write this).
    return make(
        [h.make_node("MatMul", ["X", "W"], ["Y"], name="mixed_matmul")],
        [vi("X", T.FLOAT, [2, 3])], [vi("Y", T.FLOAT, [2, 4])],
        [const("W", np.ones((3, 4), np.float64))], opset)


@model("reshape_count", check=False)
def reshape_count(opset):
    return make(
        [h.make_node("Reshape", ["X", "shape"], ["Y"], name="bad_reshape")],
        [vi("X", T.FLOAT, [2, 3])], [vi("Y", T.FLOAT, [4, 2])],
        [const("shape", np.array([4, 2], np.int64))], opset)


@model("output_mismatch", check=False)
def output_mismatch(opset):
    # Declared graph outputs that disagree with the inferred ones, one of each
    # kind: a dimension, the rank, the element type; and one that agrees
    # (a symbolic dimension matches anything).
    nodes = [h.make_node("Relu", ["X"], ["Y"], name="relu"),
             h.make_node("Neg", ["X"], ["R"], name="neg"),
             h.make_node("Abs", ["X"], ["E"], name="abs"),
             h.make_node("Sigmoid", ["X"], ["S"], name="sigmoid")]
    return make(
        nodes, [vi("X", T.FLOAT, [2, 3])],
        [vi("Y", T.FLOAT, [3, 2]), vi("R", T.FLOAT, [1, 6]),
         vi("E", T.FLOAT16, [2, 3]), vi("S", T.FLOAT, ["batch", 3])],
        opset=opset)


def _unprintable_names(z_shape, opset):
    # Node and output names holding an invalid UTF-8 byte (0xff), control
    # characters (ESC, BEL) and a valid non-ASCII character. Names of the
    # same length are patched into the serialized bytes, which onnx's Python
    # API would not write.
    m = make([h.make_node("Add", ["X", "Z"], ["OUTNAME1"], name="NODENAME1")],
             [vi("X", T.FLOAT, [2, 3]), vi("Z", T.FLOAT, z_shape)],
             [vi("OUTNAME1", T.FLOAT, [3, 2])], opset=opset)
    data = m.SerializeToString()
    data = data.replace(b"NODENAME1", b"add\xff\x1b[2J!")
    return data.replace(b"OUTNAME1", "out\u00e9\x07!!".encode())


@model("unprintable_node_name", check=False)
def unprintable_node_name(opset):
    return _unprintable_names([4, 5], opset)  # an error naming the node


@model("unprintable_output_name", check=False)
def unprintable_output_name(opset):
    return _unprintable_names([2, 3], opset)  # a warning naming the output


@model("pool_kernel_zero", check=False)
def pool_kernel_zero(opset):
    return make(
        [h.make_node("MaxPool", ["X"], ["Y"], name="pool0",
                     kernel_shape=[0, 0])],
        [vi("X", T.FLOAT, [1, 1, 4, 4])], [vi("Y", T.FLOAT, [1, 1, 5, 5])],
        opset=opset)


@model("external_data_outside", check=False)
def external_data_outside(opset):
    return _external("../x.bin", opset)


@model("external_data_absolute", check=False)
def external_data_absolute(opset):
    return _external("/etc/passwd", opset)


@model("external_data_missing", check=False)
def external_data_missing(opset):
    return _external("missing_weights.bin", opset)


@model("external_data_short", check=False)
def external_data_short(opset):
    return _external("weights.bin", opset, length=4096)


@model("external_data_bad_offset", check=False)
def external_data_bad_offset(opset):
    return _external("weights.bin", opset, offset="12 bytes")


@model("variadic_empty_input", check=False)
def variadic_empty_input(opset):
    # An empty input name (an omitted optional input) in a variadic op.
    return make(
        [h.make_node("Max", ["X", "", "X"], ["Y"], name="max_gap")],
        [vi("X", T.FLOAT, [2])], [vi("Y", T.FLOAT, [2])], opset=opset)


@model("range_huge", check=False)
def range_huge(opset):
    # Range(0, 2^40, 1): a constant of 2^40 elements (8 TiB).
    return make(
        [h.make_node("Range", ["start", "limit", "delta"], ["Y"],
                     name="huge_range")],
        [], [vi("Y", T.INT64, None)],
        [const("start", np.array(0, np.int64)),
         const("limit", np.array(1 << 40, np.int64)),
         const("delta", np.array(1, np.int64))], opset)


@model("initializer_overflow", check=False)
def initializer_overflow(opset):
    # dims [2^32, 2^32]: the element count overflows int64 to 0, which
    # matches the 0 bytes of data.
    w = T()
    w.name = "W"
    w.data_type = T.FLOAT
    w.dims.extend([1 << 32, 1 << 32])
    return make(
        [h.make_node("Identity", ["W"], ["Y"], name="id_w")],
        [], [vi("Y", T.FLOAT, None)], [w], opset)


@model("tile_negative", check=False)
def tile_negative(opset):
    return make(
        [h.make_node("Tile", ["X", "repeats"], ["Y"], name="tile_neg")],
        [vi("X", T.FLOAT, [3])], [vi("Y", T.FLOAT, None)],
        [const("repeats", np.array([-2], np.int64))], opset)


@model("constant_of_shape_negative", check=False)
def constant_of_shape_negative(opset):
    return make(
        [h.make_node("ConstantOfShape", ["shape"], ["Y"], name="cos_neg")],
        [], [vi("Y", T.FLOAT, None)],
        [const("shape", np.array([-5, 2], np.int64))], opset)


@model("attribute_wrong_type", check=False)
def attribute_wrong_type(opset):
    # Softmax's axis given as a FLOAT attribute.
    return make(
        [h.make_node("Softmax", ["X"], ["Y"], name="softmax_f", axis=1.5)],
        [vi("X", T.FLOAT, [2, 3])], [vi("Y", T.FLOAT, [2, 3])], opset=opset)


@model("mean_int", check=False)
def mean_int(opset):
    # ONNX Mean is defined for floating-point types only.
    return make(
        [h.make_node("Mean", ["X", "X"], ["Y"], name="mean_i32")],
        [vi("X", T.INT32, [2])], [vi("Y", T.INT32, [2])], opset=opset)


@model("rnn_unknown_activation", check=False)
def rnn_unknown_activation(opset):
    return _bad_recurrent("RNN", 1, opset, activations=["Swish"])


@model("lstm_activation_count", check=False)
def lstm_activation_count(opset):
    # LSTM takes three activations per direction (f, g, h).
    return _bad_recurrent("LSTM", 4, opset, activations=["Sigmoid", "Tanh"])


@model("gru_bad_direction", check=False)
def gru_bad_direction(opset):
    return _bad_recurrent("GRU", 3, opset, direction="sideways")


@model("gru_bad_weights", check=False)
def gru_bad_weights(opset):
    # W holds two gates' rows where GRU has three.
    return _bad_recurrent("GRU", 3, opset, w_gates=2)


@model("rnn_sequence_lens_range", check=False)
def rnn_sequence_lens_range(opset):
    # A length longer than seq_length (3).
    return _bad_recurrent("RNN", 1, opset, lens=[4])


def _bad_recurrent(op, gates, opset, w_gates=None, lens=None, **attrs):
    w, r, _ = _rnn_weights("w", 1, gates, 2, 2)
    if w_gates is not None:
        w = const("w_W", np.zeros((1, w_gates * 2, 2), np.float32))
    ins, inits = ["X", "w_W", "w_R"], [w, r]
    if lens is not None:
        ins += ["", "lens"]
        inits.append(const("lens", np.array(lens, np.int32)))
    return make(
        [h.make_node(op, ins, ["", "Y_h"], name="bad_" + op.lower(),
                     hidden_size=2, **attrs)],
        [vi("X", T.FLOAT, [3, 1, 2])], [vi("Y_h", T.FLOAT, [1, 1, 2])],
        inits, opset)


def _external(location, opset, length=None, offset="0"):
    w = h.make_tensor("W", T.FLOAT, [2, 3], [0.0] * 6)
    w.ClearField("float_data")
    w.data_location = T.EXTERNAL
    entries = {"location": location, "offset": offset}
    entries["length"] = str(length if length is not None else 24)
    for key, value in entries.items():
        e = w.external_data.add()
        e.key, e.value = key, value
    return make(
        [h.make_node("Add", ["X", "W"], ["Y"], name="add_w")],
        [vi("X", T.FLOAT, [2, 3])], [vi("Y", T.FLOAT, [2, 3])], [w], opset)


def write_weights(name, out_dir):
    if name.startswith("external_data"):
        # The weights file next to the model (24 bytes: 2x3 floats).
        with open(os.path.join(out_dir, "weights.bin"), "wb") as f:
            f.write(np.arange(6, dtype=np.float32).tobytes())


def main():
    return model.main(__doc__, takes_opset=True, prepare=write_weights)


if __name__ == "__main__":
    sys.exit(main())
