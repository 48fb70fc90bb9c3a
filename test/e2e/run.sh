#!/usr/bin/env bash
# test/e2e/run.sh - kiln's end-to-end tests: real models and small operator
# models compiled with kilnc and compared with ONNX Runtime, every output
# kind linked and run, and the embed-c example.
#
#   test/e2e/run.sh [-v] [PATTERN]
#
# PATTERN (a grep -E regex) selects tests by name; -v prints the log of each
# failing test. Each test prints one line, "PASS name detail" or
# "FAIL name detail"; the last line is "N passed, M failed"; the exit status
# is non-zero when any test failed. Logs and files go to build/e2e/ (or
# $KILN_E2E_DIR), which is wiped first.
#
# Criterion for numbers (compare_ort.py): for each output,
#   max|kiln - ort| / max|ort| <= 1e-4, ORT with graph optimizations off.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
E2E=$ROOT/test/e2e
WORK=${KILN_E2E_DIR:-$ROOT/build/e2e}
source "$ROOT/scripts/python-env.sh" || exit 2
PY=$PYTHON
VERBOSE=0
PATTERN=
for arg in "$@"; do
  case $arg in
    -v) VERBOSE=1 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) PATTERN=$arg ;;
  esac
done

rm -rf "$WORK"
mkdir -p "$WORK/models" "$WORK/logs" "$WORK/runs"
passed=0
failed=0
failed_names=()
start_all=$(date +%s)

selected() { [ -z "$PATTERN" ] || echo "$1" | grep -Eq -- "$PATTERN"; }

# record NAME STATUS DETAIL
record() {
  if [ "$2" = 0 ]; then
    passed=$((passed + 1))
    echo "PASS $1 $3"
  else
    failed=$((failed + 1))
    failed_names+=("$1")
    echo "FAIL $1 $3"
    if [ "$VERBOSE" = 1 ]; then sed 's/^/    /' "$WORK/logs/$1.log"; fi
  fi
}

# check NAME CMD... : runs CMD, logs to logs/NAME.log; the detail is the
# log's last line without compare_ort.py's "PASS file [kind]" prefix.
check() {
  local name=$1
  shift
  selected "$name" || return 0
  local log=$WORK/logs/$name.log
  "$@" >"$log" 2>&1
  local rc=$?
  local detail
  detail=$(grep -v '^\s*$' "$log" | tail -n 1 |
           sed -E 's/^(PASS|FAIL) ([^ ]+ \[[a-z]+\] )?//')
  [ "$rc" = 0 ] || [ -n "$detail" ] || detail="exit $rc"
  record "$name" "$rc" "$detail"
}

# compare NAME MODEL [compare_ort.py options]
compare() {
  local name=$1 model=$2
  shift 2
  check "$name" "$PY" "$E2E/compare_ort.py" "$model" \
    --workdir "$WORK/runs/$name" "$@"
}

for tool in kilnc kiln-run; do
  if [ ! -x "$ROOT/build/bin/$tool" ]; then
    echo "FAIL setup build/bin/$tool is missing: run scripts/build.sh"
    echo "0 passed, 1 failed"
    exit 1
  fi
done

# ---- Models --------------------------------------------------------------
M=$WORK/models
NEWEST=$("$PY" -c 'import onnx; print(onnx.defs.onnx_opset_version())')
gen() { # gen FILE SCRIPT ARGS... : writes a model once, logs a failure
  [ -f "$1" ] && return 0
  local out=$1
  shift
  "$PY" "$@" "$out" >"$WORK/logs/gen-$(basename "$out" .onnx).log" 2>&1 ||
    echo "     (model generation failed: see logs/gen-$(basename "$out" .onnx).log)"
}

for opset in 7 11 13 "$NEWEST"; do
  name=lenet5-opset$opset
  selected "$name" || continue
  gen "$M/lenet5_opset$opset.onnx" models/make_lenet5.py --opset "$opset"
  compare "$name" "$M/lenet5_opset$opset.onnx"
done
if selected lenet5-relu-maxpool; then
  gen "$M/lenet5_relu_max.onnx" models/make_lenet5.py --act relu --pool max
  compare lenet5-relu-maxpool "$M/lenet5_relu_max.onnx" --seed 1
fi
if selected resnet18-opset13; then
  gen "$M/resnet18.onnx" models/make_resnet18.py --opset 13
  compare resnet18-opset13 "$M/resnet18.onnx"
fi
# As torch.onnx.export writes it (symbolic batch fixed with --input-shape,
# Constant nodes, Identity-wrapped weights), weights in an external file.
if selected resnet18-torch-export; then
  mkdir -p "$M/torch"
  gen "$M/torch/resnet18.onnx" models/make_resnet18.py --opset 17 \
    --torch-export --external-data
  compare resnet18-torch-export "$M/torch/resnet18.onnx" \
    --input-shape input=1x3x224x224
fi

# ---- Small operator models -------------------------------------------------
OPS=$WORK/models/ops
"$PY" "$E2E/make_op_models.py" "$OPS" >"$WORK/logs/gen-op-models.log" 2>&1 ||
  echo "     (make_op_models.py failed: see logs/gen-op-models.log)"
for name in $("$PY" "$E2E/make_op_models.py" --list); do
  compare "op-$name" "$OPS/$name.onnx"
done

# ---- Output kinds: .a and .o linked into a C program, executable ------------
# (compare_ort.py --kind: see its header; the model is LeNet-5, opset 13)
gen "$M/lenet.onnx" models/make_lenet5.py --opset 13
compare kind-static-lib-a "$M/lenet.onnx" --kind a
compare kind-object-o "$M/lenet.onnx" --kind o
compare kind-executable "$M/lenet.onnx" --kind exe

# ---- The embed-c example ------------------------------------------------------
embed_c() {
  local dir=$WORK/runs/embed-c
  KILN_EXAMPLE_OUT=$dir bash examples/embed-c/run.sh --runs 1 \
    --save-input "$dir/input.raw" --save-scores "$dir/scores.raw" || return 1
  "$PY" "$E2E/check_raw.py" "$dir/classifier.onnx" "$dir/input.raw" \
    "$dir/scores.raw" --topk 5
}
check example-embed-c embed_c

# ---- Summary -------------------------------------------------------------
echo "(e2e: $(($(date +%s) - start_all)) s; logs in ${WORK#"$ROOT"/}/logs)"
if [ "$failed" -gt 0 ]; then
  echo "failed: ${failed_names[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
