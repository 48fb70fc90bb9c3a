"""What the scripts that write the lit tests' ONNX models (Inputs/make_*.py)
share: a registry of model functions with their command line, and the
value-info and initializer helpers.

    make_X.py NAME OUT.onnx [--opset N]     (--opset: make_model.py only)
    make_X.py --list

Well-formed models pass onnx.checker (full_check, by path, so that external
data is checked against the model's folder); models registered with
check=False are the malformed ones that error tests feed to kilnc. A model
function may return bytes: a serialized model written as it is.
"""
import argparse
import os

import numpy as np
import onnx
from onnx import helper as h
from onnx import numpy_helper as nh


def vi(name, elem, shape):
    return h.make_tensor_value_info(name, elem, shape)


def const(name, array):
    return nh.from_array(np.asarray(array), name)


class Registry:
    """`@models("name", check=True)` registers a model function; main()
    writes the one named on the command line."""

    def __init__(self):
        self.models = {}

    def __call__(self, name, check=True):
        def register(fn):
            self.models[name] = (fn, check)
            return fn
        return register

    def main(self, description, takes_opset=False, prepare=None):
        """takes_opset: model functions take the --opset value (default 13).
        prepare(name, out_dir): called before the model is saved (to write
        files beside it)."""
        p = argparse.ArgumentParser(description=description)
        p.add_argument("name", nargs="?")
        p.add_argument("out", nargs="?")
        if takes_opset:
            p.add_argument("--opset", type=int, default=13)
        p.add_argument("--list", action="store_true")
        args = p.parse_args()
        if args.list:
            print("\n".join(sorted(self.models)))
            return 0
        if args.name not in self.models or not args.out:
            p.error("expected NAME OUT.onnx; NAME one of: " +
                    ", ".join(sorted(self.models)))
        fn, check = self.models[args.name]
        m = fn(args.opset) if takes_opset else fn()
        out_dir = os.path.dirname(os.path.abspath(args.out))
        os.makedirs(out_dir, exist_ok=True)
        if prepare:
            prepare(args.name, out_dir)
        if isinstance(m, bytes):  # a serialized model that onnx won't write
            with open(args.out, "wb") as f:
                f.write(m)
        else:
            onnx.save(m, args.out)
        if check:
            onnx.checker.check_model(args.out, full_check=True)
        return 0
