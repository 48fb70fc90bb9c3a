#!/usr/bin/env python3
"""kiln against ONNX Runtime and OpenVINO, side by side in one run.

    source scripts/python-env.sh
    python3 bench/bench.py                    # micro-benchmarks + every network
    python3 bench/bench.py resnet50 gemm1024  # some workloads
    python3 bench/bench.py --markdown bench/RESULTS.md

Workloads:
- micro-benchmarks, in GFLOP/s and percent of this machine's FP32 FMA peak
  (measured by build/bin/kiln-fma-peak, bench/fma_peak.c), kiln at 1 thread
  and at --threads: `gemm1024`, a 1024^3 MatMul with a constant B, and
  `conv3x3`, ResNet-50's 3x3 convolution (64 -> 64 channels, 56x56, bias and
  ReLU);
- the course's networks, each exported by its examples/models tool
  (build/bin/kiln-model-NAME) at the paper's size, batch 1.

Every system runs with --threads threads (default 2), FP32: ONNX Runtime with
intra_op_num_threads, OpenVINO with INFERENCE_NUM_THREADS and
INFERENCE_PRECISION_HINT=f32 (it would use bf16 where the CPU has it), kiln
compiled with --num-threads. The systems take turns in --rounds rounds (the
order rotating each round) of --runs timed runs each (more for fast models:
a turn lasts at least MIN_TURN_S), after warm-up runs and a pause that lets
the previous system's threads go idle; a system's figure is the median over rounds of its per-round medians, so
that the noise of a shared machine falls on all three alike. Outputs are
checked: kiln's and OpenVINO's against ONNX Runtime's (max|x - ort|/max|ort|
<= 1e-3); a mismatch fails the workload and the exit status.
"""
import argparse
import datetime
import math
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from bench_ort import cpu_model, random_inputs, rel_err

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(REPO, "build", "bin")
NETWORKS = ["lenet5", "alexnet", "vgg16", "googlenet", "resnet18", "resnet50",
            "resnext50", "mobilenetv2", "densenet121", "fcn", "segnet", "rnn",
            "lstm", "gru", "c3d", "dcgan", "maxout"]
MICRO = ["gemm1024", "conv3x3"]
TOLERANCE = 1e-3
# Pause before each system's turn, and its shortest length (see
# bench_workload's rounds).
SETTLE_S = 0.5
MIN_TURN_S = 0.3
MAX_RUNS = 2000


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if p.returncode != 0:
        raise RuntimeError("%s failed (exit %d):\n%s" %
                           (" ".join(cmd), p.returncode, p.stdout[-3000:]))
    return p.stdout


def fma_peak(threads):
    """{thread count: GFLOP/s} and the ISA, from kiln-fma-peak."""
    out = run([os.path.join(BIN, "kiln-fma-peak"), "1", str(threads)])
    peak, isa = {}, "?"
    for m in re.finditer(r"threads (\d+) isa (\S+) gflops ([0-9.]+)", out):
        peak[int(m.group(1))] = float(m.group(3))
        isa = m.group(2)
    return peak, isa


# --------------------------------------------------------------------------
# Workloads: (ONNX file, GFLOP or None)

def micro_model(name, path):
    rng = np.random.default_rng(0)
    if name == "gemm1024":
        n = 1024
        b = (rng.standard_normal((n, n)) / np.sqrt(n)).astype(np.float32)
        nodes = [helper.make_node("MatMul", ["A", "B"], ["Y"], name="gemm")]
        inputs = [helper.make_tensor_value_info("A", TensorProto.FLOAT, [n, n])]
        outputs = [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [n, n])]
        inits = [numpy_helper.from_array(b, "B")]
        gflop = 2.0 * n ** 3 / 1e9
    else:  # conv3x3: ResNet-50's 3x3 convolution with bias and ReLU
        c, hw = 64, 56
        w = (rng.standard_normal((c, c, 3, 3)) / 24).astype(np.float32)
        bias = rng.standard_normal(c).astype(np.float32)
        nodes = [helper.make_node("Conv", ["X", "W", "bias"], ["c"],
                                  name="conv", pads=[1, 1, 1, 1]),
                 helper.make_node("Relu", ["c"], ["Y"], name="relu")]
        inputs = [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                                [1, c, hw, hw])]
        outputs = [helper.make_tensor_value_info("Y", TensorProto.FLOAT,
                                                 [1, c, hw, hw])]
        inits = [numpy_helper.from_array(w, "W"),
                 numpy_helper.from_array(bias, "bias")]
        gflop = 2.0 * c * c * 9 * hw * hw / 1e9
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, path)
    return gflop


def make_workload(name, workdir):
    path = os.path.join(workdir, name + ".onnx")
    if name in MICRO:
        return path, micro_model(name, path)
    run([os.path.join(BIN, "kiln-model-" + name), os.path.join(workdir, name)])
    return path, None


# --------------------------------------------------------------------------
# The systems: each prepares once, then times `runs` runs per call.

