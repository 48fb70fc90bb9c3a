#!/usr/bin/env python3
"""A model with more than 2 GB of weights: imported once, not copied twice.

    python3 test/e2e/large_model.py [--workdir DIR] [--compile]

Writes DIR/large.onnx whose two MatMul weights (2.15 GB together, over
2^31 bytes: more than a protobuf can hold) live in one external file
DIR/weights.bin, at increasing offsets. Then runs `kilnc large.onnx -o
large.mlirbc` (import, graph passes, the nn module written as bytecode),
sampling its memory from /proc every 10 ms, and checks:

  * kilnc succeeds and the bytecode holds the weights (its size is at least
    theirs);
  * kilnc's peak anonymous memory (RssAnon: its own allocations, not the
    mapped file's pages) stays under 1.25 x the weights: the importer maps
    the external file and copies each tensor once, into its attribute.
    Reading a tensor into a buffer first, as the importer used to, holds
    a second copy of it: 1.5 x with two tensors.

With --compile it also builds a shared library (past 1 GiB of weights
kilnc uses the medium code model, whose 64-bit data offsets reach beyond
2 GB) and checks its output against NumPy. Measured: about 50 s and
10.9 GB peak, since code generation holds several copies of the weights
(the attribute, its flattened form, LLVM's constant, the object); not run
by scripts/test.sh.

Exit status 0 on success, 1 on a failed check.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BIN = os.path.join(REPO, "build", "bin")

FEATURES = 256
COLUMNS = 1_049_600        # per weight; 2 x 256 x 1049600 x 4 B = 2.15 GB
PARTS = 2


def write_model(workdir):
    rng = np.random.default_rng(7)
    x_info = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, FEATURES])
    y_info = helper.make_tensor_value_info(
        "y", TensorProto.FLOAT, [1, PARTS * COLUMNS])
    initializers, nodes, offset = [], [], 0
    weights = []
    with open(os.path.join(workdir, "weights.bin"), "wb") as f:
        for k in range(PARTS):
            w = rng.standard_normal((FEATURES, COLUMNS), dtype=np.float32)
            # Only a few rows are kept for the NumPy check.
            weights.append(w[:, :8].copy() if k == 0 else None)
            data = w.tobytes()
            f.write(data)
            t = TensorProto()
            t.name = f"w{k}"
            t.data_type = TensorProto.FLOAT
            t.dims.extend([FEATURES, COLUMNS])
            t.data_location = TensorProto.EXTERNAL
            for key, value in (("location", "weights.bin"),
                               ("offset", str(offset)),
                               ("length", str(len(data)))):
                entry = t.external_data.add()
                entry.key, entry.value = key, value
            offset += len(data)
            initializers.append(t)
            nodes.append(helper.make_node("MatMul", ["x", f"w{k}"], [f"y{k}"],
                                          name=f"matmul{k}"))
            del w, data
    nodes.append(helper.make_node("Concat", [f"y{k}" for k in range(PARTS)],
                                  ["y"], axis=1, name="concat"))
    graph = helper.make_graph(nodes, "large", [x_info], [y_info], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, os.path.join(workdir, "large.onnx"))
    return offset, weights[0]


def run_sampled(cmd):
    """Runs cmd; returns (returncode, output, peak RssAnon KB, peak VmRSS KB)
    sampled from /proc every 10 ms."""
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        peak_anon = peak_rss = 0
        while proc.poll() is None:
            try:
                with open(f"/proc/{proc.pid}/status") as f:
                    for line in f:
                        if line.startswith("RssAnon:"):
                            peak_anon = max(peak_anon, int(line.split()[1]))
                        elif line.startswith("VmRSS:"):
                            peak_rss = max(peak_rss, int(line.split()[1]))
            except (FileNotFoundError, ProcessLookupError, ValueError):
                pass
            time.sleep(0.01)
        log.seek(0)
        return proc.returncode, log.read(), peak_anon, peak_rss


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workdir")
    p.add_argument("--compile", action="store_true")
    args = p.parse_args()
    workdir = args.workdir or tempfile.mkdtemp(prefix="kiln-large-")
    os.makedirs(workdir, exist_ok=True)
    failures = []
    try:
        weight_bytes, w0 = write_model(workdir)
        print(f"weights: {weight_bytes} bytes ({weight_bytes / 1e9:.2f} GB) "
              f"in {PARTS} external tensors")
        out = os.path.join(workdir, "large.mlirbc")
        rc, log, anon_kb, rss_kb = run_sampled(
            [os.path.join(BIN, "kilnc"), os.path.join(workdir, "large.onnx"),
             "-o", out])
        ratio = anon_kb * 1024 / weight_bytes
        print(f"kilnc import: exit {rc}, peak anonymous memory "
              f"{anon_kb * 1024 / 1e9:.2f} GB = {ratio:.2f} x the weights "
              f"(peak RSS with the mapped file {rss_kb * 1024 / 1e9:.2f} GB)")
        if rc != 0:
            failures.append("kilnc failed:\n" + log)
        elif os.path.getsize(out) < weight_bytes:
            failures.append(f"the bytecode holds {os.path.getsize(out)} bytes,"
                            f" fewer than the weights' {weight_bytes}")
        if ratio >= 1.25:
            failures.append(f"peak anonymous memory is {ratio:.2f} x the "
                            "weights (>= 1.25): a tensor was copied twice")
        if args.compile and not failures:
            lib = os.path.join(workdir, "large.so")
            rc, log, anon_kb, rss_kb = run_sampled(
                [os.path.join(BIN, "kilnc"),
                 os.path.join(workdir, "large.onnx"), "-o", lib])
            print(f"kilnc to .so: exit {rc}, peak RSS "
                  f"{rss_kb * 1024 / 1e9:.2f} GB")
            if rc != 0:
                failures.append("kilnc to .so failed:\n" + log)
            else:
                x = np.random.default_rng(1).standard_normal(
                    (1, FEATURES), dtype=np.float32)
                np.save(os.path.join(workdir, "x.npy"), x)
                res = subprocess.run(
                    [os.path.join(BIN, "kiln-run"), lib, "-i",
                     os.path.join(workdir, "x.npy"), "-o", workdir],
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                if res.returncode != 0:
                    failures.append("kiln-run failed:\n" + res.stdout)
                else:
                    y = onnx.numpy_helper.to_array(onnx.load_tensor(
                        os.path.join(workdir, "output_0.pb")))
                    want = x @ w0
                    err = np.abs(y[:, :8] - want).max() / np.abs(want).max()
                    print(f"first columns vs NumPy: max rel err {err:.2e}")
                    if err > 1e-4:
                        failures.append(f"output differs from NumPy: {err}")
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    for f in failures:
        print("FAIL " + f)
    print("PASS large_model" if not failures else "FAIL large_model")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
