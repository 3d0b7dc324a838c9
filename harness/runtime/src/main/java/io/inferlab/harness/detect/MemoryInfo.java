package io.inferlab.harness.detect;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Physical memory: total, and available (free plus reclaimable) at detection time. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MemoryInfo(long totalBytes, long availableBytes) {
}
