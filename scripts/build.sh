#!/usr/bin/env bash
# Installs what is missing (apt packages; the pinned Python packages of
# requirements.txt into .venv/), configures build/ and builds kiln into it.
# Idempotent: a second run installs nothing and only rebuilds what changed.
#
#   scripts/build.sh            # install missing packages, configure, build
#   KILN_SKIP_INSTALL=1 scripts/build.sh    # no apt; .venv/, configure, build
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD_DIR=${KILN_BUILD_DIR:-$ROOT/build}

log() { echo "build.sh: $*"; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  SUDO=(sudo)
fi

APT_PACKAGES=(
  llvm-22-dev libmlir-22-dev mlir-22-tools clang-22 lld-22 libomp-22-dev
  ninja-build ccache
  libprotobuf-dev protobuf-compiler libonnx-dev libonnx-testdata
  libfmt-dev libgtest-dev cmake python3 python3-venv
  ca-certificates  # pip reaches PyPI over TLS
)
# Python, for tests, test-data generation, examples and benchmarks only: the
# project's own virtual environment (.venv/, from Debian's python3) with
# exactly the packages pinned in requirements.txt. It never touches, or
# depends on, the packages of any other Python on the machine.
VENV=${KILN_VENV:-$ROOT/.venv}
REQUIREMENTS=$ROOT/requirements.txt

install_apt() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  # util-linux provides flock (used below); it is essential on Debian, but check.
  command -v flock >/dev/null 2>&1 || missing+=(util-linux)
  if [ ${#missing[@]} -eq 0 ]; then
    log "apt packages: all present"
    return
  fi
  log "installing apt packages: ${missing[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

install_python_env() {
  # The stamp is the requirements list the environment was made from: when
  # the pins change, the environment is made again from nothing, so no
  # package of an older list stays behind.
  if [ -x "$VENV/bin/python3" ] && cmp -s "$REQUIREMENTS" "$VENV/kiln-requirements.txt"; then
    log "python environment: up to date ($VENV)"
    return
  fi
  log "making the python environment $VENV from requirements.txt"
  rm -rf "$VENV"
  /usr/bin/python3 -m venv "$VENV"
  # --no-deps: the list names every package, dependencies included; pip
  # check then proves that it is complete and consistent.
  "$VENV/bin/python3" -m pip install --quiet --disable-pip-version-check \
    --no-deps --require-virtualenv -r "$REQUIREMENTS"
  "$VENV/bin/python3" -m pip check
  cp "$REQUIREMENTS" "$VENV/kiln-requirements.txt"
}

configure() {
  if [ -f "$BUILD_DIR/CMakeCache.txt" ] && [ -f "$BUILD_DIR/build.ninja" ]; then
    log "build dir $BUILD_DIR already configured"
    return
  fi
  log "configuring $BUILD_DIR"
  cmake -G Ninja -S "$ROOT" -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 \
    -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DLLVM_USE_LINKER=lld \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DKILN_TEST_PYTHON="$VENV/bin/python3"
}

build() {
  local jobs
  jobs=$(nproc 2>/dev/null || echo 2)
  log "building with ninja -j$jobs"
  # Serialize with other builds of this tree on a shared machine.
  flock /tmp/kiln-build.lock ninja -C "$BUILD_DIR" -j"$jobs"
}

if [ "${KILN_SKIP_INSTALL:-0}" != 1 ]; then
  install_apt
fi
install_python_env
configure
build
log "done: tools in $BUILD_DIR/bin ($(ls "$BUILD_DIR/bin" 2>/dev/null | tr '\n' ' '))"