class Kiln:
    def __init__(self, path, feeds, threads, workdir, tag):
        stem = os.path.splitext(os.path.basename(path))[0] + tag
        self.lib = os.path.join(workdir, stem + ".so")
        t0 = time.time()
        run([os.path.join(BIN, "kilnc"), path, "-o", self.lib,
             "--num-threads=%d" % threads])
        self.compile_s = time.time() - t0
        self.inputs = []
        for k, arr in enumerate(feeds.values()):
            f = os.path.join(workdir, "%s_input_%d.npy" % (stem, k))
            np.save(f, arr)
            self.inputs += ["-i", f]
        self.outdir = os.path.join(workdir, stem + "_out")
        run([os.path.join(BIN, "kiln-run"), self.lib] + self.inputs +
            ["-o", self.outdir])
        self.outputs = []
        k = 0
        while os.path.exists(os.path.join(self.outdir, "output_%d.pb" % k)):
            self.outputs.append(numpy_helper.to_array(onnx.load_tensor(
                os.path.join(self.outdir, "output_%d.pb" % k))))
            k += 1

    def time(self, runs):
        out = run([os.path.join(BIN, "kiln-run"), self.lib] + self.inputs +
                  ["--iterations", str(runs)])
        m = re.search(r"median latency: ([0-9.eE+-]+) ms", out)
        if not m:
            raise RuntimeError("no latency in kiln-run's output:\n" + out)
        return float(m.group(1))


