#!/usr/bin/env python3
"""Runs the ONNX backend node tests (libonnx-testdata) through kilnc and kiln-run.

For every test folder DATA_DIR/test_*/ (model.onnx + test_data_set_*/input_K.pb,
output_K.pb) the runner compiles the model with `kilnc model.onnx -o T.so`, then
runs every data set with `kiln-run T.so -i input_0.pb ... --compare SET`. A test
passes only if it compiles and every data set matches.

It prints one line per failing test with a short reason, then a closing line
`N passed, M failed`. test/onnx/expected_pass.txt lists the tests that must
pass: any of them failing is a regression and makes the runner exit 1. Tests
that pass but are not in the list are reported as newly passing (not an error);
--update-expected rewrites the list from the results of this run.

Only the Python standard library is required. The `onnx` package, when
installed, is used to read the op types of a model (for --docs); without it a
small built-in protobuf reader does the same, and as a last resort the op is
derived from the test name.

Examples:
  test/onnx/run_node_tests.py                     # all 932 tests, 2 at a time
  test/onnx/run_node_tests.py --filter 'conv|pool' -j 1
  test/onnx/run_node_tests.py --update-expected --docs
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_DATA_DIR = "/usr/share/libonnx-testdata/data/node"
EXPECTED_FILE = os.path.join(REPO_ROOT, "test", "onnx", "expected_pass.txt")
DOCS_FILE = os.path.join(REPO_ROOT, "docs", "onnx-ops.md")

COMPILE_TIMEOUT_S = 60
RUN_TIMEOUT_S = 60
# The ONNX backend test defaults: rtol=1e-3, atol=1e-7. Measured: atol=1e-5
# (kiln-run's default) passes exactly the same tests (594 of 932 then), so the
# runner keeps ONNX's values.
RTOL = "1e-3"
ATOL = "1e-7"

# What kiln does where the ONNX specification leaves a result undefined; a
# fixed section of docs/onnx-ops.md (written here because the page is made
# by this script).
UNDEFINED_RESULTS = """
### Where ONNX leaves the result undefined

- **Cast and CastLike to INT4, UINT4, INT2 and UINT2** (and every other
  conversion to these types inside kiln):
  - from an integer or bool: the value's low 4 (or 2) bits, sign- or
    zero-extended, as the specification defines for fixed-point narrowing
    (int16 200 becomes int4 -8);
  - from a floating-point type (float8 and float4 included): truncated
    toward zero. The specification leaves the result undefined when that is
    out of range (outside [-8, 7], [0, 15], [-2, 1] or [0, 3]) and for NaN
    and infinities; kiln gives 0 there, as onnx's reference implementation
    does with the pinned onnx 1.23.2 and ml_dtypes 0.7.0 (requirements.txt),
    which write the node tests' expected outputs. ONNX Runtime 1.32, and
    ml_dtypes before 0.7, keep the low bits instead (float -9 becomes int4 7),
    so a model that casts out-of-range floats to these types can differ
    between kiln and ONNX Runtime.
"""


# --------------------------------------------------------------------------
# Op types of a model


def _read_varint(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def _proto_fields(buf):
    """Yields (field_number, wire_type, value) of a protobuf message."""
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = _read_varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _read_varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            length, pos = _read_varint(buf, pos)
            value, pos = buf[pos:pos + length], pos + length
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError("unsupported protobuf wire type %d" % wire)
        yield field, wire, value


def _graph_wire(path):
    """The model's main graph read from the raw protobuf (no onnx package needed)."""
    with open(path, "rb") as f:
        model = f.read()
    nodes, outs, inputs, inits, info = [], [], [], set(), {}
    for field, wire, graph in _proto_fields(model):
        if field != 7 or wire != 2:  # ModelProto.graph
            continue
        for gfield, gwire, value in _proto_fields(graph):
            if gwire != 2:
                continue
            if gfield == 1:  # GraphProto.node
                op_type, domain, ins, node_outs = "", "", [], []
                for nfield, nwire, v in _proto_fields(value):
                    if nwire != 2:
                        continue
                    if nfield == 1:  # NodeProto.input
                        ins.append(bytes(v).decode("utf-8", "replace"))
                    elif nfield == 2:  # NodeProto.output
                        node_outs.append(bytes(v).decode("utf-8", "replace"))
                    elif nfield == 4:  # NodeProto.op_type
                        op_type = bytes(v).decode("utf-8", "replace")
                    elif nfield == 7:  # NodeProto.domain
                        domain = bytes(v).decode("utf-8", "replace")
                nodes.append((domain, op_type, ins))
                outs.append(node_outs)
            elif gfield in (5, 11):  # GraphProto.initializer (TensorProto), .input
                name_field = 8 if gfield == 5 else 1
                name, elem, rank = "", 0, None
                for f2, w2, v in _proto_fields(value):
                    if f2 == name_field and w2 == 2:
                        name = bytes(v).decode("utf-8", "replace")
                    elif gfield == 11 and f2 == 2 and w2 == 2:  # ValueInfoProto.type
                        for f3, w3, tt in _proto_fields(v):
                            if f3 != 1 or w3 != 2:  # TypeProto.tensor_type
                                continue
                            for f4, w4, v4 in _proto_fields(tt):
                                if f4 == 1 and w4 == 0:
                                    elem = v4
                                elif f4 == 2 and w4 == 2:  # shape
                                    rank = sum(1 for f5, _, _ in _proto_fields(v4) if f5 == 1)
                if gfield == 5:
                    inits.add(name)
                else:
                    inputs.append(name)
                    info[name] = (elem, rank)
    return {"nodes": nodes, "node_outputs": outs,
            "inputs": [i for i in inputs if i not in inits], "input_info": info}


