#!/usr/bin/env python3
"""Time a model compiled by kilnc against ONNX Runtime, in the same run.

    python3 bench/bench_ort.py --model resnet18 [-n 5] [--ort-iterations 20]
    python3 bench/bench_ort.py path/to/model.onnx [options]

Steps: build the model if it is a named one (models/make_<name>.py, cached
in build/bench/), compile it with `kilnc MODEL -o model.so`, make one seeded
random input (.npy), time kiln with `kiln-run model.so -i input.npy
--iterations N` (its median after a warm-up run), time ONNX Runtime's
InferenceSession (CPUExecutionProvider, default graph optimizations,
intra_op_num_threads = the number of cores unless --threads) over M runs
after warm-up runs, and check that the two agree on the output. Prints the
medians in ms, the ratio kiln/ORT (lower is better for kiln; < 1 means kiln
is faster) and the machine.
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(REPO, "build", "bin")
NAMED = {"resnet18": "make_resnet18.py", "lenet5": "make_lenet5.py"}


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def isa():
    """The vector extensions that matter for FP32 inference."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return ", ".join(x for x in ("avx2", "fma", "avx512f",
                                                 "avx512_bf16", "amx_tile")
                                     if x in flags) or "no AVX"
    except OSError:
        pass
    return "?"


def cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def random_inputs(path, seed):
    """{name: array}: one seeded random tensor per graph input (zeros for
    integer inputs)."""
    import onnx
    model = onnx.load(path, load_external_data=False)
    inits = {t.name for t in model.graph.initializer}
    rng = np.random.default_rng(seed)
    feeds = {}
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        tt = vi.type.tensor_type
        shape = [d.dim_value for d in tt.shape.dim]
        dtype = onnx.helper.tensor_dtype_to_np_dtype(tt.elem_type)
        feeds[vi.name] = (rng.standard_normal(shape).astype(dtype)
                          if np.issubdtype(dtype, np.floating)
                          else np.zeros(shape, dtype))
    return feeds


def rel_err(got, ref):
    """max over outputs of max|got - ref| / max|ref| (in float64)."""
    worst = 0.0
    for g, r in zip(got, ref):
        r = np.asarray(r, np.float64)
        scale = float(np.abs(r).max()) or 1.0
        worst = max(worst, float(np.abs(np.asarray(g, np.float64) - r).max())
                    / scale)
    return worst


def run(cmd, what):
    t0 = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if p.returncode != 0:
        sys.exit("bench_ort: %s failed (exit %d): %s\n%s" %
                 (what, p.returncode, " ".join(cmd), p.stdout[-3000:]))
    return p.stdout, time.time() - t0


def named_model(name, workdir, opset, batch):
    script = os.path.join(REPO, "models", NAMED[name])
    path = os.path.join(workdir, "%s_b%d_op%d.onnx" % (name, batch, opset))
    if (not os.path.exists(path) or
            os.path.getmtime(path) < os.path.getmtime(script)):
        run([sys.executable, script, path, "--opset", str(opset),
             "--batch", str(batch)], "making the model")
    return path


