#!/usr/bin/env bash
# Prepares the GPU check on the build host (no GPU needed): builds the CUDA backend and what it
# depends on (PTX with nvcc when present), makes the slim bundle in .gpu/bundle (the project's
# ignored carry folder) with the stories260K models, checks that it stays under the 64 MiB a
# device transfer allows, and prints the command to run on the GPU host.
# Usage (from the project root): backends/cuda/scripts/prepare-gpu-run.sh [MODELS]
set -euo pipefail
models=${1:-../shared/models}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -q -o -pl backends/cuda -am package -DskipTests
backends/cuda/scripts/make-bundle.sh .gpu/bundle --slim "$models"
bytes=$(du -sb .gpu/bundle | cut -f1)
limit=$((64 * 1024 * 1024))
if [ "$bytes" -ge "$limit" ]; then
  echo "prepare-gpu-run: .gpu/bundle is $bytes bytes, over the 64 MiB transfer limit" >&2
  exit 1
fi
echo "prepare-gpu-run: .gpu/bundle is $((bytes / 1048576)) MiB (limit 64 MiB)"
echo "On the GPU host, from the project root (carry .gpu/bundle):"
echo "  .gpu/bundle/gpu-check.sh .gpu/bundle/jre/bin/java '.gpu/bundle/lib/*' .gpu/bundle/models \"\$OUT/cuda-check\" 420"
