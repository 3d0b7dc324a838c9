package io.inferlab.harness.detect;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One CPU cache as OSHI reports it (one entry per distinct cache kind, not per instance).
 *
 * @param type "unified", "data", "instruction" or "trace"
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CacheInfo(int level, String type, long sizeBytes, int lineBytes, int associativity) {
}
