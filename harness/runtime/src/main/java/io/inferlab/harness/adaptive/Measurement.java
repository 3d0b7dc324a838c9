package io.inferlab.harness.adaptive;

/**
 * What one stored run measured for one backend on the model being selected for. Any number may be
 * null when the run did not measure it (a run without a suite has no TTFT p50 from a suite, ...).
 *
 * @param decodeTokensPerSecond decode throughput (DecodeBench's {@code tokens} secondary metric)
 * @param ttftMs                time to first token, p50 (suite first, else prefill)
 * @param tpotMs                mean time per output token after the first
 * @param run                   the run folder's name, so a user can find the numbers
 * @param time                  when the run started (RFC 3339)
 */
public record Measurement(String backend, Double decodeTokensPerSecond, Double ttftMs, Double tpotMs, String run,
                          String time) {
}
