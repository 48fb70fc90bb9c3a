#!/usr/bin/env bash
# test/e2e/builder/run.sh - networks written with the builder DSL
# (kiln/Builder.h, examples/models): each example writes its nn module
# (.mlirbc) and the same graph as ONNX (.onnx); kilnc compiles the module to
# a .so (and, for the small ones, a standalone executable), it runs, and the
# outputs are compared with ONNX Runtime running the .onnx
# (test/e2e/compare_ort.py --kiln-model):
#   max|kiln - ort| / max|ort| <= 1e-4.
# The shared library of each network is also compiled with each
# convolution algorithm forced (kilnc --conv-algorithm=direct|winograd|im2col,
# on every layer that allows it: "so/direct", "so/winograd", "so/im2col");
# "so" is the cost model's choice per layer.
#
#   test/e2e/builder/run.sh [NAME...]   (after: ninja -C build)
#
# Every network is checked at its paper's size (VGG-16 with its 138M
# weights included); measured on the 2-core VM: about 3 minutes, at most
# 4.3 GB.
#
# Prints "PASS name ..." or "FAIL name ..." per model and "N passed, M
# failed"; exits non-zero when any failed. Files go to build/e2e-builder/.
set -uo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
BIN=$ROOT/build/bin
WORK=${KILN_E2E_BUILDER_DIR:-$ROOT/build/e2e-builder}
source "$ROOT/scripts/python-env.sh" || exit 2
PY=$PYTHON
# NAME  KINDS (so: shared library through kiln-run; exe: standalone)
MODELS="
lenet5      so,exe
layers      so,exe
alexnet     so
vgg16       so
googlenet   so
resnet18    so
resnet50    so
resnext50   so
mobilenetv2 so
densenet121 so
fcn         so
segnet      so
rnn         so,exe
lstm        so
gru         so
c3d         so
dcgan       so
maxout      so,exe
"
selected=("$@")
rm -rf "$WORK"
mkdir -p "$WORK"
passed=0
failed=0
while read -r model kinds; do
  [ -z "$model" ] && continue
  if [ ${#selected[@]} -gt 0 ] && [[ ! " ${selected[*]} " == *" $model "* ]]; then
    continue
  fi
  exe=$BIN/kiln-model-$model
  dir=$WORK/$model
  mkdir -p "$dir"
  if [ ! -x "$exe" ]; then
    echo "FAIL $model: $exe is not built"
    failed=$((failed + 1))
    continue
  fi
  if ! "$exe" "$dir/$model" > "$dir/build.log" 2>&1; then
    echo "FAIL $model: $exe failed: $(tail -1 "$dir/build.log")"
    failed=$((failed + 1))
    continue
  fi
  for variant in ${kinds//,/ } so/direct so/winograd so/im2col; do
    kind=${variant%%/*}
    algorithm=${variant#*/}
    extra=()
    [ "$algorithm" != "$variant" ] &&
      extra=(--kilnc-arg=--conv-algorithm="$algorithm")
    log=$dir/compare_${variant//\//_}.log
    out=$("$PY" "$ROOT/test/e2e/compare_ort.py" "$dir/$model.onnx" \
      --kiln-model "$dir/$model.mlirbc" --kind "$kind" "${extra[@]}" \
      --workdir "$dir/run_${variant//\//_}" 2>&1)
    status=$?
    echo "$out" > "$log"
    if [ $status = 0 ]; then
      passed=$((passed + 1))
      echo "PASS $model [$variant] ${out##*max rel err }"
    else
      failed=$((failed + 1))
      echo "FAIL $model [$variant]"
      sed 's/^/    /' "$log"
    fi
  done
  # The models are large; keep only the logs.
  rm -rf "$dir"/*.onnx "$dir"/*.mlirbc "$dir"/run_*
done <<< "$MODELS"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
