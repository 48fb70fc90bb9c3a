#!/usr/bin/env bash
# test/e2e/builder/run.sh - networks written with the builder DSL
# (kiln/Builder.h, examples/models): each example writes its nn module
# (.mlir) and the same graph as ONNX (.onnx); kilnc compiles the .mlir to a
# .so, kiln-run runs it, and the outputs are compared with ONNX Runtime
# running the .onnx (test/e2e/compare_ort.py --kiln-model):
#   max|kiln - ort| / max|ort| <= 1e-4.
#
#   test/e2e/builder/run.sh        (after building: ninja -C build)
#
# Prints "PASS name ..." or "FAIL name ..." per model and "N passed, M
# failed"; exits non-zero when any failed. Files go to build/e2e-builder/.
set -uo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
BIN=$ROOT/build/bin
WORK=${KILN_E2E_BUILDER_DIR:-$ROOT/build/e2e-builder}
PY=${PYTHON:-python3}
rm -rf "$WORK"
mkdir -p "$WORK"
passed=0
failed=0
for model in lenet5 layers; do
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
  for kind in so exe; do
    out=$("$PY" "$ROOT/test/e2e/compare_ort.py" "$dir/$model.onnx" \
      --kiln-model "$dir/$model.mlir" --kind "$kind" \
      --workdir "$dir/run_$kind" 2>&1)
    status=$?
    echo "$out" > "$dir/compare_$kind.log"
    if [ $status = 0 ]; then
      passed=$((passed + 1))
      echo "PASS $model [$kind] ${out##*max rel err }"
    else
      failed=$((failed + 1))
      echo "FAIL $model [$kind]"
      sed 's/^/    /' "$dir/compare_$kind.log"
    fi
  done
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
