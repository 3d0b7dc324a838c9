package io.inferlab.harness.detect;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The host as OSHI and the JVM see it.
 *
 * @param notes what could not be read and what was used instead (empty when everything was read)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HostInfo(CpuInfo cpu, MemoryInfo memory, OsInfo os, JvmInfo jvm, List<GpuInfo> gpus, List<String> notes) {
    public HostInfo {
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(jvm, "jvm");
        gpus = List.copyOf(gpus);
        notes = List.copyOf(notes);
    }
}
