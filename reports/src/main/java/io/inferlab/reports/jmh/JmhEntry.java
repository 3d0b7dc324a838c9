package io.inferlab.reports.jmh;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One element of the array JMH writes with {@code -rf json} (JMH 1.37, {@code JSONResultFormat}):
 * the benchmark's configuration, its {@code params} (values are strings), the primary metric and
 * the secondary metrics (profilers, {@code @AuxCounters}, sample-mode percentiles). Fields JMH may
 * omit are nullable here; {@link JmhResultReader} validates them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JmhEntry(
        String jmhVersion,
        String benchmark,
        String mode,
        Integer threads,
        Integer forks,
        String jvm,
        List<String> jvmArgs,
        String jdkVersion,
        String vmName,
        String vmVersion,
        Integer warmupIterations,
        String warmupTime,
        Integer warmupBatchSize,
        Integer measurementIterations,
        String measurementTime,
        Integer measurementBatchSize,
        Map<String, String> params,
        JmhMetric primaryMetric,
        Map<String, JmhMetric> secondaryMetrics) {
}
