#!/usr/bin/env python3
"""Compiles the opset_sweep model at every opset from FIRST to the newest
that the installed onnx package knows, and prints one line per opset.

    opset_sweep.py KILNC KILN_RUN WORKDIR [--first N] [--run-opsets N,M,...]

Every opset is imported (--emit=mlir) and the nn graph checked for the ops
the model maps to. For the opsets in --run-opsets (default: the first and
the newest) the model is also compiled to a shared library and run with
kiln-run against onnx's reference evaluator. The last line is
"opsets FIRST..LAST: N ok, M failed".
"""
import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_model  # noqa: E402

EXPECTED_OPS = ["nn.add", "nn.clip", "nn.softmax", "nn.reduce"]


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return p.returncode, p.stdout


def check_numbers(kilnc, kiln_run, model_path, work, opset):
    from onnx.reference import ReferenceEvaluator
    lib = os.path.join(work, "sweep%d.so" % opset)
    rc, out = run([kilnc, model_path, "-o", lib])
    if rc != 0:
        return "compile failed (%d): %s" % (rc, out.strip())
    x = np.array([[0.5, -2.0, 3.0], [10.0, 1.0, -1.0]], np.float32)
    ref = ReferenceEvaluator(onnx.load(model_path)).run(None, {"X": x})[0]
    data = os.path.join(work, "data%d" % opset)
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(data, "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(x, "X").SerializeToString())
    with open(os.path.join(data, "output_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(np.asarray(ref), "Y")
                .SerializeToString())
    rc, out = run([kiln_run, lib, "-i", os.path.join(data, "input_0.pb"),
                   "--compare", data])
    if rc != 0:
        return "kiln-run --compare failed (%d): %s" % (rc, out.strip())
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kilnc")
    parser.add_argument("kiln_run")
    parser.add_argument("work")
    parser.add_argument("--first", type=int, default=7)
    parser.add_argument("--run-opsets", default="")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    last = onnx.defs.onnx_opset_version()
    run_opsets = ({int(v) for v in args.run_opsets.split(",") if v}
                  or {args.first, last})
    ok = failed = 0
    for opset in range(args.first, last + 1):
        m = make_model.opset_sweep(opset)
        path = os.path.join(args.work, "sweep%d.onnx" % opset)
        onnx.save(m, path)
        onnx.checker.check_model(path, full_check=True)
        mlir = os.path.join(args.work, "sweep%d.mlir" % opset)
        rc, out = run([args.kilnc, path, "-o", mlir, "--emit=mlir"])
        problem = None
        if rc != 0:
            problem = "import failed (%d): %s" % (rc, out.strip())
        else:
            text = open(mlir).read()
            missing = [op for op in EXPECTED_OPS if op not in text]
            if missing:
                problem = "missing " + ", ".join(missing)
        if problem is None and opset in run_opsets:
            problem = check_numbers(args.kilnc, args.kiln_run, path,
                                    args.work, opset)
            if problem is None:
                print("opset %d: ok (ran)" % opset)
        elif problem is None:
            print("opset %d: ok" % opset)
        if problem is None:
            ok += 1
        else:
            failed += 1
            print("opset %d: FAILED: %s" % (opset, problem))
    print("opsets %d..%d: %d ok, %d failed" % (args.first, last, ok, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
