#!/usr/bin/env bash
# Runs a real fuzzing campaign on one target with Jazzer's standalone (libFuzzer) driver and
# prints its executions, coverage and findings. The same targets run as JUnit @FuzzTest in
# regression mode under `mvn verify` (stored inputs only); this script is the fuzzing mode.
#
#   scripts/fuzz.sh TARGET DURATION [libFuzzer flags...]
#   scripts/fuzz.sh list
#
# DURATION: seconds, or with a unit: 90s, 30m, 2h. Work folder: $FUZZ_WORK (default
# /tmp/inferlab-fuzz/TARGET): corpus/ (inputs the fuzzer kept), findings/ (crash-, timeout-,
# oom- files), fuzz.log. A finding is any input that ends in something other than the reader's
# typed exception: another exception, an OutOfMemoryError, a stack overflow, a hang longer than
# the per-input -timeout (default 10 s), or a heap allocation over the target's size-derived
# bound. Copy each finding into the target's Inputs folder (printed at the end) after fixing it;
# `mvn verify` then replays it for good.
#
# The classes are copied to the work folder before fuzzing starts, so a rebuild of the working
# tree does not pull them from under a long campaign. Run one campaign at a time; on a shared
# machine prefix with `nice -n 10`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# target -> module | class | JUnit method (its Inputs folder) | classes to instrument for coverage.
# The JSON readers are mostly Jackson, so Jackson is instrumented too: without it the fuzzer sees
# a few dozen edges and cannot tell a new JSON shape from an old one.
JSON_COVERAGE='io.inferlab.**:com.fasterxml.jackson.**'
targets() {
  cat <<T
gguf|backends/engine|io.inferlab.engine.gguf.GgufFileFuzzTest|read|io.inferlab.**
tokenizer|backends/engine|io.inferlab.engine.tokenizer.TokenizersFuzzTest|fromMetadata|io.inferlab.**
model|backends/engine|io.inferlab.engine.model.ModelsFuzzTest|load|io.inferlab.**
jmh-json|reports|io.inferlab.reports.jmh.JmhResultReaderFuzzTest|read|$JSON_COVERAGE
report-metadata|reports|io.inferlab.reports.meta.RunMetadataFilesFuzzTest|read|$JSON_COVERAGE
suite|datasets|io.inferlab.datasets.suites.PromptSuitesFuzzTest|read|$JSON_COVERAGE
run-metadata|harness/runtime|io.inferlab.harness.results.ResultStoreFuzzTest|read|$JSON_COVERAGE
selection-config|harness/runtime|io.inferlab.harness.adaptive.SelectionConfigFuzzTest|read|$JSON_COVERAGE
T
}

usage() {
  echo "usage: scripts/fuzz.sh TARGET DURATION [libFuzzer flags...]   (scripts/fuzz.sh list: the targets)" >&2
  exit 2
}

[[ $# -ge 1 ]] || usage
if [[ $1 == list ]]; then
  targets | cut -d'|' -f1,3 | tr '|' '\t'
  exit 0
fi
[[ $# -ge 2 ]] || usage
TARGET=$1 DURATION=$2
shift 2
LINE=$(targets | grep "^$TARGET|" || true)
[[ -n $LINE ]] || { echo "fuzz.sh: unknown target '$TARGET' (scripts/fuzz.sh list)" >&2; exit 2; }
IFS='|' read -r _ MODULE CLASS METHOD INSTRUMENT <<<"$LINE"

case $DURATION in
  *h) SECONDS_TOTAL=$(( ${DURATION%h} * 3600 )) ;;
  *m) SECONDS_TOTAL=$(( ${DURATION%m} * 60 )) ;;
  *s) SECONDS_TOTAL=${DURATION%s} ;;
  *[!0-9]*|'') echo "fuzz.sh: bad duration '$DURATION' (e.g. 600, 90s, 30m, 2h)" >&2; exit 2 ;;
  *) SECONDS_TOTAL=$DURATION ;;
esac

if [[ -z ${JAVA_HOME:-} || ! -x $JAVA_HOME/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=$JAVA_HOME/bin/java

WORK=${FUZZ_WORK:-/tmp/inferlab-fuzz/$TARGET}
mkdir -p "$WORK/corpus" "$WORK/findings"
rm -rf "$WORK/cp"
mkdir -p "$WORK/cp"

echo "fuzz.sh: building $MODULE (test classes and class path)"
mvn -q -o -pl "$MODULE" -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$WORK/classpath.txt" -Dmdep.includeScope=test >"$WORK/build.log" 2>&1 \
  || mvn -q -pl "$MODULE" -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$WORK/classpath.txt" -Dmdep.includeScope=test >"$WORK/build.log" 2>&1 \
  || { tail -30 "$WORK/build.log" >&2; echo "fuzz.sh: build failed (log: $WORK/build.log)" >&2; exit 1; }

# Private copies of this tree's class folders (the module's and those of the modules it uses).
CP=""
i=0
for entry in "$ROOT/$MODULE/target/test-classes" "$ROOT/$MODULE/target/classes" $(tr ':' ' ' <"$WORK/classpath.txt"); do
  if [[ -d $entry ]]; then
    i=$((i + 1))
    cp -r "$entry" "$WORK/cp/$i"
    entry=$WORK/cp/$i
  fi
  CP=${CP:+$CP:}$entry
done

INPUTS=$ROOT/$MODULE/src/test/resources/$(dirname "${CLASS//.//}")/$(basename "${CLASS//.//}")Inputs/$METHOD
[[ -d $INPUTS ]] || { echo "fuzz.sh: no seed folder $INPUTS" >&2; exit 1; }

echo "fuzz.sh: fuzzing $CLASS for ${SECONDS_TOTAL}s (seeds: ${INPUTS#$ROOT/}; work: $WORK)"
# --keep_going: a finding is recorded and the campaign goes on (Jazzer de-duplicates by stack).
set +e
"$JAVA" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    -XX:+EnableDynamicAgentLoading -XX:-OmitStackTraceInFastThrow -Xss8m -Xmx1g \
    -cp "$CP" com.code_intelligence.jazzer.Jazzer \
    --target_class="$CLASS" --instrumentation_includes="$INSTRUMENT" --keep_going=50 \
    -max_total_time="$SECONDS_TOTAL" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$WORK/findings/" "$@" \
    "$WORK/corpus" "$INPUTS" >"$WORK/fuzz.log" 2>&1
RC=$?
set -e

echo "---- $TARGET ($CLASS), exit $RC"
grep -E '^#[0-9]+\s+(INITED|DONE)' "$WORK/fuzz.log" | tail -2 || true
grep -E '^(stat::|Done [0-9]+ runs)' "$WORK/fuzz.log" | tail -6 || true
LAST=$(grep -E '^#[0-9]+\s' "$WORK/fuzz.log" | tail -1 || true)
echo "last status: ${LAST:-none}"
echo "findings: $(find "$WORK/findings" -type f | wc -l) file(s) in $WORK/findings"
grep -E '^== Java Exception|^== Jazzer|Caused by|^\s+at io\.inferlab' "$WORK/fuzz.log" | head -20 || true
echo "log: $WORK/fuzz.log; keep a fixed finding as a regression input: cp FILE ${INPUTS#$ROOT/}/"
exit $RC
