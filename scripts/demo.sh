#!/usr/bin/env bash
# The kiln demo: builds kiln, then compiles the example model shipped in
# examples/embed-c/ to a library and runs it from a small C program.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
source scripts/python-env.sh

if [ -f examples/embed-c/run.sh ]; then
  exec bash examples/embed-c/run.sh "$@"
fi
echo "demo.sh: examples/embed-c/run.sh is not there yet: nothing to demo." >&2
echo "demo.sh: meanwhile, try: build/bin/kilnc MODEL.onnx -o model.so && build/bin/kiln-run model.so -i input_0.pb" >&2
exit 1
