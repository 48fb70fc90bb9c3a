#!/usr/bin/env python3
"""Each convolution algorithm of kiln on single layers, and auto's choice.

    source scripts/python-env.sh
    python3 bench/conv_algorithms.py                  # the default layers
    python3 bench/conv_algorithms.py --layers 64x56x3 256x14x3
    python3 bench/conv_algorithms.py --markdown bench/CONV_ALGORITHMS.md

A layer is C[:F]xHxK[/S]: C input and F output channels (F = C if not
given), an HxH output, a KxK kernel, stride S (default 1), with bias and
ReLU, batch 1. For each layer,
kilnc compiles a one-convolution model once per algorithm (--conv-algorithm)
and once with auto ("-": the layer does not allow that algorithm); the
libraries take turns in --rounds rounds of kiln-run timings, each turn at
least MIN_TURN_S long (median per round, median over rounds). Every output is checked
against ONNX Runtime (max|x - ort| / max|ort| <= 1e-3). The table calibrates
and checks the cost model of kiln-cpu-select-conv-algorithms: auto should
pick the faster algorithm.
"""
import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from bench import run
from bench_ort import cpu_model

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(REPO, "build", "bin")
ALGORITHMS = ["direct", "winograd", "im2col", "auto"]
# The 3x3 layers of the course's networks (ResNets, VGG, DenseNet,
# GoogLeNet); the strided, 1x1 and first layers of the ResNets; VGG's
# first layer, AlexNet's 5x5 and LeNet-5's second.
DEFAULT_LAYERS = ["64x56x3", "128x28x3", "256x14x3", "512x7x3", "32x28x3",
                  "128x112x3", "512x28x3", "96x28x3", "3:64x112x7/2",
                  "64:128x28x3/2", "128:256x14x3/2", "256:512x7x3/2",
                  "64:128x28x1/2", "256x14x1", "512:2048x7x1",
                  "2048:512x7x1", "3:64x224x3", "96:256x27x5", "6:16x10x5"]
TOLERANCE = 1e-3
# The shortest turn of one library in a round, and the most runs in it.
MIN_TURN_S = 0.3
MAX_RUNS = 5000


def parse_layer(spec):
    m = re.fullmatch(r"(\d+)(?::(\d+))?x(\d+)x(\d+)(?:/(\d+))?", spec)
    if not m:
        sys.exit("bad layer '%s': expected C[:F]xHxK[/S]" % spec)
    c, f, h, k, s = m.groups()
    return (int(c), int(f or c), int(h), int(k), int(s or 1))


def layer_model(spec, path):
    c, f, h, k, s = parse_layer(spec)
    rng = np.random.default_rng(0)
    w = (rng.standard_normal((f, c, k, k)) / np.sqrt(c * k * k)).astype(
        np.float32)
    bias = rng.standard_normal(f).astype(np.float32)
    pad = k // 2
    size = h * s
    nodes = [helper.make_node("Conv", ["X", "W", "bias"], ["c"], name="conv",
                              pads=[pad] * 4, strides=[s, s]),
             helper.make_node("Relu", ["c"], ["Y"], name="relu")]
    graph = helper.make_graph(
        nodes, "layer",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                       [1, c, size, size])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, f, h, h])],
        [numpy_helper.from_array(w, "W"), numpy_helper.from_array(bias, "bias")])
    onnx.save(helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    x = rng.standard_normal((1, c, size, size)).astype(np.float32)
    return x, 2.0 * c * f * k * k * h * h / 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--layers", nargs="*", default=DEFAULT_LAYERS)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--iterations", type=int, default=50,
                    help="the fewest runs per turn")
    ap.add_argument("--markdown", help="also write the table to this file")
    args = ap.parse_args()
    import onnxruntime as ort

    rows, failures = [], 0
    with tempfile.TemporaryDirectory() as work:
        for spec in args.layers:
            path = os.path.join(work, "layer.onnx")
            x, gflop = layer_model(spec, path)
            xfile = os.path.join(work, "x.npy")
            np.save(xfile, x)
            so = ort.SessionOptions()
            so.intra_op_num_threads = args.threads
            ref = ort.InferenceSession(
                path, so, providers=["CPUExecutionProvider"]).run(
                    None, {"X": x})[0]
            libs, errors, used = {}, {}, {}
            for a in ALGORITHMS:
                lib = os.path.join(work, "%s.so" % a)
                report = os.path.join(work, "%s.json" % a)
                run([os.path.join(BIN, "kilnc"), path, "-o", lib,
                     "--num-threads=%d" % args.threads,
                     "--conv-algorithm=" + a, "--report=" + report])
                # What the layer ran: a forced algorithm that the layer
                # does not allow leaves it direct.
                with open(report) as f:
                    used[a] = json.load(f)["layers"][0]["algorithm"]
                out = os.path.join(work, a + "_out")
                run([os.path.join(BIN, "kiln-run"), lib, "-i", xfile, "-o",
                     out])
                y = numpy_helper.to_array(onnx.load_tensor(
                    os.path.join(out, "output_0.pb")))
                errors[a] = float(np.abs(y - ref).max() / np.abs(ref).max())
                libs[a] = lib
            # Runs per turn: enough for MIN_TURN_S (a short turn measures
            # the CPU waking up), from a first estimate.
            probe = run([os.path.join(BIN, "kiln-run"), libs["auto"], "-i",
                         xfile, "--iterations", "20",
                         "--threads", str(args.threads)])
            estimate = float(re.search(r"median latency: ([0-9.eE+-]+) ms",
                                       probe).group(1))
            iterations = int(min(MAX_RUNS, max(
                args.iterations, MIN_TURN_S * 1e3 / max(estimate, 1e-3))))
            forced = [a for a in ALGORITHMS[:-1] if used[a] == a]
            timed = forced + ["auto"]
            times = {a: [] for a in timed}
            for r in range(args.rounds):
                order = timed[r % len(timed):] + timed[:r % len(timed)]
                for a in order:
                    time.sleep(0.2)
                    out = run([os.path.join(BIN, "kiln-run"), libs[a], "-i",
                               xfile, "--iterations", str(iterations),
                               "--threads", str(args.threads)])
                    times[a].append(float(re.search(
                        r"median latency: ([0-9.eE+-]+) ms", out).group(1)))
            ms = {a: statistics.median(t) for a, t in times.items()}
            ok = all(e <= TOLERANCE for e in errors.values())
            failures += not ok
            best = min(forced, key=lambda a: ms[a])
            rows.append([spec, "%.3f" % gflop] +
                        ["%.3f" % ms[a] if a == "auto" or a in forced else "-"
                         for a in ALGORITHMS] +
                        [used["auto"], best,
                         ", ".join("%.1e" % errors[a] for a in ALGORITHMS)
                         + ("" if ok else " FAIL")])
            print(" | ".join(rows[-1]), flush=True)

    header = ["layer C[:F]xHxK[/S]", "GFLOP"] + ["%s ms" % a for a in ALGORITHMS] + \
        ["auto chose", "fastest", "max rel err (%s)" % ", ".join(ALGORITHMS)]
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    cpu = cpu_model()
    text = ("Machine: %s, %d threads, median of %d rounds; a turn is at "
            "least %d runs and %.1f s.\n\n"
            % (cpu, args.threads, args.rounds, args.iterations,
               MIN_TURN_S)) + \
        "\n".join(lines) + "\n"
    print("\n" + text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("# kiln's convolution algorithms on single layers\n\n"
                    "`python3 bench/conv_algorithms.py --markdown "
                    "bench/CONV_ALGORITHMS.md`\n\n" + text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
