package io.inferlab.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.DeviceInfo;
import io.inferlab.api.ProbeResult;

class ProbeCacheTest {
    @TempDir
    Path dir;

    @Test
    void availableResultRoundTrips() {
        ProbeCache cache = new ProbeCache(dir);
        Path file = cache.file("4.2.0").orElseThrow();
        ProbeResult.Available result = new ProbeResult.Available(List.of(
                new DeviceInfo("CPU", "llama.cpp b4916 ggml CPU: AVX2 = 1", 1L << 34, Map.of("llama.cpp.build", "4916", "ggml.device", "CPU")),
                new DeviceInfo("GPU = é", "second", 0, Map.of())));
        cache.write(file, result);
        assertEquals(result, cache.read(file).orElseThrow());
    }

    @Test
    void keyChangesWithTheBindingVersion() {
        ProbeCache cache = new ProbeCache(dir);
        assertNotEquals(cache.file("4.1.0").orElseThrow(), cache.file("4.2.0").orElseThrow());
        assertEquals(cache.file("4.2.0"), cache.file("4.2.0"));
    }

    @Test
    void missingOrDamagedEntriesMeanProbeAgain() throws Exception {
        ProbeCache cache = new ProbeCache(dir);
        Path file = cache.file("4.2.0").orElseThrow();
        assertTrue(cache.read(file).isEmpty());
        Files.createDirectories(file.getParent());
        Files.writeString(file, "devices=2\ndevice.0.memory=lots\n");
        assertTrue(cache.read(file).isEmpty());
    }
}
