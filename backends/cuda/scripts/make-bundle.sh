#!/usr/bin/env bash
# Builds the self-contained bundle the GPU check runs from on a host with no JDK and no network:
#   BUNDLE/jre          a jlink runtime of JDK 25 (~49 MB: the modules the check and the backends use)
#   BUNDLE/inferlab.jar the runnable jar (harness/cli/target/inferlab.jar, built beforehand with
#                       `mvn -pl harness/cli -am package -DskipTests`), or with --slim BUNDLE/lib/*.jar:
#                       only the jars the check needs (api, engine, datasets, cpu, cuda, JCuda, Jackson),
#                       ~5 MB instead of ~38 MB, for transfers with a size limit
#   BUNDLE/gpu-check.sh the check's launcher
#   BUNDLE/models       stories260K*.gguf from MODELS (default ../shared/models beside the project), and
#                       with --tiny-gpt-oss also tiny-gpt-oss.gguf and its reference JSON (78 MB more: the
#                       bundle then exceeds a 64 MiB transfer; gpu-check.sh says how to send it in parts)
# Usage (from the project root): backends/cuda/scripts/make-bundle.sh BUNDLE [--slim] [--tiny-gpt-oss] [MODELS]
set -euo pipefail
bundle=$(realpath -m "${1:?bundle dir}")
shift
slim=false
tiny=false
if [ "${1:-}" = "--slim" ]; then slim=true; shift; fi
if [ "${1:-}" = "--tiny-gpt-oss" ]; then tiny=true; shift; fi
models=${1:-../shared/models}
java_home=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
m2=${M2_REPO:-$HOME/.m2/repository}
rm -rf "$bundle"
mkdir -p "$bundle/models"
# java.sql and java.xml: optional parts of Jackson; the rest: the JVM, the Vector API, JCuda's loader.
"$java_home/bin/jlink" --add-modules java.base,java.logging,java.sql,java.xml,jdk.unsupported,jdk.incubator.vector \
  --strip-debug --no-header-files --no-man-pages --compress zip-9 --output "$bundle/jre"
if $slim; then
  mkdir -p "$bundle/lib"
  cp backends/api/target/inferlab-api-*-SNAPSHOT.jar backends/engine/target/inferlab-engine-*-SNAPSHOT.jar \
     backends/cpu/target/inferlab-backend-cpu-*-SNAPSHOT.jar backends/cuda/target/inferlab-backend-cuda-*-SNAPSHOT.jar \
     datasets/target/inferlab-datasets-*-SNAPSHOT.jar "$bundle/lib/"
  rm -f "$bundle"/lib/*-tests.jar
  jackson=$(sed -n 's:.*<jackson.version>\(.*\)</jackson.version>.*:\1:p' pom.xml)
  jcuda=$(sed -n 's:.*<jcuda.version>\(.*\)</jcuda.version>.*:\1:p' pom.xml)
  # JCuda's natives jar without the libraries we never load (NVRTC, nvPTXCompiler, runtime API):
  # the backend uses the driver API only, so libJCudaDriver is all it needs (24 MB less).
  natives=$(mktemp -d)
  (cd "$natives" && "$java_home/bin/jar" xf "$m2/org/jcuda/jcuda-natives/$jcuda/jcuda-natives-$jcuda-linux-x86_64.jar" \
     && rm -f lib/libJNvPTXCompiler-* lib/libJNvrtc-* lib/libJCudaRuntime-* \
     && "$java_home/bin/jar" cf "$bundle/lib/jcuda-natives-$jcuda-linux-x86_64-driver-only.jar" -C "$natives" lib)
  rm -rf "$natives"
  cp "$m2/org/jcuda/jcuda/$jcuda/jcuda-$jcuda.jar" \
     "$m2/com/fasterxml/jackson/core/jackson-databind/$jackson/jackson-databind-$jackson.jar" \
     "$m2/com/fasterxml/jackson/core/jackson-core/$jackson/jackson-core-$jackson.jar" \
     "$bundle/lib/"
  # Since Jackson 2.20 the annotations are versioned without the patch number (2.21 for 2.21.3).
  ann=${jackson%.*}
  [ -d "$m2/com/fasterxml/jackson/core/jackson-annotations/$ann" ] || ann=$jackson
  cp "$m2/com/fasterxml/jackson/core/jackson-annotations/$ann/jackson-annotations-$ann.jar" "$bundle/lib/"
else
  cp harness/cli/target/inferlab.jar "$bundle/"
fi
cp backends/cuda/scripts/gpu-check.sh "$bundle/"
cp "$models"/stories260K*.gguf "$bundle/models/"
if $tiny; then
  cp "$models"/tiny-gpt-oss.gguf "$models"/tiny-gpt-oss.reference.json "$bundle/models/"
fi
du -sh "$bundle" "$bundle"/*
