#!/usr/bin/env bash
# Compiles every CUDA kernel (src/main/cuda/*.cu, one op per file) to PTX for compute_75 (Turing;
# the driver JIT-compiles it for Turing and every newer GPU) into OUT_DIR, and checks that ptxas
# accepts each module for sm_75 and sm_90. Run by the Maven build (process-resources), so the
# packaged jar holds freshly built PTX; without nvcc it says so and the jar keeps the committed
# PTX (src/main/resources/io/inferlab/cuda/ptx). Usage: build-ptx.sh SRC_DIR OUT_DIR
set -euo pipefail
src=${1:?source dir}
out=${2:?output dir}
if ! command -v nvcc >/dev/null 2>&1; then
  echo "[cuda] nvcc not found on PATH: SKIPPED compiling the CUDA kernels; the jar packages the committed PTX"
  exit 0
fi
mkdir -p "$out"
echo "[cuda] compiling $(ls "$src"/*.cu | wc -l) CUDA kernels to PTX (compute_75) with $(nvcc --version | tail -1)"
compile() {
  local cu=$1 out=$2 name
  name=$(basename "$cu" .cu)
  nvcc -ptx -arch=compute_75 -I"$(dirname "$cu")" -o "$out/$name.ptx" "$cu"
  for sm in sm_75 sm_90; do
    ptxas -arch=$sm -o /dev/null "$out/$name.ptx"
  done
}
export -f compile
ls "$src"/*.cu | xargs -P "$(nproc)" -I{} bash -c 'compile "$1" "$2"' _ {} "$out"
echo "[cuda] PTX built and accepted by ptxas for sm_75 and sm_90 into $out"
