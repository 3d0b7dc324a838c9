#!/usr/bin/env bash
# Runs the InferLab CUDA check on a host with an NVIDIA GPU, from a self-contained bundle: no
# Maven, no JDK install, no network needed. It prints the device, runs every CUDA kernel against
# the scalar reference (the mixture-of-experts kernels included), the cuda backend's logits against
# the scalar oracle (random llama models in F32/F16/Q8_0/Q4_0 and the stories260K files), greedy
# stories260K text against the reference, gpt-oss on the device (generated gpt-oss models with
# MXFP4 experts against the cpu backend, greedy tokens, memory plan and release; tiny-gpt-oss.gguf
# against its float64 reference when MODELS holds it and tiny-gpt-oss.reference.json), a short
# pp128/tg64 benchmark (cuda and cpu) and MXFP4 decode on a generated ~1B gpt-oss model, then
# writes OUT/report.md and OUT/report.json.
#
# Usage: gpu-check.sh JAVA JAR MODELS OUT [TIME_LIMIT_S] [-- extra CudaCheck options]
#   JAVA   a java binary of JDK 25 (a jlink runtime works: see below)
#   JAR    harness/cli/target/inferlab.jar (the runnable jar; it contains the CUDA backend), or a
#          class path such as 'bundle/lib/*' (see make-bundle.sh --slim)
#   MODELS a folder with stories260K.gguf (copy ../shared/models/stories260K*.gguf into it), and
#          optionally tiny-gpt-oss.gguf with tiny-gpt-oss.reference.json
#   OUT    where the report goes
#   TIME_LIMIT_S  default 300; the check is killed after it (exit 124)
# Extra options after --, e.g. "-- --bench 110m,1b", "-- --bench none" or "-- --no-gpt-oss-bench".
# Exit status: 0 all checks passed, 1 a check failed or no CUDA device, 2 bad usage, 124 timed out.
#
# Making the bundle (on the build host, once): backends/cuda/scripts/make-bundle.sh BUNDLE_DIR
# (a jlink runtime of ~49 MB, the runnable jar, this script and the stories260K models); then on
# the GPU host: BUNDLE_DIR/gpu-check.sh BUNDLE_DIR/jre/bin/java BUNDLE_DIR/inferlab.jar BUNDLE_DIR/models out
#
# tiny-gpt-oss.gguf (78 MB) does not fit a 64 MiB transfer next to the runtime: without it the
# check says so in the report's notes and relies on the generated gpt-oss models. Where transfers
# are limited, prepare-gpu-run.sh sends it compressed in two parts, and prints how to join them
# into MODELS next to tiny-gpt-oss.reference.json.
set -uo pipefail
if [ $# -lt 4 ]; then
  sed -n '2,30p' "$0" >&2
  exit 2
fi
java=$1 jar=$2 models=$3 out=$4
shift 4
limit=300
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
  limit=$1
  shift
fi
[ "${1:-}" = "--" ] && shift
[ -x "$java" ] || { echo "gpu-check: $java is not an executable java binary" >&2; exit 2; }
case "$jar" in
  *'*'*|*:*) ;; # a class path (e.g. "lib/*") rather than the runnable jar
  *) [ -f "$jar" ] || { echo "gpu-check: $jar not found" >&2; exit 2; } ;;
esac
[ -d "$models" ] || { echo "gpu-check: models folder $models not found" >&2; exit 2; }
mkdir -p "$out"
echo "gpu-check: $("$java" -version 2>&1 | head -1); limit ${limit}s"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
timeout --kill-after=10 "$limit" "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -Xmx16g -cp "$jar" io.inferlab.cuda.check.CudaCheck --models "$models" --out "$out" "$@" 2>&1 | tee "$out/check.log"
rc=${PIPESTATUS[0]}
[ "$rc" = 124 ] && echo "gpu-check: TIMED OUT after ${limit}s (partial log in $out/check.log)"
echo "gpu-check: exit $rc; report in $out/report.md"
exit "$rc"
