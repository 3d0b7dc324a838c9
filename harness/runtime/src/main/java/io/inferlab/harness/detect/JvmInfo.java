package io.inferlab.harness.detect;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The JVM doing the detection.
 *
 * @param version             {@code Runtime.version()} ("25+36-LTS")
 * @param feature             the feature (major) release (25)
 * @param maxHeapBytes        {@code Runtime.maxMemory()}
 * @param availableProcessors {@code Runtime.availableProcessors()} (honours container CPU limits)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JvmInfo(String version, int feature, String vendor, String vmName, long maxHeapBytes,
                      int availableProcessors) {
}
