#!/usr/bin/env python3
"""Checks raw float32 outputs of a program against ONNX Runtime.

    python3 test/e2e/check_raw.py MODEL.onnx INPUT.raw OUTPUT.raw [--tol T]
        [--topk K]

Runs MODEL (one float input, one float output) in ONNX Runtime on INPUT.raw
and checks OUTPUT.raw with compare_ort.py's criterion
max|got - ort| / max|ort| <= tol; with --topk K also that the K best classes
are the same and in the same order. Prints one PASS/FAIL line; exit 1 on
FAIL.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_ort import compare, run_ort  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--tol", type=float, default=1e-4)
    p.add_argument("--topk", type=int, default=0)
    a = p.parse_args()
    import onnxruntime as ort
    sess = ort.InferenceSession(a.model, providers=["CPUExecutionProvider"])
    i = sess.get_inputs()[0]
    x = np.fromfile(a.input, np.float32).reshape(i.shape)
    _, (ref,) = run_ort(a.model, {i.name: x}, 1)
    got = np.fromfile(a.output, np.float32)
    if got.size != ref.size:
        print("FAIL %s: %d values, ORT has %d" % (a.output, got.size,
                                                   ref.size))
        return 1
    ok, err, msg = compare("output", got.reshape(ref.shape), ref, a.tol)
    detail = msg
    if a.topk:
        g = np.argsort(-got.ravel(), kind="stable")[:a.topk]
        r = np.argsort(-ref.ravel(), kind="stable")[:a.topk]
        same = list(g) == list(r)
        ok &= same
        detail += "; top-%d %s %s" % (a.topk, list(map(int, g)),
                                      "same as ORT" if same else
                                      "differs from ORT %s" %
                                      list(map(int, r)))
    print("%s %s" % ("PASS" if ok else "FAIL", detail))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
