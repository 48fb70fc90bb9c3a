#!/usr/bin/env bash
# The ONNX backend node tests of the newest onnx wheel (the installed `onnx`
# Python package), which ships their generators but not their data:
#
#   1. test/onnx/generate_node_tests.py writes them into
#      build/onnx-node-tests-<onnx version>/node (once per version; `onnx`'s
#      own `python3 -m onnx.backend.test.cmd_tools generate-data -o DIR`
#      writes only the model tests, not node/);
#   2. test/onnx/run_node_tests.py runs them against
#      test/onnx/expected_pass_newest.txt (a test listed there that fails is
#      a regression: exit 1) and reports how many of the *static* tests pass:
#      those whose graph inputs (initializers excluded) are all tensors with
#      every dimension a dim_value (the list is the generator's static.txt).
#
# Usage: test/onnx/run_newest_node_tests.sh [-j N] [--update-expected] [more
#        run_node_tests.py options, e.g. --filter REGEX]
# With --update-expected the expected list, docs/onnx-ops-newest.md (the
# per-op table) and the newest-wheel section of docs/onnx-ops.md are
# rewritten. Runs in the project's Python environment (scripts/python-env.sh),
# whose pinned onnx decides which tests exist and what they expect.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

source scripts/python-env.sh || exit 2
PY=$PYTHON
version=$("$PY" -c 'import onnx; print(onnx.__version__)') || exit 2
data=build/onnx-node-tests-$version/node
if [ ! -f "$data/STAMP" ]; then
  echo "run_newest_node_tests: generating the node tests of onnx $version into $data"
  "$PY" test/onnx/generate_node_tests.py -o "$data" || exit 2
fi

update=0
jobs=2
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --update-expected) update=1 ;;
    -j) jobs=$2; shift ;;
    -j*) jobs=${1#-j} ;;
    *) args+=("$1") ;;
  esac
  shift
done

run=("$PY" test/onnx/run_node_tests.py --data-dir "$data" -j "$jobs"
     --expected test/onnx/expected_pass_newest.txt
     --static-list "$data/static.txt" --label "onnx $version")
if [ "$update" -eq 1 ]; then
  run+=(--update-expected --docs docs/onnx-ops-newest.md
        --docs-section docs/onnx-ops.md)
fi
exec "${run[@]}" "${args[@]+"${args[@]}"}"
