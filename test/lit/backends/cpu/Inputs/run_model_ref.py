#!/usr/bin/env python3
"""Writes the input and the NumPy reference outputs of run-model.mlir as an
ONNX test_data_set folder (input_0.pb, output_K.pb) for kiln-run --compare,
and the input as input_0.npy for the standalone executable.

    run_model_ref.py DIR
"""
import os
import sys

import numpy as np
from onnx import numpy_helper


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    x = np.arange(-6, 6, dtype=np.float32).reshape(1, 2, 2, 3)
    biased = np.maximum(x, 0) + np.array([1, 2, 3], np.float32)
    sliced = x[:, :, :, 2::-2]
    padded = np.pad(x, [(0, 0), (0, 0), (0, 0), (1, 1)], mode="reflect")
    conv = (x[..., :-1] + 10 * x[..., 1:] +
            np.array([100, 200], np.float32).reshape(1, 2, 1, 1))
    pooled = np.maximum(np.maximum(x[:, :, 0, :-1], x[:, :, 0, 1:]),
                        np.maximum(x[:, :, 1, :-1], x[:, :, 1, 1:]))[:, :, None]
    e = np.exp(x - x.max(axis=3, keepdims=True))
    probs = e / e.sum(axis=3, keepdims=True)
    argmax = np.argmax(x, axis=1).astype(np.int64)
    outputs = [biased, sliced, padded, conv, pooled, probs, argmax]
    np.save(os.path.join(out, "input_0.npy"), x)
    with open(os.path.join(out, "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(x, "x").SerializeToString())
    for k, value in enumerate(outputs):
        with open(os.path.join(out, "output_%d.pb" % k), "wb") as f:
            f.write(numpy_helper.from_array(np.ascontiguousarray(value))
                    .SerializeToString())
    return 0


if __name__ == "__main__":
    sys.exit(main())
