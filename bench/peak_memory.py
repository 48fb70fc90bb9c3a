#!/usr/bin/env python3
"""Peak resident memory of kiln, ONNX Runtime and OpenVINO running a model.

    source scripts/python-env.sh
    python3 bench/peak_memory.py                      # the default networks
    python3 bench/peak_memory.py densenet121 resnet50 --markdown FILE

For each network (exported by build/bin/kiln-model-NAME, as bench/bench.py
does), each system runs in a process of its own that loads the model and
runs it --runs times, 2 threads, batch 1, FP32; the peak resident set of
that process (ru_maxrss from wait4) is its figure. kiln's process is
kiln-run on the library kilnc compiled (its weights are in the library's
read-only data, its activations in the context's workspace); ONNX Runtime's
and OpenVINO's are a Python process with the runtime imported. Each
system's baseline, the same process with no model loaded (kiln-run
--help; Python importing the runtime), is printed too, so that the cost
of the model itself (peak minus baseline) can be compared. kilnc --report
gives kiln's workspace next to the sum of its temporaries.
"""
import argparse
import json
import os
import subprocess
import sys
import re

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(REPO, "build", "bin")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_ort import cpu_model, random_inputs  # noqa: E402

NETWORKS = ["lenet5", "resnet18", "resnet50", "googlenet", "densenet121",
            "mobilenetv2", "vgg16"]


def peak_rss_mb(cmd):
    """Runs `cmd` under kiln-peak-rss (bench/peak_rss.c: a small process of
    its own forks it, since a child's peak counts what it had before exec)
    and returns its peak resident set in MB."""
    p = subprocess.run([os.path.join(BIN, "kiln-peak-rss")] + cmd,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    m = re.search(r"^peak_rss_kb (\d+)$", p.stdout, re.M)
    if p.returncode != 0 or not m:
        raise RuntimeError("%s failed:\n%s" % (" ".join(cmd), p.stdout))
    return int(m.group(1)) / 1024.0


def child(system, model, inputs, runs, threads):
    """The peer's process: load `model` (or nothing), run it `runs` times."""
    import numpy as np
    if system == "ort":
        import onnxruntime as ort
        if model:
            so = ort.SessionOptions()
            so.intra_op_num_threads = threads
            so.inter_op_num_threads = 1
            sess = ort.InferenceSession(model, so,
                                        providers=["CPUExecutionProvider"])
            feeds = dict(np.load(inputs))
            for _ in range(runs):
                sess.run(None, feeds)
    else:
        import openvino as ov
        if model:
            core = ov.Core()
            compiled = core.compile_model(core.read_model(model), "CPU", {
                "INFERENCE_NUM_THREADS": threads,
                "INFERENCE_PRECISION_HINT": "f32",
                "PERFORMANCE_HINT": "LATENCY"})
            request = compiled.create_infer_request()
            feeds = dict(np.load(inputs))
            for _ in range(runs):
                request.infer(feeds)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("names", nargs="*", default=NETWORKS)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workdir", default=os.path.join(REPO, "build", "bench"))
    ap.add_argument("--markdown", metavar="FILE")
    ap.add_argument("--child", nargs=3, metavar=("SYSTEM", "MODEL", "INPUTS"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        system, model, inputs = args.child
        child(system, model if model != "-" else None, inputs, args.runs,
              args.threads)
        return 0

    import numpy as np
    os.makedirs(args.workdir, exist_ok=True)
    me = [sys.executable, os.path.abspath(__file__), "--runs", str(args.runs),
          "--threads", str(args.threads), "--child"]
    base = {"kiln": peak_rss_mb([os.path.join(BIN, "kiln-run"), "--help"]),
            "ort": peak_rss_mb(me + ["ort", "-", "-"]),
            "ov": peak_rss_mb(me + ["ov", "-", "-"])}
    rows = []
    for name in args.names:
        stem = os.path.join(args.workdir, name)
        subprocess.run([os.path.join(BIN, "kiln-model-" + name), stem],
                       check=True, stdout=subprocess.DEVNULL)
        model = stem + ".onnx"
        lib = stem + "_mem.so"
        report = stem + "_mem.json"
        subprocess.run([os.path.join(BIN, "kilnc"), model, "-o", lib,
                        "--num-threads=%d" % args.threads,
                        "--report=" + report], check=True)
        with open(report) as f:
            totals = json.load(f)["totals"]
        feeds = random_inputs(model, 0)
        npz = stem + "_mem_inputs.npz"
        np.savez(npz, **feeds)
        files = []
        for k, arr in enumerate(feeds.values()):
            f = "%s_mem_input_%d.npy" % (stem, k)
            np.save(f, arr)
            files += ["-i", f]
        kiln = peak_rss_mb([os.path.join(BIN, "kiln-run"), lib] + files +
                           ["--iterations", str(args.runs),
                            "--threads", str(args.threads)])
        ort = peak_rss_mb(me + ["ort", model, npz])
        try:
            ov = peak_rss_mb(me + ["ov", model, npz])
        except RuntimeError:
            ov = None
        rows.append([name, "%.1f" % (totals["workspace_bytes"] / 1e6),
                     "%.1f" % (totals["temporary_bytes"] / 1e6),
                     "%.0f" % kiln, "%.0f" % ort,
                     "%.0f" % ov if ov else "fails",
                     "%.0f" % (kiln - base["kiln"]),
                     "%.0f" % (ort - base["ort"]),
                     "%.0f" % (ov - base["ov"]) if ov else "-",
                     "%.2f" % ((kiln - base["kiln"]) / (ort - base["ort"]))])
        print(" | ".join(rows[-1]), flush=True)
    header = ["network", "kiln workspace MB", "kiln temporaries MB",
              "kiln peak RSS MB", "ORT peak RSS MB", "OpenVINO peak RSS MB",
              "kiln above baseline", "ORT above baseline",
              "OpenVINO above baseline", "kiln/ORT above baseline"]
    text = ("Machine: %s; %d threads, batch 1, FP32, %d runs per process. "
            "Baselines (the process without a model): kiln-run %.0f MB, "
            "Python + ONNX Runtime %.0f MB, Python + OpenVINO %.0f MB.\n\n"
            % (cpu_model(), args.threads, args.runs, base["kiln"],
               base["ort"], base["ov"]))
    text += "| " + " | ".join(header) + " |\n"
    text += "|" + "|".join(" ---: " for _ in header) + "|\n"
    text += "".join("| " + " | ".join(r) + " |\n" for r in rows)
    print("\n" + text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("# Peak resident memory\n\n`python3 bench/peak_memory.py "
                    "--markdown bench/MEMORY.md`\n\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
