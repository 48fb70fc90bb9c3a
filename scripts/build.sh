#!/usr/bin/env bash
# Installs what is missing (apt, pip), configures build/ and builds kiln into it.
# Idempotent: a second run installs nothing and only rebuilds what changed.
#
#   scripts/build.sh            # install missing packages, configure, build
#   KILN_SKIP_INSTALL=1 scripts/build.sh    # only configure + build
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
  libfmt-dev libgtest-dev cmake python3
)
# pip package -> Python module that shows it is installed
PIP_PACKAGES=(onnx:onnx onnxruntime:onnxruntime numpy:numpy)

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

install_pip() {
  local missing=() entry pkg mod
  for entry in "${PIP_PACKAGES[@]}"; do
    pkg=${entry%%:*}
    mod=${entry##*:}
    python3 -c "import $mod" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "pip packages: all present ($(command -v python3))"
    return
  fi
  if ! python3 -m pip --version >/dev/null 2>&1; then
    log "python3 has no pip: installing python3-pip"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-pip
  fi
  log "installing pip packages for $(command -v python3): ${missing[*]}"
  local extra=()
  # Debian's own python3 refuses pip installs (PEP 668) unless told otherwise.
  if [ -e "$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')/EXTERNALLY-MANAGED" ]; then
    extra+=(--break-system-packages)
  fi
  if ! python3 -m pip install "${extra[@]}" "${missing[@]}"; then
    log "pip install failed; retrying with --user"
    python3 -m pip install --user "${extra[@]}" "${missing[@]}"
  fi
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
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir
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
  install_pip
fi
configure
build
log "done: tools in $BUILD_DIR/bin ($(ls "$BUILD_DIR/bin" 2>/dev/null | tr '\n' ' '))"