def read_graph(model_path):
    """{"nodes": [(domain, op_type, [input names])], "inputs": [graph input names,
    initializers excluded, in order]} of the model's main graph, or None."""
    try:
        import onnx  # optional
    except ImportError:
        onnx = None
    if onnx is not None:
        try:
            g = onnx.load(model_path, load_external_data=False).graph
            inits = {t.name for t in g.initializer}
            info = {}
            for i in g.input:
                tt = i.type.tensor_type
                info[i.name] = (tt.elem_type,
                                len(tt.shape.dim) if tt.HasField("shape") else None)
            return {"nodes": [(n.domain, n.op_type, list(n.input)) for n in g.node],
                    "node_outputs": [list(n.output) for n in g.node],
                    "inputs": [i.name for i in g.input if i.name not in inits],
                    "input_info": info}
        except Exception:
            pass
    try:
        return _graph_wire(model_path)
    except Exception:
        return None


def node_ops(model_path):
    """The (domain, op_type) of every node of the model's main graph, or None."""
    g = read_graph(model_path)
    return None if g is None else [(d, op) for d, op, _ in g["nodes"]]


def op_label(domain, op_type):
    if domain in ("", "ai.onnx"):
        return op_type
    return domain + "." + op_type


def _norm(s):
    return s.replace("_", "").lower()


def attribute_ops(tests, data_dir):
    """Maps each test to the ONNX op it tests.

    A single-node model tests its node's op. A model with several nodes tests
    the node op whose name is the longest prefix of the test name (e.g.
    test_dynamicquantizelinear -> DynamicQuantizeLinear), else its first node's
    op. A function-expanded test (test_X_expanded: the op's function body,
    several primitive nodes) is attributed to the op of its sibling test_X.
    Without any readable model, the op is derived from the test name.
    """
    result = {}
    expanded = []
    for name in tests:
        if "_expanded" in name:
            expanded.append(name)
            continue
        ops = node_ops(os.path.join(data_dir, name, "model.onnx"))
        result[name] = _pick_op(name, ops)
    for name in expanded:
        sibling = name.replace("_expanded", "")
        if sibling in result:
            result[name] = result[sibling]
        else:
            ops = node_ops(os.path.join(data_dir, name, "model.onnx"))
            result[name] = _pick_op(sibling, ops)
    return result


def _pick_op(name, ops):
    base = _norm(name[len("test_"):] if name.startswith("test_") else name)
    if ops:
        if len(ops) == 1:
            return op_label(*ops[0])
        best = None
        for domain, op in ops:
            if base.startswith(op.lower()) and (best is None or len(op) > len(best[1])):
                best = (domain, op)
        return op_label(*(best or ops[0]))
    # Last resort: the test name up to its first underscore.
    stem = name[len("test_"):] if name.startswith("test_") else name
    return stem.split("_")[0]


# --------------------------------------------------------------------------
# Running one test

def _signal_name(rc):
    try:
        return signal.Signals(-rc).name
    except ValueError:
        return "signal %d" % -rc


def _first_line(text, pattern=None):
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if pattern is None or re.search(pattern, line):
            return line
    return ""


