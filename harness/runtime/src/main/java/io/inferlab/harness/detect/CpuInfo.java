package io.inferlab.harness.detect;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The host CPU.
 *
 * @param model                  the marketing name ("AMD EPYC 9654 96-Core Processor")
 * @param microarchitecture      OSHI's guess from vendor/family/model ("Zen 4"), "unknown" when it has none
 * @param maxFrequencyHz         0 when the OS does not say (common in VMs)
 * @param simd                   the LLM-relevant SIMD features ({@link SimdFeature})
 * @param flags                  every feature flag the OS reports, normalized by {@link CpuFlags#parse}
 * @param vectorApiPreferredBits {@code FloatVector.SPECIES_PREFERRED.vectorBitSize()} in this JVM, or
 *                               null when {@code jdk.incubator.vector} is not in the module graph
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CpuInfo(String vendor, String model, String microarchitecture, int packages, int physicalCores,
                      int logicalCores, long maxFrequencyHz, List<CacheInfo> caches, List<SimdFeature> simd,
                      List<String> flags, Integer vectorApiPreferredBits) {
    public CpuInfo {
        Objects.requireNonNull(model, "model");
        vendor = vendor == null ? "" : vendor;
        microarchitecture = microarchitecture == null ? "unknown" : microarchitecture;
        caches = List.copyOf(caches);
        simd = List.copyOf(simd);
        flags = List.copyOf(flags);
    }
}
