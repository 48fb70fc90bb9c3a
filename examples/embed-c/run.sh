#!/usr/bin/env bash
# examples/embed-c/run.sh - compile an ONNX classifier with kilnc and run it
# from a small C program.
#
#   examples/embed-c/run.sh [IMAGE.raw|IMAGE.ppm] [--runs N] ...
#
# Arguments go to the C program (see main.c). Everything it makes lands in
# build/examples/embed-c/.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${KILN_EXAMPLE_OUT:-$ROOT/build/examples/embed-c}
KILNC=${KILNC:-$ROOT/build/bin/kilnc}
CC=${CC:-clang-22}
source "$ROOT/scripts/python-env.sh"
mkdir -p "$OUT"

if [ -t 1 ]; then
  step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
else
  step() { printf '\n==> %s\n' "$*"; }
fi

step "1/4  Make the model (a narrow ResNet, 1000 classes, seeded weights)"
"$PYTHON" "$HERE/make_model.py" "$OUT/classifier.onnx"

step "2/4  Compile it: kilnc classifier.onnx -o classifier.so"
start=$(date +%s%N)
"$KILNC" "$OUT/classifier.onnx" -o "$OUT/classifier.so"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
printf 'wrote %s (%d KB) and its header %s in %d.%01d s\n' \
  "${OUT#"$ROOT"/}/classifier.so" "$(( $(stat -c %s "$OUT/classifier.so") / 1024 ))" \
  "classifier.h" $((ms / 1000)) $(((ms % 1000) / 100))

step "3/4  Build the C program against it: $CC main.c classifier.so"
"$CC" -std=c11 -O2 -Wall -Wextra -I "$OUT" "$HERE/main.c" "$OUT/classifier.so" \
  -Wl,-rpath,'$ORIGIN' -lm -o "$OUT/classify"
echo "wrote ${OUT#"$ROOT"/}/classify"

step "4/4  Run it: classify $*"
"$OUT/classify" "$@"