def _compile_reason(stderr, model_path):
    """A one-line reason from kilnc's diagnostics."""
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        if "error:" not in line:
            continue
        # Drop "kilnc: /path/model.onnx: " and keep from "error:" on.
        msg = line[line.index("error:"):].strip()
        if msg.endswith(":"):
            # A list follows (e.g. "unsupported operators (2):\n  LSTM (node #0)").
            items = []
            for more in lines[i + 1:]:
                if not more.startswith((" ", "\t")):
                    break
                items.append(re.sub(r"\s*\(node[^)]*\)", "", more.strip()))
            if items:
                msg += " " + ", ".join(items)
        return msg
    first = _first_line(stderr)
    return first or "no diagnostic"


def _sorted_inputs(folder):
    files = []
    for f in os.listdir(folder):
        m = re.fullmatch(r"input_(\d+)\.pb", f)
        if m:
            files.append((int(m.group(1)), os.path.join(folder, f)))
    return sorted(files)


def _data_sets(test_dir):
    sets = []
    for f in os.listdir(test_dir):
        m = re.fullmatch(r"test_data_set_(\d+)", f)
        if m and os.path.isdir(os.path.join(test_dir, f)):
            sets.append((int(m.group(1)), os.path.join(test_dir, f)))
    return [p for _, p in sorted(sets)]


_CONST_ERROR = re.compile(r"error: (\w+) (?:input (\d+)|inputs\b)[^\n]*must be (?:a )?constant")


# ONNX integer element types: shape-valued graph inputs have one of these.
_INT_TYPES = {2, 3, 4, 5, 6, 7, 12, 13}


def _shape_like_sources(name, graph, graph_inputs):
    """The graph inputs that value `name` is computed from, when they are all
    shape-like (integer tensors of rank 0 or 1): a function-expanded test
    computes a shape input (a Range's limit, a Pad's pads) from the graph
    input that the op's own test would take directly. Data inputs are never
    returned (binding them would fold the model's computation away); Shape
    and Size read only the static shape of theirs."""
    producer = {}
    for k, outs in enumerate(graph.get("node_outputs", [])):
        for o in outs:
            producer[o] = k
    found, seen, stack = set(), set(), [name]
    while stack:
        v = stack.pop()
        if v in seen or not v:
            continue
        seen.add(v)
        if v in graph_inputs:
            elem, rank = graph.get("input_info", {}).get(v, (0, None))
            if elem not in _INT_TYPES or rank is None or rank > 1:
                return set()
            found.add(v)
        elif v in producer:
            _, op_type, ins = graph["nodes"][producer[v]]
            if op_type not in ("Shape", "Size"):  # they read only shapes
                stack.extend(ins)
    return found


def _bindable_inputs(stderr, graph):
    """Graph inputs that kilnc asks to be constants ("Reshape input 1 (shape):
    must be a constant ...", "Range inputs: ... must be constants"): the
    op's inputs that are graph inputs, or the shape-like graph inputs they
    are computed from."""
    if graph is None:
        return set()
    graph_inputs = set(graph["inputs"])
    names = set()
    for m in _CONST_ERROR.finditer(stderr):
        op, idx = m.group(1), m.group(2)
        for _, op_type, ins in graph["nodes"]:
            if op_type != op:
                continue
            cands = [ins[int(idx)]] if idx is not None and int(idx) < len(ins) else \
                (ins if idx is None else [])
            for cand in cands:
                if cand in graph_inputs:
                    names.add(cand)
                else:
                    names.update(_shape_like_sources(cand, graph, graph_inputs))
    return names


