package io.inferlab.harness.detect;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A graphics card as the OS lists it through OSHI (on Linux from {@code lspci}/{@code lshw}, so
 * independent of any GPU driver). Empty strings and 0 where the OS does not say.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GpuInfo(String name, String vendor, String deviceId, String versionInfo, long vramBytes) {
}
