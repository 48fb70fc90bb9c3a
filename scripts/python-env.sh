# Sourced by the project's scripts (bash): puts the project's own Python
# environment, .venv/ (made by scripts/build.sh from requirements.txt), first
# on PATH, so that `python3` in every script, test runner and example is the
# pinned one and never another Python's packages.
#
#   source scripts/python-env.sh      # then: python3 bench/bench.py ...
KILN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KILN_VENV=${KILN_VENV:-$KILN_ROOT/.venv}
if [ ! -x "$KILN_VENV/bin/python3" ]; then
  echo "kiln: no Python environment at $KILN_VENV: run scripts/build.sh first" >&2
  return 1 2>/dev/null || exit 1
fi
export VIRTUAL_ENV=$KILN_VENV
export PATH=$KILN_VENV/bin:$PATH
export PYTHON=$KILN_VENV/bin/python3
export KILN_TEST_PYTHON=$PYTHON
unset PYTHONHOME PYTHONPATH