def _run(cmd, timeout, merge_stderr=False):
    """subprocess.run in its own process group; on timeout the whole group
    (kilnc's linker children included) is killed and TimeoutExpired raised."""
    with subprocess.Popen(cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
                          errors="replace", start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            proc.communicate()
            raise
        return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _compile(args, model, lib, binds):
    """Runs kilnc; returns (None, stderr) on success, else (result fields, stderr)."""
    cmd = [args.kilnc, model, "-o", lib]
    for name, path in sorted(binds.items()):
        cmd.append("--bind-input=%s=%s" % (name, path))
    try:
        p = _run(cmd, COMPILE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"kind": "timeout", "reason": "compile timeout (%d s)" % COMPILE_TIMEOUT_S}, ""
    if p.returncode < 0:
        detail = _first_line(p.stderr, r"error|Assertion|LLVM ERROR|terminate")
        return {"kind": "crash", "reason": "kilnc crash with %s%s" % (
            _signal_name(p.returncode), (": " + detail[:200]) if detail else "")}, p.stderr
    if p.returncode != 0:
        return {"kind": "error", "reason": _compile_reason(p.stderr, model)[:300]}, p.stderr
    if not os.path.exists(lib):
        return {"kind": "error", "reason": "kilnc exited 0 but wrote no library"}, p.stderr
    return None, p.stderr


def run_test(name, args, workdir):
    """Returns a dict: name, passed, stage (compile/run), kind, reason, bound, seconds."""
    t0 = time.monotonic()
    test_dir = os.path.join(args.data_dir, name)
    model = os.path.join(test_dir, "model.onnx")
    lib = os.path.join(workdir, name + ".so")
    res = {"name": name, "passed": False, "stage": "compile", "kind": "", "reason": "",
           "bound": []}

    def done(**kw):
        res.update(kw)
        res["seconds"] = round(time.monotonic() - t0, 3)
        for f in (lib, os.path.join(workdir, name + ".h")):
            try:
                os.remove(f)
            except OSError:
                pass
        return res

    sets = _data_sets(test_dir)
    err, stderr = _compile(args, model, lib, {})
    bound = []  # graph inputs compiled as constants, by input position K
    graph = None
    if err and args.bind and sets and "must be" in stderr and "constant" in stderr:
        # kilnc compiles static graphs: a shape-valued input (Reshape's shape,
        # Slice's starts, ...) must be known at compile time. Bind the inputs it
        # asks for to the data set's values (kilnc --bind-input) and retry.
        graph = read_graph(model)
        names = set()
        for _ in range(4):
            new = _bindable_inputs(stderr, graph) - names
            if not new:
                break
            names |= new
            bound = sorted(graph["inputs"].index(n) for n in names)
            binds = {graph["inputs"][k]: os.path.join(sets[0], "input_%d.pb" % k)
                     for k in bound}
            if not all(os.path.exists(f) for f in binds.values()):
                break
            err2, stderr = _compile(args, model, lib, binds)
            if err2 is None:
                err = None
                break
            err2["reason"] = "(with %s bound) %s" % (",".join(sorted(names)), err2["reason"])
            err = err2
        res["bound"] = [graph["inputs"][k] for k in bound] if err is None else []
    if err:
        return done(**err)
    if not sets:
        return done(stage="run", kind="error", reason="no test_data_set_* folder")
    for i, ds in enumerate(sets):
        set_name = os.path.basename(ds)
        if bound and i > 0:
            # The bound values differ per data set: compile again with this set's.
            binds = {graph["inputs"][k]: os.path.join(ds, "input_%d.pb" % k) for k in bound}
            err, _ = _compile(args, model, lib, binds)
            if err:
                err["reason"] = "%s: %s" % (set_name, err["reason"])
                return done(**err)
        cmd = [args.kiln_run, lib]
        for k, inp in _sorted_inputs(ds):
            if k not in bound:
                cmd += ["-i", inp]
        cmd += ["--compare", ds, "--rtol", args.rtol, "--atol", args.atol]
        try:
            p = _run(cmd, RUN_TIMEOUT_S, merge_stderr=True)
        except subprocess.TimeoutExpired:
            return done(stage="run", kind="timeout",
                        reason="%s: run timeout (%d s)" % (set_name, RUN_TIMEOUT_S))
        if p.returncode < 0:
            return done(stage="run", kind="crash", reason="%s: kiln-run crash with %s" % (
                set_name, _signal_name(p.returncode)))
        if p.returncode == 1:
            detail = _first_line(p.stdout, r"MISMATCH|mismatch|differ|FAIL|not OK") \
                or _first_line(p.stdout)
            return done(stage="run", kind="mismatch",
                        reason="%s: mismatch: %s" % (set_name, detail[:240]))
        if p.returncode != 0:
            detail = _first_line(p.stdout, r"error|kiln-run:") or _first_line(p.stdout)
            detail = re.sub(r"^kiln-run:\s*", "", detail)
            return done(stage="run", kind="run-error",
                        reason="%s: kiln-run error (exit %d): %s" % (
                            set_name, p.returncode, detail[:240]))
    return done(passed=True, stage="run", kind="pass", reason="")


# --------------------------------------------------------------------------
# Expected-pass list

def read_expected(path):
    if not os.path.exists(path):
        return set()
    with open(path) as f:
        return {l.strip() for l in f if l.strip() and not l.lstrip().startswith("#")}


def write_expected(path, names):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        for n in sorted(names):
            f.write(n + "\n")


# --------------------------------------------------------------------------
# docs/onnx-ops.md

def categorize(r):
    """A short failure category for grouping (docs and --summary)."""
    reason, kind = r["reason"], r["kind"]
    m = re.match(r"\(with (\S+) bound\) ", reason)
    bound_note = ""
    if m:
        reason = reason[m.end():]
        bound_note = " (after binding inputs)"
    return _category(reason, kind) + bound_note


def _category(reason, kind):
    if "training-mode" in reason or "training_mode" in reason:
        return "training mode"
    m = re.search(r"unsupported operators? \(\d+\):? (.*)", reason)
    if m:
        return "unsupported op: " + m.group(1)
    m = re.search(r"error: (\w+) inputs?\b.*must be (a )?constants?", reason)
    if m:
        return "%s input not constant at compile time" % m.group(1)
    if "must be a constant" in reason:
        return "input not constant at compile time"
    m = re.search(r"opset (\d+) is not supported", reason)
    if m:
        return "old opset rejected (opset %s)" % m.group(1)
    if "opset_import" in reason:
        return "model imports no default ONNX opset"
    if re.search(r"elem_type 8\b|data type 8\b", reason):
        return "string tensors"
    if "only tensor inputs" in reason:
        return "sequence/optional inputs"
    if "holds uint16" in reason or ("is uint16" in reason and "bfloat16" in reason):
        return "bfloat16 test data stored as uint16 (kiln-run)"
    if kind == "mismatch":
        return "wrong results"
    if kind in ("crash", "timeout"):
        return kind
    if kind == "run-error":
        return "kiln-run error"
    msg = re.sub(r"^error:\s*", "", reason)
    return msg[:80]


def _abbrev(name, op):
    short = name[len("test_"):] if name.startswith("test_") else name
    return short


def failure_groups(results):
    """[(category, [test names])], the largest group first."""
    groups = {}
    for r in results:
        if not r["passed"]:
            groups.setdefault(categorize(r), []).append(r["name"])
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


SECTION_TAG = "newest-onnx-wheel"


def _section_markers():
    return "<!-- %s -->" % SECTION_TAG, "<!-- /%s -->" % SECTION_TAG


def _existing_section(path):
    """The marked section of an existing docs file, markers included, or ""."""
    begin, end = _section_markers()
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return ""
    i, j = text.find(begin), text.find(end)
    if i < 0 or j < i:
        return ""
    return text[i:j + len(end)]


def write_docs_section(path, results, args, static_line):
    """Writes this run's figures into the marked section of `path`."""
    begin, end = _section_markers()
    passed = sum(r["passed"] for r in results)
    groups = failure_groups(results)
    lines = [begin,
             "## Node tests of the newest onnx wheel",
             "",
             "<!-- Generated by test/onnx/run_newest_node_tests.sh; do not edit by hand. -->",
             "",
             "The onnx wheel ships the generators of its backend node tests but not "
             "their data; `test/onnx/run_newest_node_tests.sh` generates them "
             "(`test/onnx/generate_node_tests.py`) into `build/`, runs this runner "
             "over them and checks `test/onnx/expected_pass_newest.txt`. A test is "
             "*static* when every input of its graph (initializers excluded) is a "
             "tensor whose shape gives every dimension as a `dim_value`; the others "
             "take sequences, optionals or symbolic dimensions.",
             "",
             "**%s: %d of %d tests pass; %s.**" % (
                 args.label or "generated tests", passed, len(results),
                 static_line or "no static list given"),
             "",
             "Per-op table: [onnx-ops-newest.md](onnx-ops-newest.md).",
             ""]
    if groups:
        lines += ["| why the others fail | tests |", "| --- | --- |"]
        for cat, names in groups:
            lines.append("| %s | %d |" % (cat.replace("|", "\\|"), len(names)))
        lines.append("")
    lines.append(end)
    section = "\n".join(lines)
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        text = ""
    old = _existing_section(path)
    if old:
        text = text.replace(old, section)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    # The pointer under the page's own summary line.
    summary = next(l for l in section.splitlines() if l.startswith("**"))
    pointer = "Newest onnx wheel (section at the end of this page): " + summary
    lines = text.split("\n")
    at = [i for i, l in enumerate(lines) if l.startswith("Newest onnx wheel (section")]
    if at:
        lines[at[0]] = pointer
    else:
        top = [i for i, l in enumerate(lines) if re.match(r"\*\*\d+ of \d+ tests pass\*\*", l)]
        if top:
            lines[top[0] + 1:top[0] + 1] = ["", pointer]
    with open(path, "w") as f:
        f.write("\n".join(lines))


def write_docs(path, results, op_of, args):
    by_op = {}
    for r in results:
        by_op.setdefault(op_of[r["name"]], []).append(r)

    def counts(rs):
        return sum(r["passed"] for r in rs), len(rs)

    rows = []
    for op in sorted(by_op, key=lambda o: o.lower()):
        rs = sorted(by_op[op], key=lambda r: r["name"])
        direct = [r for r in rs if "_expanded" not in r["name"]]
        exp = [r for r in rs if "_expanded" in r["name"]]
        basis = direct or exp
        p, t = counts(basis)
        status = "supported" if p == t else ("partial" if p > 0 else "unsupported")
        ep, et = counts(exp)
        failing = [_abbrev(r["name"], op) for r in rs if not r["passed"]]
        cats = {}
        for r in rs:
            if not r["passed"]:
                c = categorize(r)
                cats[c] = cats.get(c, 0) + 1
        why = "; ".join("%s (%d)" % (c, n) if len(cats) > 1 else c
                        for c, n in sorted(cats.items(), key=lambda kv: -kv[1]))
        rows.append((op, counts(rs), (p, t), (ep, et), status, failing, why))

    total_p = sum(r["passed"] for r in results)
    n_sup = sum(1 for r in rows if r[4] == "supported")
    n_par = sum(1 for r in rows if r[4] == "partial")
    n_uns = sum(1 for r in rows if r[4] == "unsupported")

    def fmt_fail(names, limit=6):
        if not names:
            return ""
        shown = ", ".join(names[:limit])
        if len(names) > limit:
            shown += ", ... (+%d more)" % (len(names) - limit)
        return shown

    out = []
    out.append("# ONNX operator coverage")
    out.append("")
    out.append("<!-- Generated by test/onnx/run_node_tests.py --docs; do not edit by hand. -->")
    out.append("")
    newest = os.path.abspath(args.data_dir) != os.path.abspath(DEFAULT_DATA_DIR)
    out.append("This page is generated by the ONNX node-test runner from the ONNX backend node")
    if newest:
        out.append("tests that the installed onnx wheel (%s) generates (`test/onnx/generate_node_tests.py`," % (
            args.label or "newest"))
        out.append("%d tests)." % len(results))
    else:
        out.append("tests shipped in libonnx-testdata (`%s`, %d tests, opsets 1-17)." % (
            DEFAULT_DATA_DIR, len(results)))
    out.append("For each test the runner compiles `model.onnx` with `kilnc` to a shared library")
    out.append("and runs every `test_data_set_*` with `kiln-run ... --compare` (rtol %s, atol %s);" % (args.rtol, args.atol))
    out.append("a test passes only if it compiles and every data set matches. Regenerate with:")
    out.append("")
    out.append("```sh")
    if newest:
        out.append("test/onnx/run_newest_node_tests.sh --update-expected   # also refreshes")
        out.append("                                   # test/onnx/expected_pass_newest.txt")
    else:
        out.append("test/onnx/run_node_tests.py --docs            # add --update-expected to refresh")
        out.append("                                              # test/onnx/expected_pass.txt")
    out.append("```")
    out.append("")
    out.append("Each test is attributed to one op: the op of its single node; for a model with")
    out.append("several nodes, the node op the test is named after (else the first node's op);")
    out.append("a function-expanded test (`*_expanded`: the op's ONNX function body, made of")
    out.append("primitive ops) is counted under the op of its non-expanded sibling. The status")
    out.append("of an op is taken from its direct (non-expanded) tests: **supported** = all pass,")
    out.append("**partial** = some pass, **unsupported** = none pass. The expanded tests are")
    out.append("shown in their own column; they fail when any primitive op of the body fails.")
    out.append("")
    bound = [r for r in results if r["passed"] and r.get("bound")]
    out.append("kiln compiles static graphs, so an input that sets a shape (Reshape's `shape`,")
    out.append("Slice's `starts`, an `axes` input, ...) must be known at compile time. When kilnc")
    out.append("reports that an op input which is a graph input must be a constant, the runner")
    out.append("compiles again with that input (or the integer graph inputs of rank 0 or 1 that")
    out.append("it is computed from, as in function-expanded tests) bound to the data set's value")
    out.append("(`kilnc --bind-input NAME=input_K.pb`) and runs the model without it; `--no-bind`")
    out.append("turns this off. Such tests are listed at the end of this page.")
    out.append("")
    out.extend(UNDEFINED_RESULTS.strip("\n").splitlines())
    out.append("")
    out.append("**%d of %d tests pass** (%d of them with bound inputs). %d ops: %d supported, "
               "%d partial, %d unsupported." % (total_p, len(results), len(bound), len(rows),
                                                n_sup, n_par, n_uns))
    out.append("")
    kept = _existing_section(path)
    newest_line = next((l for l in kept.splitlines() if l.startswith("**")), "")
    if newest_line:
        out.append("Newest onnx wheel (section at the end of this page): " + newest_line)
        out.append("")
    out.append("| op | tests passed / total | direct | expanded | status | failing tests | why they fail |")
    out.append("| --- | --- | --- | --- | --- | --- | --- |")
    for op, (ap, at), (p, t), (ep, et), status, failing, why in rows:
        out.append("| %s | %d / %d | %d / %d | %s | %s | %s | %s |" % (
            op, ap, at, p, t, ("%d / %d" % (ep, et)) if et else "-", status,
            fmt_fail(failing), why.replace("|", "\\|")))
    out.append("")
    zero = [(op, at) for op, (ap, at), _, _, _, _, _ in rows if ap == 0]
    out.append("## Ops with zero passing tests (%d)" % len(zero))
    out.append("")
    if zero:
        out.append(", ".join("%s (%d)" % (op, at) for op, at in zero))
    else:
        out.append("None.")
    out.append("")
    groups = failure_groups(results)
    if groups:
        out.append("## Failing tests by reason")
        out.append("")
        out.append("| reason | tests |")
        out.append("| --- | --- |")
        for cat, names in groups:
            out.append("| %s | %d |" % (cat.replace("|", "\\|"), len(names)))
        out.append("")
    if bound:
        out.append("## Tests that pass with inputs bound at compile time (%d)" % len(bound))
        out.append("")
        for r in sorted(bound, key=lambda r: r["name"]):
            out.append("- %s (%s)" % (r["name"], ", ".join("`%s`" % b for b in r["bound"])))
        out.append("")
    # The newest-wheel section (written by another run) is kept.
    if kept:
        out.append(kept)
        out.append("")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(out))


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kilnc", default=os.path.join(REPO_ROOT, "build", "bin", "kilnc"),
                    help="the compiler (default: build/bin/kilnc of this repo)")
    ap.add_argument("--kiln-run", dest="kiln_run",
                    default=os.path.join(REPO_ROOT, "build", "bin", "kiln-run"),
                    help="the runner (default: build/bin/kiln-run of this repo)")
    ap.add_argument("--data-dir", default=DEFAULT_DATA_DIR,
                    help="the node tests (default %s)" % DEFAULT_DATA_DIR)
    ap.add_argument("-j", "--jobs", type=int, default=2, help="tests run at once (default 2)")
    ap.add_argument("--filter", help="only tests whose name matches this regex (re.search)")
    ap.add_argument("--expected", default=EXPECTED_FILE, help="expected-pass list")
    ap.add_argument("--update-expected", action="store_true",
                    help="rewrite the expected-pass list from this run's results "
                         "(with --filter, only the entries of the tests that ran change)")
    ap.add_argument("--docs", nargs="?", const=DOCS_FILE, metavar="FILE",
                    help="write the op coverage table (default docs/onnx-ops.md)")
    ap.add_argument("--json", metavar="FILE", help="write every test's result as JSON")
    ap.add_argument("--rtol", default=RTOL, help="relative tolerance (default %s)" % RTOL)
    ap.add_argument("--atol", default=ATOL, help="absolute tolerance (default %s)" % ATOL)
    ap.add_argument("--no-bind", dest="bind", action="store_false",
                    help="do not retry with shape-valued inputs bound to constants "
                         "(kilnc --bind-input) when kilnc asks for them")
    ap.add_argument("--summary", action="store_true",
                    help="also print the failing tests grouped by reason")
    ap.add_argument("--static-list", metavar="FILE",
                    help="a list of the tests whose graph inputs all have static "
                         "shapes (generate_node_tests.py writes static.txt): also "
                         "report how many of them pass")
    ap.add_argument("--docs-section", metavar="FILE",
                    help="write this run's figures into the section between "
                         "'<!-- %s -->' markers of FILE (docs/onnx-ops.md), "
                         "which --docs keeps" % SECTION_TAG)
    ap.add_argument("--label", default="",
                    help="names the test set in --docs-section (e.g. 'onnx 1.23.2')")
    ap.add_argument("-v", "--verbose", action="store_true", help="print passing tests too")
    args = ap.parse_args()

    for tool in (args.kilnc, args.kiln_run):
        if not os.access(tool, os.X_OK):
            print("run_node_tests: %s not found or not executable (build first: scripts/build.sh)"
                  % tool, file=sys.stderr)
            return 2
    if not os.path.isdir(args.data_dir):
        print("run_node_tests: no data dir %s (apt-get install libonnx-testdata)" % args.data_dir,
              file=sys.stderr)
        return 2
    tests = sorted(d for d in os.listdir(args.data_dir)
                   if d.startswith("test_")
                   and os.path.isfile(os.path.join(args.data_dir, d, "model.onnx")))
    if args.filter:
        rx = re.compile(args.filter)
        tests = [t for t in tests if rx.search(t)]
    if not tests:
        print("run_node_tests: no tests selected", file=sys.stderr)
        print("0 passed, 0 failed")
        return 0

    workdir = tempfile.mkdtemp(prefix="kiln-node-tests-")
    results = []
    lock = threading.Lock()
    progress = sys.stderr.isatty()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futs = {pool.submit(run_test, t, args, workdir): t for t in tests}
            for fut in concurrent.futures.as_completed(futs):
                name = futs[fut]
                try:
                    r = fut.result()
                except Exception as e:  # never die on one test
                    r = {"name": name, "passed": False, "stage": "runner", "kind": "runner",
                         "reason": "runner error: %r" % e, "seconds": 0}
                with lock:
                    results.append(r)
                    if progress:
                        print("\r[%d/%d] %s\033[K" % (len(results), len(tests), name),
                              end="", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        print("\nrun_node_tests: interrupted", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if progress:
        print("\r\033[K", end="", file=sys.stderr, flush=True)

    results.sort(key=lambda r: r["name"])
    passed = [r["name"] for r in results if r["passed"]]
    failed = [r for r in results if not r["passed"]]
    for r in failed:
        print("FAIL %s: %s" % (r["name"], r["reason"]))
    if args.verbose:
        for n in passed:
            print("PASS %s" % n)

    if args.summary:
        print("failing tests by reason:")
        for cat, names in failure_groups(results):
            shown = " ".join(names[:8]) + (" ..." if len(names) > 8 else "")
            print("  %4d  %s: %s" % (len(names), cat, shown))

    expected = read_expected(args.expected)
    ran = {r["name"] for r in results}
    regressions = [r for r in failed if r["name"] in expected]
    newly = [n for n in passed if n not in expected]
    all_tests = set(d for d in os.listdir(args.data_dir) if d.startswith("test_"))
    missing = sorted(n for n in expected if n not in all_tests)

    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)

    static_line = ""
    if args.static_list:
        static = read_expected(args.static_list)
        ran_static = [r for r in results if r["name"] in static]
        passed_static = sum(r["passed"] for r in ran_static)
        static_line = "%d of %d static-shape tests pass (%.1f%%)" % (
            passed_static, len(ran_static),
            100.0 * passed_static / max(1, len(ran_static)))
        print(static_line)

    if args.docs:
        op_of = attribute_ops([r["name"] for r in results], args.data_dir)
        write_docs(args.docs, results, op_of, args)
        print("wrote %s" % args.docs)
    if args.docs_section:
        write_docs_section(args.docs_section, results, args, static_line)
        print("wrote the %s section of %s" % (SECTION_TAG, args.docs_section))

    if args.update_expected:
        new_list = (expected - ran) | set(passed)
        dropped = sorted(expected & ran - set(passed))
        if dropped:
            print("removed from %s (now failing): %s" % (
                os.path.relpath(args.expected, REPO_ROOT), " ".join(dropped)))
        write_expected(args.expected, new_list)
        print("wrote %s (%d tests)" % (args.expected, len(new_list)))
    else:
        if newly:
            print("newly passing (%d, not in %s; add with --update-expected): %s" % (
                len(newly), os.path.relpath(args.expected, REPO_ROOT), " ".join(newly)))
        if missing:
            print("warning: %d expected tests not found in %s: %s" % (
                len(missing), args.data_dir, " ".join(missing)))
        if regressions:
            print("REGRESSIONS (%d tests in %s now fail):" % (
                len(regressions), os.path.relpath(args.expected, REPO_ROOT)))
            for r in regressions:
                print("  REGRESSION %s: %s" % (r["name"], r["reason"]))

    print("%d passed, %d failed" % (len(passed), len(failed)))
    if regressions and not args.update_expected:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