def timed(fn, runs, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


class OnnxRuntime:
    def __init__(self, path, feeds, threads):
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        self.sess = ort.InferenceSession(path, so,
                                         providers=["CPUExecutionProvider"])
        self.feeds = feeds
        self.outputs = self.sess.run(None, feeds)

    def time(self, runs):
        return timed(lambda: self.sess.run(None, self.feeds), runs, 2)


class OpenVino:
    def __init__(self, path, feeds, threads):
        import openvino as ov
        core = ov.Core()
        self.compiled = core.compile_model(core.read_model(path), "CPU", {
            "INFERENCE_NUM_THREADS": threads,
            "INFERENCE_PRECISION_HINT": "f32",
            "PERFORMANCE_HINT": "LATENCY"})
        self.request = self.compiled.create_infer_request()
        self.feeds = feeds
        self.request.infer(feeds)
        self.outputs = [self.request.get_output_tensor(k).data.copy()
                        for k in range(len(self.compiled.outputs))]

    def time(self, runs):
        return timed(lambda: self.request.infer(self.feeds), runs, 2)


def versions():
    import onnxruntime as ort
    import openvino as ov
    return "ONNX Runtime %s, OpenVINO %s" % (ort.__version__,
                                           ov.get_version().split("-")[0])


# --------------------------------------------------------------------------

def bench_workload(name, a, peak):
    path, gflop = make_workload(name, a.workdir)
    feeds = random_inputs(path, seed=1)
    systems = {"kiln": Kiln(path, feeds, a.threads, a.workdir, "")}
    if gflop is not None and a.threads != 1:
        systems["kiln 1 thr"] = Kiln(path, feeds, 1, a.workdir, "_t1")
    systems["ort"] = OnnxRuntime(path, feeds, a.threads)
    peer_failures = {}
    try:
        systems["ov"] = OpenVino(path, feeds, a.threads)
    except Exception as e:  # a peer that cannot run the model is reported
        lines = [l.strip() for l in str(e).splitlines() if l.strip()]
        failed_ops = [l[3:] for l in lines if l.startswith("-- ")]
        peer_failures["ov"] = ("cannot convert " + ", ".join(failed_ops)
                               if failed_ops else lines[0])[:120]
    ref = systems["ort"].outputs
    errors = {k: rel_err(s.outputs, ref) for k, s in systems.items()
              if k != "ort"}
    rounds = {k: [] for k in systems}
    order = list(systems)
    # Each system's turn runs for at least MIN_TURN_S (--runs at least): the
    # median of a few runs of a sub-millisecond model measured the CPU
    # waking up from the pause rather than the model.
    runs = {}
    for k in order:
        estimate = systems[k].time(a.runs)
        runs[k] = max(a.runs, min(MAX_RUNS, math.ceil(
            MIN_TURN_S * 1e3 / max(estimate, 1e-3))))
    for r in range(a.rounds):
        for k in order[r % len(order):] + order[:r % len(order)]:
            # A peer's worker threads busy-wait for a while after its runs;
            # on 2 cores they would take the next system's cores.
            time.sleep(SETTLE_S)
            rounds[k].append(systems[k].time(runs[k]))
    ms = {k: statistics.median(v) for k, v in rounds.items()}
    row = {"workload": name, "gflop": gflop, "ms": ms, "errors": errors,
           "peer_failures": peer_failures,
           "compile_s": systems["kiln"].compile_s,
           "ok": all(e <= TOLERANCE for e in errors.values())}
    if gflop is not None:
        row["gflops"] = {k: gflop / (v / 1e3) for k, v in ms.items()}
        row["peak_pct"] = {
            k: 100 * row["gflops"][k] / peak[1 if k == "kiln 1 thr"
                                             else a.threads]
            for k in ms}
    return row


def best_peer(ms):
    return min(v for k, v in ms.items() if k in ("ort", "ov"))


def fmt_ms(v):
    return "%.3g" % v if v < 10 else "%.1f" % v


def markdown(rows, header, a):
    out = [header, ""]
    micro = [r for r in rows if r.get("gflop") is not None and "ms" in r]
    nets = [r for r in rows if r.get("gflop") is None and "ms" in r]
    if micro:
        out += ["Micro-benchmarks: GFLOP/s (percent of the measured FMA peak "
                "of the threads used), counting the FLOPs of the direct "
                "algorithm (a peer that runs a convolution as Winograd does "
                "fewer).", "",
                "| workload | GFLOP | kiln, 1 thread | kiln, %d threads | "
                "ONNX Runtime | OpenVINO | kiln/best peer |" % a.threads,
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in micro:
            g, p = r["gflops"], r["peak_pct"]
            cell = lambda k: ("%.0f (%.0f%%)" % (g[k], p[k])) if k in g else (
                "fails" if k in r["peer_failures"] else "-")
            best = best_peer(r["ms"])
            out.append("| %s | %.3f | %s | %s | %s | %s | %.2f |" % (
                r["workload"], r["gflop"], cell("kiln 1 thr"), cell("kiln"),
                cell("ort"), cell("ov"), r["ms"]["kiln"] / best))
        out.append("")
    if nets:
        out += ["Networks: median latency in ms, batch 1, %d threads; ratios "
                "below 1 mean kiln is faster." % a.threads, "",
                "| network | kiln | ONNX Runtime | OpenVINO | kiln/ORT | "
                "kiln/OpenVINO | kiln/best | max rel err (kiln, OV) | "
                "compile s |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        ratios = []
        for r in nets:
            ms = r["ms"]
            best = best_peer(ms)
            ratios.append(ms["kiln"] / best)
            has_ov = "ov" in ms
            out.append("| %s | %s | %s | %s | %.2f | %s | %.2f | %.1e, %s "
                       "| %.1f |" % (
                           r["workload"], fmt_ms(ms["kiln"]), fmt_ms(ms["ort"]),
                           fmt_ms(ms["ov"]) if has_ov else "fails",
                           ms["kiln"] / ms["ort"],
                           "%.2f" % (ms["kiln"] / ms["ov"]) if has_ov else "-",
                           ms["kiln"] / best, r["errors"]["kiln"],
                           "%.1e" % r["errors"]["ov"] if has_ov else "-",
                           r["compile_s"]))
        geo = float(np.exp(np.mean(np.log(ratios))))
        out += ["", "Geometric mean of kiln/best peer: %.2f." % geo]
    peer_failed = ["%s: %s" % (r["workload"], "; ".join(
        "%s %s" % (k, v) for k, v in r["peer_failures"].items()))
        for r in rows if r.get("peer_failures")]
    if peer_failed:
        out += ["", "Peers that cannot run a workload (not counted in "
                "kiln/best): " + " | ".join(peer_failed)]
    failed = [r for r in rows if not r.get("ok")]
    if failed:
        out += ["", "FAILED: " + "; ".join(
            "%s (%s)" % (r["workload"], r.get("error") or
                         "outputs differ: %s" % r["errors"]) for r in failed)]
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    p.add_argument("names", nargs="*", default=MICRO + NETWORKS,
                   help="workloads (default: all): %s" %
                   ", ".join(MICRO + NETWORKS))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--runs", type=int, default=5,
                   help="timed runs per system and round")
    p.add_argument("--workdir", default=os.path.join(REPO, "build", "bench"))
    p.add_argument("--markdown", metavar="FILE",
                   help="also write the tables here (bench/RESULTS.md)")
    a = p.parse_args()
    unknown = [n for n in a.names if n not in MICRO + NETWORKS]
    if unknown:
        p.error("unknown workloads: %s" % ", ".join(unknown))
    os.makedirs(a.workdir, exist_ok=True)

    peak, isa = fma_peak(a.threads)
    header = ("Measured %s on %s (%d cores, %s); FP32 FMA peak measured by "
              "kiln-fma-peak: %.0f GFLOP/s on 1 thread, %.0f on %d. %s. "
              "Command: `python3 bench/bench.py %s`." % (
                  datetime.date.today().isoformat(), cpu_model(),
                  os.cpu_count(), isa, peak[1], peak[a.threads], a.threads,
                  versions(), " ".join(sys.argv[1:])))
    print(header, flush=True)
    rows = []
    for name in a.names:
        try:
            row = bench_workload(name, a, peak)
        except RuntimeError as e:
            row = {"workload": name, "ok": False, "error": str(e)[:300]}
            print("%s: %s" % (name, e), file=sys.stderr)
        rows.append(row)
        if "ms" in row:
            print("%-12s %s%s" % (name, "  ".join(
                "%s %s ms" % (k, fmt_ms(v)) for k, v in row["ms"].items()),
                "" if row["ok"] else "  OUTPUTS DIFFER %s" % row["errors"]),
                flush=True)
    text = markdown(rows, header, a)
    print()
    print(text)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("# Latest benchmark results\n\n" + text)
    return 0 if all(r.get("ok") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
