#!/usr/bin/env python3
"""Each convolution algorithm of kiln on single layers, and auto's choice.

    source scripts/python-env.sh
    python3 bench/conv_algorithms.py                  # the default layers
    python3 bench/conv_algorithms.py --layers 64x56x3 256x14x3
    python3 bench/conv_algorithms.py --markdown bench/CONV_ALGORITHMS.md

A layer is CxHxK[/S]: C input and output channels, an HxH output, a KxK
kernel, stride S (default 1), with bias and ReLU, batch 1. For each layer,
kilnc compiles a one-convolution model once per algorithm (--conv-algorithm)
and once with auto; the libraries take turns in --rounds rounds of kiln-run
timings (median per round, median over rounds). Every output is checked
against ONNX Runtime (max|x - ort| / max|ort| <= 1e-3). The table calibrates
and checks the cost model of kiln-cpu-select-conv-algorithms: auto should
pick the faster algorithm.
"""
import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(REPO, "build", "bin")
ALGORITHMS = ["direct", "winograd", "auto"]
# The 3x3 layers of the course's networks (ResNets, VGG, DenseNet,
# GoogLeNet), and a strided and a 1x1 one that Winograd cannot take.
DEFAULT_LAYERS = ["64x56x3", "128x28x3", "256x14x3", "512x7x3", "32x28x3",
                  "128x112x3", "512x28x3", "96x28x3", "64x28x3/2",
                  "256x14x1"]
TOLERANCE = 1e-3


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if p.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (" ".join(cmd), p.stdout))
    return p.stdout


def parse_layer(spec):
    m = re.fullmatch(r"(\d+)x(\d+)x(\d+)(?:/(\d+))?", spec)
    if not m:
        sys.exit("bad layer '%s': expected CxHxK[/S]" % spec)
    c, h, k, s = (int(g) if g else 1 for g in m.groups())
    return c, h, k, s


def layer_model(spec, path):
    c, h, k, s = parse_layer(spec)
    rng = np.random.default_rng(0)
    w = (rng.standard_normal((c, c, k, k)) / np.sqrt(c * k * k)).astype(
        np.float32)
    bias = rng.standard_normal(c).astype(np.float32)
    pad = k // 2
    size = h * s
    nodes = [helper.make_node("Conv", ["X", "W", "bias"], ["c"], name="conv",
                              pads=[pad] * 4, strides=[s, s]),
             helper.make_node("Relu", ["c"], ["Y"], name="relu")]
    graph = helper.make_graph(
        nodes, "layer",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                       [1, c, size, size])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, c, h, h])],
        [numpy_helper.from_array(w, "W"), numpy_helper.from_array(bias, "bias")])
    onnx.save(helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    x = rng.standard_normal((1, c, size, size)).astype(np.float32)
    return x, 2.0 * c * c * k * k * h * h / 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--layers", nargs="*", default=DEFAULT_LAYERS)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--iterations", type=int, default=200)
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
            libs, errors, chosen = {}, {}, ""
            for a in ALGORITHMS:
                lib = os.path.join(work, "%s.so" % a)
                cmd = [os.path.join(BIN, "kilnc"), path, "-o", lib,
                       "--num-threads=%d" % args.threads,
                       "--conv-algorithm=" + a]
                if a == "auto":
                    report = os.path.join(work, "report.json")
                    cmd.append("--report=" + report)
                run(cmd)
                if a == "auto":
                    import json
                    with open(report) as f:
                        chosen = json.load(f)["layers"][0]["algorithm"]
                out = os.path.join(work, a + "_out")
                run([os.path.join(BIN, "kiln-run"), lib, "-i", xfile, "-o",
                     out])
                y = numpy_helper.to_array(onnx.load_tensor(
                    os.path.join(out, "output_0.pb")))
                errors[a] = float(np.abs(y - ref).max() / np.abs(ref).max())
                libs[a] = lib
            times = {a: [] for a in ALGORITHMS}
            for r in range(args.rounds):
                order = ALGORITHMS[r % len(ALGORITHMS):] + \
                    ALGORITHMS[:r % len(ALGORITHMS)]
                for a in order:
                    time.sleep(0.2)
                    out = run([os.path.join(BIN, "kiln-run"), libs[a], "-i",
                               xfile, "--iterations", str(args.iterations),
                               "--threads", str(args.threads)])
                    times[a].append(float(re.search(
                        r"median latency: ([0-9.eE+-]+) ms", out).group(1)))
            ms = {a: statistics.median(t) for a, t in times.items()}
            ok = all(e <= TOLERANCE for e in errors.values())
            failures += not ok
            best = min(("direct", "winograd"), key=lambda a: ms[a])
            rows.append([spec, "%.3f" % gflop] +
                        ["%.3f" % ms[a] for a in ALGORITHMS] +
                        [chosen, best,
                         ", ".join("%.1e" % errors[a] for a in ALGORITHMS)
                         + ("" if ok else " FAIL")])
            print(" | ".join(rows[-1]), flush=True)

    header = ["layer CxHxK[/S]", "GFLOP"] + ["%s ms" % a for a in ALGORITHMS] + \
        ["auto chose", "fastest", "max rel err (direct, winograd, auto)"]
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except (OSError, AttributeError):
        pass
    text = ("Machine: %s, %d threads, median of %d rounds of %d runs.\n\n"
            % (cpu, args.threads, args.rounds, args.iterations)) + \
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
