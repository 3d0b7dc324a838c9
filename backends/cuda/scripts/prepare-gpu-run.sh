#!/usr/bin/env bash
# Prepares the GPU check on the build host (no GPU needed): builds the CUDA backend and what it
# depends on (PTX with nvcc when present), makes the slim bundle in .gpu/bundle (the project's
# ignored carry folder) with the stories260K models, checks that it stays under the 64 MiB a
# device transfer allows, and prints the command to run on the GPU host.
#
# When MODELS holds tiny-gpt-oss.gguf (78 MB) and its reference JSON, the model travels too: xz
# brings it to about 61 MiB, too much beside the 52 MiB bundle, so it is split in two. The larger
# part (.gpu/tinyB) goes first, in a short call of its own; the bundle goes second with the
# smaller part (.gpu/tinyA), and that call joins the parts before the check. Both calls must land
# on the same machine: make the second at once, before the first one's machine is given back.
# Usage (from the project root): backends/cuda/scripts/prepare-gpu-run.sh [MODELS]
set -euo pipefail
models=${1:-../shared/models}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
limit=$((64 * 1024 * 1024))
mvn -q -o -pl backends/cuda -am package -DskipTests
backends/cuda/scripts/make-bundle.sh .gpu/bundle --slim "$models"
rm -rf .gpu/tinyA .gpu/tinyB
check='.gpu/bundle/gpu-check.sh .gpu/bundle/jre/bin/java '"'"'.gpu/bundle/lib/*'"'"' .gpu/bundle/models "$OUT/cuda-check" 420'
if [ -f "$models/tiny-gpt-oss.gguf" ] && [ -f "$models/tiny-gpt-oss.reference.json" ]; then
  cp "$models/tiny-gpt-oss.reference.json" .gpu/bundle/models/
  mkdir -p .gpu/tinyA .gpu/tinyB
  xz -9e -T2 -c "$models/tiny-gpt-oss.gguf" > .gpu/tiny-gpt-oss.gguf.xz
  # What travels with each call besides the carried folders: the tracked files (and 1 MiB to spare).
  tree=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
  first=$((limit - $(du -sb .gpu/bundle | cut -f1) - tree - 1048576))
  head -c "$first" .gpu/tiny-gpt-oss.gguf.xz > .gpu/tinyA/part-a
  tail -c +$((first + 1)) .gpu/tiny-gpt-oss.gguf.xz > .gpu/tinyB/part-b
  rm .gpu/tiny-gpt-oss.gguf.xz
  if [ $(($(du -sb .gpu/tinyB | cut -f1) + tree)) -ge "$limit" ]; then
    echo "prepare-gpu-run: tiny-gpt-oss does not fit two transfers; run without it (remove .gpu/tinyA .gpu/tinyB)" >&2
    exit 1
  fi
  echo "prepare-gpu-run: tiny-gpt-oss.gguf in two xz parts (.gpu/tinyB first, .gpu/tinyA with the bundle)"
  echo "On the GPU host, first call (carry .gpu/tinyB):  nvidia-smi"
  echo "then at once, second call (carry .gpu/bundle and .gpu/tinyA):"
  echo "  cat .gpu/tinyA/part-a .gpu/tinyB/part-b | xz -dc > .gpu/bundle/models/tiny-gpt-oss.gguf; $check"
else
  echo "prepare-gpu-run: $models has no tiny-gpt-oss.gguf with its reference JSON: the check will skip it"
  echo "On the GPU host, from the project root (carry .gpu/bundle):"
  echo "  $check"
fi
bytes=$(du -sb .gpu/bundle .gpu/tinyA 2>/dev/null | awk '{ s += $1 } END { print s }')
if [ "$bytes" -ge "$limit" ]; then
  echo "prepare-gpu-run: .gpu/bundle is $bytes bytes, over the 64 MiB transfer limit" >&2
  exit 1
fi
echo "prepare-gpu-run: .gpu/bundle is $((bytes / 1048576)) MiB with what travels beside it (limit 64 MiB)"
