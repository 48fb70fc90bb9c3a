#!/usr/bin/env python3
"""The builder DSL's networks (examples/models) against ONNX Runtime.

    python3 bench/bench_zoo.py [NAME ...] [-n 5] [--ort-iterations 10]
        [--threads T] [--json FILE]

For each network (default: all of examples/models but `layers`), writes its
ONNX export with build/bin/kiln-model-NAME (the paper's size, batch as the
tool's default), then runs bench/bench_ort.py on it: kilnc compiles the
.onnx (the same nn module the builder builds), kiln-run and ONNX Runtime
time it in the same run on the same input. Prints one table: median
latencies, the ratio kiln/ORT (below 1: kiln is faster), the compile time
and the agreement of the outputs, with the machine named.
"""
import argparse
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(REPO, "build", "bin")
NETWORKS = ["lenet5", "alexnet", "vgg16", "googlenet", "resnet18", "resnet50",
            "resnext50", "mobilenetv2", "densenet121", "fcn", "segnet", "rnn",
            "lstm", "gru", "c3d", "dcgan", "maxout"]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", default=NETWORKS)
    p.add_argument("-n", "--iterations", type=int, default=5)
    p.add_argument("--ort-iterations", type=int, default=10)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--workdir",
                   default=os.path.join(REPO, "build", "bench", "zoo"))
    p.add_argument("--json", help="also write the table here as JSON")
    a = p.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    rows, machine = [], None
    for name in a.names:
        prefix = os.path.join(a.workdir, name)
        subprocess.run([os.path.join(BIN, "kiln-model-" + name), prefix],
                       check=True)
        result = prefix + ".json"
        cmd = [sys.executable, os.path.join(REPO, "bench", "bench_ort.py"),
               prefix + ".onnx", "-n", str(a.iterations), "--ort-iterations",
               str(a.ort_iterations), "--workdir", a.workdir, "--json", result]
        if a.threads:
            cmd += ["--threads", str(a.threads)]
        run = subprocess.run(cmd, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        if run.returncode != 0:
            print(run.stdout)
            rows.append({"network": name, "error": "bench_ort.py failed"})
            continue
        with open(result) as f:
            r = json.load(f)
        machine = "%s, %d cores, ORT %s (%d threads)" % (
            r["cpu"], r["cores"], r["ort_version"], r["ort_threads"])
        rows.append({"network": name, **r})
        print("%-12s kiln %9.2f ms  ORT %9.2f ms  kiln/ORT %6.2fx" %
              (name, r["kiln_median_ms"], r["ort_median_ms"],
               r["ratio_kiln_over_ort"]), flush=True)
        for ext in (".onnx", ".mlirbc"):
            if os.path.exists(prefix + ext):
                os.remove(prefix + ext)
    print()
    print("machine: %s" % machine)
    print("| network | kiln ms | ORT ms | kiln/ORT | compile s | max rel err |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        if "error" in r:
            print("| %s | %s | | | | |" % (r["network"], r["error"]))
            continue
        print("| %s | %.2f | %.2f | %.2f | %.1f | %.1e |" % (
            r["network"], r["kiln_median_ms"], r["ort_median_ms"],
            r["ratio_kiln_over_ort"], r["compile_s"], r["max_rel_err"]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"machine": machine, "rows": rows}, f, indent=2)
    return 1 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
