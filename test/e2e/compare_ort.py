#!/usr/bin/env python3
"""Compile an ONNX model with kilnc, run it, and compare it with ONNX Runtime.

    python3 test/e2e/compare_ort.py MODEL.onnx [--kind so|exe|a|o]
        [--seed S] [--tol 1e-4] [--workdir DIR] [--reference REF.onnx]

Generates seeded random inputs (float: standard normal; integers: uniform in
--int-range; bool: fair coin), runs ONNX Runtime (CPUExecutionProvider, graph
optimizations disabled, so the reference is the plain op-by-op evaluation) and
kiln, and checks every output:

    max|kiln - ort| / max|ort|  <=  tol        (default 1e-4)

(max|kiln - ort| alone when the reference is all zeros; integer and bool
outputs must be equal; shapes and element types must match; a NaN or infinity
where ORT has a finite value fails).

How kiln runs, by --kind:
  so   kilnc MODEL -o W/NAME.so; kiln-run W/NAME.so -i in_K.npy -o W/out
       (reads W/out/output_K.pb)                                  [default]
       then twice more, each of which must give the same bits: on one
       thread with every buffer ending at an inaccessible page
       (--threads 1 --guard after), and on all threads with every buffer
       starting after one (--guard before); an out-of-bounds access faults
  exe  kilnc MODEL -o W/NAME (standalone executable);
       W/NAME -i in_K.npy -o W/out (reads W/out/output_K.npy)
  a    kilnc MODEL -o W/NAME.a; clang-22 links test/e2e/link_main.c against
       it (the archive alone: it carries the runtime) and runs that
  o    kilnc MODEL -o W/NAME.o; as for a, plus build/lib/libkiln_runtime.a

NAME is the model file's stem made a C identifier, so the generated header is
W/NAME.h and declares NAME_model().

--reference REF.onnx takes ORT's outputs from another model that computes the
same function (same input names), for models ORT cannot load itself.

--kiln-model X.mlir has kilnc compile X.mlir (an nn module, e.g. written by
the builder DSL) while ORT runs MODEL (the same graph exported to ONNX).

Exit status: 0 when every output is within tolerance, 1 otherwise (a
mismatch, or kilnc/kiln-run/the compiled program failing), 2 for bad usage.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import numpy_helper

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BIN = os.path.join(REPO, "build", "bin")


class Failure(Exception):
    pass


def c_identifier(stem):
    name = re.sub(r"[^A-Za-z0-9_]", "_", stem)
    if not name or name[0].isdigit():
        name = "m_" + name
    return name


def graph_inputs(model, fixed_shapes):
    """(name, numpy dtype, shape) of the inputs the caller feeds; symbolic
    dimensions take their values from fixed_shapes (--input-shape)."""
    inits = {t.name for t in model.graph.initializer}
    result = []
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        tt = vi.type.tensor_type
        dtype = onnx.helper.tensor_dtype_to_np_dtype(tt.elem_type)
        if vi.name in fixed_shapes:
            result.append((vi.name, dtype, fixed_shapes[vi.name]))
            continue
        shape = []
        for d in tt.shape.dim:
            if not d.HasField("dim_value"):
                raise Failure("input '%s' has a symbolic dimension '%s'; "
                              "kiln needs static shapes" %
                              (vi.name, d.dim_param))
            shape.append(d.dim_value)
        result.append((vi.name, dtype, shape))
    return result


def make_inputs(specs, seed, int_range):
    rng = np.random.default_rng(seed)
    arrays = {}
    for name, dtype, shape in specs:
        if np.issubdtype(dtype, np.floating):
            a = rng.standard_normal(shape).astype(dtype)
        elif dtype == np.bool_:
            a = rng.random(shape) < 0.5
        elif np.issubdtype(dtype, np.integer):
            a = rng.integers(int_range[0], int_range[1], shape).astype(dtype)
        else:
            raise Failure("input '%s': no generator for %s" % (name, dtype))
        arrays[name] = np.ascontiguousarray(a)
    return arrays


def run_ort(path, feeds, threads):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]
    return [o.name for o in sess.get_outputs()], sess.run(
        None, {n: feeds[n] for n in names})


def run(cmd, what, timeout=600, **kw):
    t0 = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=timeout, **kw)
    dt = time.time() - t0
    if p.returncode != 0:
        tail = "\n".join(p.stdout.strip().splitlines()[-15:])
        raise Failure("%s failed (exit %d): %s\n%s" %
                      (what, p.returncode, " ".join(cmd), tail))
    return p.stdout, dt


def run_kiln(args, model_path, input_files, workdir, num_outputs,
             ort_outputs):
    name = c_identifier(os.path.splitext(os.path.basename(model_path))[0])
    kilnc = [args.kilnc, model_path] + args.kilnc_arg
    outdir = os.path.join(workdir, "out_" + args.kind)
    os.makedirs(outdir, exist_ok=True)
    timings = {}
    if args.kind == "so":
        lib = os.path.join(workdir, name + ".so")
        _, timings["kilnc"] = run(kilnc + ["-o", lib], "kilnc")
        cmd = [args.kiln_run, lib]
        for f in input_files:
            cmd += ["-i", f]
        _, timings["run"] = run(cmd + ["-o", outdir], "kiln-run")

        def outputs(folder):
            return [numpy_helper.to_array(onnx.load_tensor(
                os.path.join(folder, "output_%d.pb" % k)))
                for k in range(num_outputs)]
        got = outputs(outdir)
        for flags in (["--threads", "1", "--guard", "after"],
                      ["--guard", "before"]):
            variant = outdir + "_" + "_".join(f.strip("-") for f in flags)
            run(cmd + flags + ["-o", variant], "kiln-run " + " ".join(flags))
            for k, (a, b) in enumerate(zip(got, outputs(variant))):
                if not np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"):
                    raise Failure("output %d differs between the default run "
                                  "and kiln-run %s" % (k, " ".join(flags)))
        return got, timings
    if args.kind == "exe":
        exe = os.path.join(workdir, name)
        _, timings["kilnc"] = run(kilnc + ["-o", exe], "kilnc")
        cmd = [exe]
        for f in input_files:
            cmd += ["-i", f]
        _, timings["run"] = run(cmd + ["-o", outdir], "standalone executable")
        return [np.load(os.path.join(outdir, "output_%d.npy" % k))
                for k in range(num_outputs)], timings
    # .a / .o: link a C driver with clang-22.
    lib = os.path.join(workdir, name + "." + args.kind)
    header = os.path.join(workdir, name + ".h")
    _, timings["kilnc"] = run(kilnc + ["-o", lib], "kilnc")
    if not os.path.exists(header):
        raise Failure("kilnc wrote no header %s" % header)
    driver = os.path.join(workdir, name + "_driver_" + args.kind)
    cc = [args.cc, "-std=c11", "-O1", "-Wall", "-Werror", "-I", workdir,
          "-include", header, "-DKILN_MODEL_FN=%s_model" % name,
          os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "link_main.c"), lib]
    if args.kind == "o":
        cc.append(os.path.join(REPO, "build", "lib", "libkiln_runtime.a"))
    # Threaded code (kilnc's default on a multi-core machine) calls the
    # OpenMP runtime.
    omp_dir = "/usr/lib/llvm-22/lib"
    cc += ["-L" + omp_dir, "-lomp", "-Wl,-rpath," + omp_dir, "-lm", "-o", driver]
    _, timings["link"] = run(cc, args.cc)
    raws = []
    for f in input_files:
        raw = f[:-4] + ".raw"
        np.load(f).tofile(raw)
        raws.append(raw)
    _, timings["run"] = run([driver, outdir] + raws, "linked program")
    outs = []
    for k in range(num_outputs):
        ref = ort_outputs[k]
        a = np.fromfile(os.path.join(outdir, "output_%d.raw" % k),
                        dtype=ref.dtype)
        if a.size != ref.size:
            raise Failure("output %d: %d elements written, %d expected" %
                          (k, a.size, ref.size))
        outs.append(a.reshape(ref.shape))
    return outs, timings


def compare(name, got, ref, tol):
    """Returns (ok, relative error, message)."""
    if got.shape != ref.shape:
        return False, float("inf"), "shape %s, ORT has %s" % (
            list(got.shape), list(ref.shape))
    if got.dtype != ref.dtype:
        return False, float("inf"), "type %s, ORT has %s" % (got.dtype,
                                                             ref.dtype)
    if not np.issubdtype(ref.dtype, np.floating):
        bad = int(np.count_nonzero(got != ref))
        return bad == 0, float(bad), ("exact" if bad == 0 else
                                      "%d of %d elements differ" %
                                      (bad, ref.size))
    g = got.astype(np.float64)
    r = ref.astype(np.float64)
    if ref.size == 0:
        return True, 0.0, "empty"
    finite = np.isfinite(r)
    # Non-finite reference values must be matched exactly (NaN by NaN).
    nf_bad = int(np.count_nonzero(~finite & ~((g == r) |
                                              (np.isnan(g) & np.isnan(r)))))
    if not np.all(np.isfinite(g[finite])) or nf_bad:
        return False, float("inf"), "non-finite values where ORT has none"
    if not finite.any():
        return True, 0.0, "all non-finite, equal"
    diff = np.abs(g[finite] - r[finite])
    scale = np.abs(r[finite]).max()
    err = diff.max() / scale if scale > 0 else diff.max()
    where = np.unravel_index(int(np.argmax(np.where(finite, np.abs(g - r),
                                                    -1))), ref.shape)
    msg = ("max|kiln-ort|/max|ort| = %.3g (max|ort| %.4g, max|diff| %.3g "
           "at %s)" % (err, scale, diff.max(), list(map(int, where))))
    return bool(err <= tol), float(err), msg


def main():
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    p.add_argument("model")
    p.add_argument("--kind", choices=["so", "exe", "a", "o"], default="so")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tol", type=float, default=1e-4)
    p.add_argument("--int-range", type=int, nargs=2, default=[0, 4],
                   metavar=("LO", "HI"), help="integer inputs: [LO, HI)")
    p.add_argument("--reference", help="ORT runs this model instead")
    p.add_argument("--kiln-model", help="kilnc compiles this model (.mlir "
                   "or .onnx) instead of MODEL")
    p.add_argument("--workdir", help="keep the files here (default: a "
                   "temporary folder, removed afterwards)")
    p.add_argument("--ort-threads", type=int, default=1)
    p.add_argument("--kilnc", default=os.path.join(BIN, "kilnc"))
    p.add_argument("--kiln-run", default=os.path.join(BIN, "kiln-run"))
    p.add_argument("--cc", default="clang-22")
    p.add_argument("--kilnc-arg", action="append", default=[],
                   help="extra kilnc argument (repeatable)")
    p.add_argument("--input-shape", action="append", default=[],
                   metavar="NAME=D0xD1x...",
                   help="fixes a symbolic input shape (passed to kilnc as "
                   "--input-shape; ORT runs the model as it is)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print only the verdict line")
    args = p.parse_args()
    fixed_shapes = {}
    for spec in args.input_shape:
        name, _, dims = spec.partition("=")
        fixed_shapes[name] = [int(d) for d in dims.split("x")]
        args.kilnc_arg.append("--input-shape=" + spec)

    workdir = args.workdir or tempfile.mkdtemp(prefix="kiln-e2e-")
    os.makedirs(workdir, exist_ok=True)
    label = os.path.basename(args.model)
    try:
        model = onnx.load(args.model, load_external_data=False)
        specs = graph_inputs(model, fixed_shapes)
        feeds = make_inputs(specs, args.seed, args.int_range)
        files = []
        for i, (name, _, _) in enumerate(specs):
            f = os.path.join(workdir, "input_%d.npy" % i)
            np.save(f, feeds[name])
            files.append(f)
        t0 = time.time()
        out_names, ref = run_ort(args.reference or args.model, feeds,
                                 args.ort_threads)
        t_ort = time.time() - t0
        declared = [o.name for o in model.graph.output]
        if args.reference and len(declared) != len(ref):
            raise Failure("the reference has %d outputs, the model %d" %
                          (len(ref), len(declared)))
        got, timings = run_kiln(args, os.path.abspath(args.kiln_model or
                                                      args.model), files,
                                workdir, len(ref), ref)
        ok_all, worst = True, 0.0
        for k, (g, r) in enumerate(zip(got, ref)):
            ok, err, msg = compare(declared[k], g, r, args.tol)
            ok_all &= ok
            worst = max(worst, err)
            if not args.quiet:
                print("  output %d '%s' %s: %s %s" %
                      (k, declared[k], list(r.shape), msg,
                       "OK" if ok else "MISMATCH"))
        times = ", ".join("%s %.1fs" % kv for kv in timings.items())
        print("%s %s [%s] max rel err %.3g (tol %g; %s, ort %.1fs)" %
              ("PASS" if ok_all else "FAIL", label, args.kind, worst,
               args.tol, times, t_ort))
        return 0 if ok_all else 1
    except Failure as e:
        lines = str(e).splitlines()
        # The details first (MLIR operation dumps cut short), then the
        # verdict as the last line, so callers can take it as the summary.
        for line in (lines if len(lines) > 1 else []):
            print("  | " + (line if len(line) <= 200 else line[:200] + " ..."))
        first = next((l for l in lines[1:] if "error" in l), lines[0])
        print("FAIL %s [%s] %s" % (label, args.kind, first.strip()))
        return 1
    except subprocess.TimeoutExpired as e:
        print("FAIL %s [%s] timed out: %s" % (label, args.kind, e))
        return 1
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
