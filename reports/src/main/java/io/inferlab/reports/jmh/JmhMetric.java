package io.inferlab.reports.jmh;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A metric as JMH writes it. {@code scoreError} and the confidence bounds are {@code "NaN"} when
 * JMH could not compute them (one sample). {@code rawData} holds one list of iteration scores per
 * fork; sample mode writes {@code rawDataHistogram} instead: per fork, per iteration, a list of
 * {@code [value, count]} pairs. {@code scorePercentiles} keys are percentages ("50.0", "99.9").
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JmhMetric(
        Double score,
        Double scoreError,
        List<Double> scoreConfidence,
        Map<String, Double> scorePercentiles,
        String scoreUnit,
        List<List<Double>> rawData,
        List<List<List<List<Double>>>> rawDataHistogram) {
}