def main():
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    p.add_argument("onnx", nargs="?", help="an .onnx file (or use --model)")
    p.add_argument("--model", choices=sorted(NAMED),
                   help="a model the repository makes (models/make_*.py)")
    p.add_argument("--batch", type=int, default=1,
                   help="batch size of a --model (default 1)")
    p.add_argument("--opset", type=int, default=13)
    p.add_argument("-n", "--iterations", type=int, default=5,
                   help="timed kiln runs (default %(default)s)")
    p.add_argument("--ort-iterations", type=int, default=20,
                   help="timed ORT runs (default %(default)s)")
    p.add_argument("--warmup", type=int, default=3,
                   help="untimed ORT runs first (kiln-run does one)")
    p.add_argument("--threads", type=int, default=0,
                   help="ORT intra-op threads (default: the core count)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workdir", default=os.path.join(REPO, "build", "bench"))
    p.add_argument("--kilnc", default=os.path.join(BIN, "kilnc"))
    p.add_argument("--kiln-run", default=os.path.join(BIN, "kiln-run"))
    p.add_argument("--kilnc-arg", action="append", default=[],
                   help="extra kilnc argument (repeatable), e.g. -O3")
    p.add_argument("--json", help="also write the results here as JSON")
    a = p.parse_args()
    if bool(a.onnx) == bool(a.model):
        p.error("give either an .onnx file or --model NAME")

    import onnx
    import onnxruntime as ort
    from onnx import numpy_helper

    os.makedirs(a.workdir, exist_ok=True)
    path = a.onnx or named_model(a.model, a.workdir, a.opset, a.batch)
    stem = re.sub(r"[^A-Za-z0-9_]", "_",
                  os.path.splitext(os.path.basename(path))[0])
    threads = a.threads or cores()
    print("machine: %s, %d cores (%s %s; %s)" % (
        cpu_model(), cores(), platform.system(), platform.machine(), isa()))
    print("model:   %s" % os.path.relpath(path))

    # Input: one seeded random tensor per model input.
    feeds, files = random_inputs(path, a.seed), []
    for i, arr in enumerate(feeds.values()):
        f = os.path.join(a.workdir, "%s_input_%d.npy" % (stem, i))
        np.save(f, arr)
        files.append(f)
    print("input:   " + ", ".join("%s %s %s" % (k, v.dtype, list(v.shape))
                                  for k, v in feeds.items()))

    # kiln: compile, then kiln-run --iterations.
    lib = os.path.join(a.workdir, stem + ".so")
    _, t_compile = run([a.kilnc, path, "-o", lib] + a.kilnc_arg, "kilnc")
    print("kilnc:   %s -> %s in %.1f s" % (os.path.basename(path),
                                           os.path.relpath(lib), t_compile))
    cmd = [a.kiln_run, lib]
    for f in files:
        cmd += ["-i", f]
    outdir = os.path.join(a.workdir, stem + "_out")
    out, _ = run(cmd + ["-o", outdir, "--iterations", str(a.iterations)],
                 "kiln-run")
    m = re.search(r"median latency: ([0-9.eE+-]+) ms \((\d+) iterations?, "
                  r"min ([0-9.eE+-]+) ms, max ([0-9.eE+-]+) ms", out)
    if not m:
        sys.exit("bench_ort: no latency in kiln-run's output:\n" + out)
    kiln_med, kiln_min, kiln_max = (float(m.group(1)), float(m.group(3)),
                                    float(m.group(4)))

    # ONNX Runtime with its default optimizations.
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    for _ in range(a.warmup):
        ref = sess.run(None, feeds)
    times = []
    for _ in range(a.ort_iterations):
        t0 = time.perf_counter()
        ref = sess.run(None, feeds)
        times.append((time.perf_counter() - t0) * 1e3)
    ort_med = statistics.median(times)

    # Do the two agree? (a benchmark of wrong numbers is worthless)
    worst = rel_err([numpy_helper.to_array(onnx.load_tensor(
        os.path.join(outdir, "output_%d.pb" % k))) for k in range(len(ref))],
        ref)

    ratio = kiln_med / ort_med
    print()
    print("%-28s %10s %10s %10s %6s" % ("", "median ms", "min ms", "max ms",
                                        "runs"))
    print("%-28s %10.3f %10.3f %10.3f %6d" % ("kiln (kiln-run)", kiln_med,
                                              kiln_min, kiln_max,
                                              a.iterations))
    print("%-28s %10.3f %10.3f %10.3f %6d" % (
        "ONNX Runtime %s (%d thr)" % (ort.__version__, threads), ort_med,
        min(times), max(times), a.ort_iterations))
    print()
    print("kiln/ORT: %.2fx  (%s)" % (ratio, "kiln is %.2fx faster" %
                                     (1 / ratio) if ratio < 1 else
                                     "kiln is %.2fx slower" % ratio))
    print("outputs agree: max|kiln-ort|/max|ort| = %.3g%s" %
          (worst, "" if worst <= 1e-4 else "  (WARNING: above 1e-4)"))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"model": path, "cpu": cpu_model(), "cores": cores(),
                       "ort_version": ort.__version__, "ort_threads": threads,
                       "kiln_median_ms": kiln_med, "kiln_min_ms": kiln_min,
                       "kiln_max_ms": kiln_max,
                       "kiln_iterations": a.iterations,
                       "ort_median_ms": ort_med,
                       "ort_iterations": a.ort_iterations,
                       "ratio_kiln_over_ort": ratio,
                       "compile_s": t_compile, "max_rel_err": worst}, f,
                      indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
