package io.inferlab.harness.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.inferlab.api.AccelerationType;

/** The JSON form round-trips and has exactly the documented keys. */
class HardwareProfileJsonTest {

    /** Detection runs once for the class: the host part takes a few hundred milliseconds. */
    private static HardwareProfile detected;

    static synchronized HardwareProfile detected() {
        if (detected == null) {
            detected = detect();
        }
        return detected;
    }

    private static HardwareProfile detect() {
        List<DiscoveredProvider> providers = List.of(
                IsolatedProbeTest.discovered(new TestProviders.WorkingCpu()),
                IsolatedProbeTest.discovered(new TestProviders.ThrowingOpenCl()));
        return new HardwareDetector(new ProviderDiscovery(providers, List.of("a backend provider could not be loaded: X")),
                Duration.ofSeconds(5)).run();
    }

    @Test
    void aDetectedProfileRoundTrips() {
        HardwareProfile p = detected();
        String json = HardwareProfileJson.write(p);
        assertEquals(p, HardwareProfileJson.read(json));
        assertEquals(json, HardwareProfileJson.write(HardwareProfileJson.read(json)), "writing is deterministic");
    }

    @Test
    void aHandBuiltProfileWithEveryOptionalValueRoundTrips() {
        HostInfo host = HostFingerprintTest.base();
        CpuInfo cpu = new CpuInfo("", "x", null, 1, 1, 1, 0, List.of(new CacheInfo(2, "unified", 1 << 20, 64, 16)), List.of(),
                List.of(), null);
        HostInfo noVector = new HostInfo(cpu, host.memory(), host.os(), host.jvm(), List.of(), List.of("a note"));
        Device gpu = new Device("NVIDIA H100 80GB HBM3", "compute capability 9.0", 85_000_000_000L,
                Map.of("computeCapability", "9.0", "multiprocessors", "132"));
        HardwareProfile p = new HardwareProfile(1, "2026-01-01T00:00:00Z", 1, HostFingerprint.of(noVector), noVector,
                List.of(new AccelerationStatus(AccelerationType.CUDA, true, null, List.of(gpu),
                                List.of(new ProviderStatus("cuda", true, null, List.of(gpu), 5))),
                        new AccelerationStatus(AccelerationType.METAL, false, "why", List.of(), List.of())),
                List.of());
        assertEquals(p, HardwareProfileJson.read(HardwareProfileJson.write(p)));
    }

    @Test
    void keysAreTheDocumentedSchema() throws Exception {
        JsonNode root = new ObjectMapper().readTree(HardwareProfileJson.write(detected()));
        assertEquals(List.of("schema_version", "detected_at", "detection_ns", "fingerprint", "host", "accelerations",
                "discovery_errors"), keys(root));
        assertEquals(List.of("id", "input"), keys(root.get("fingerprint")));
        assertEquals(List.of("cpu", "memory", "os", "jvm", "gpus", "notes"), keys(root.get("host")));
        assertEquals(List.of("vendor", "model", "microarchitecture", "packages", "physical_cores", "logical_cores",
                "max_frequency_hz", "caches", "simd", "flags", "vector_api_preferred_bits"), keys(root.get("host").get("cpu")));
        assertEquals(List.of("total_bytes", "available_bytes"), keys(root.get("host").get("memory")));
        assertEquals(List.of("name", "family", "version", "arch", "bitness"), keys(root.get("host").get("os")));
        assertEquals(List.of("version", "feature", "vendor", "vm_name", "max_heap_bytes", "available_processors"),
                keys(root.get("host").get("jvm")));
        JsonNode cpuRow = root.get("accelerations").get(0);
        assertEquals(List.of("acceleration", "available", "reason", "devices", "providers"), keys(cpuRow));
        assertEquals("CPU", cpuRow.get("acceleration").asText());
        assertEquals(List.of("id", "available", "reason", "devices", "probe_ns"), keys(cpuRow.get("providers").get(0)));
        assertEquals(List.of("name", "description", "memory_bytes", "properties"), keys(cpuRow.get("devices").get(0)));
        assertEquals(List.of("threads", "vectorBits"), keys(cpuRow.get("devices").get(0).get("properties")),
                "properties keep the backend's keys, sorted");
        assertTrue(root.get("accelerations").get(1).get("reason").isTextual());
        assertTrue(cpuRow.get("reason").isNull(), "null values are written, not left out");
    }

    @Test
    void simdFeaturesAreWrittenAsLinuxFlagNames() throws Exception {
        HostInfo host = HostFingerprintTest.base();
        HardwareProfile p = new HardwareProfile(1, "2026-01-01T00:00:00Z", 1, HostFingerprint.of(host), host, List.of(), List.of());
        JsonNode simd = new ObjectMapper().readTree(HardwareProfileJson.write(p)).get("host").get("cpu").get("simd");
        assertEquals("avx2", simd.get(0).asText());
    }

    @Test
    void unknownKeysFromALaterCompatibleVersionAreIgnored() throws Exception {
        ObjectMapper m = new ObjectMapper();
        HardwareProfile p = detected();
        ObjectNode tree = (ObjectNode) m.readTree(HardwareProfileJson.write(p));
        tree.put("added_later", "x");
        ((ObjectNode) tree.get("host")).put("numa_nodes", 2);
        assertEquals(p, HardwareProfileJson.read(m.writeValueAsString(tree)));
    }

    @Test
    void somethingElseIsRejectedWithAMessage() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> HardwareProfileJson.read("{\"schema_version\": 1, \"host\": 3}"));
        assertTrue(e.getMessage().startsWith("not a hardware profile"), e.getMessage());
    }

    static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            keys.add(it.next());
        }
        return keys;
    }
}
