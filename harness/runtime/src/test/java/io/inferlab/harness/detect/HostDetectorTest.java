package io.inferlab.harness.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The host as OSHI reads it here, and the JVM's own view that stands in when OSHI fails. */
class HostDetectorTest {

    @Test
    void oshiReadsThisHost() {
        HostInfo h = HostDetector.detect();
        assertFalse(h.cpu().model().isBlank());
        assertTrue(h.cpu().logicalCores() >= h.cpu().physicalCores() && h.cpu().physicalCores() >= 1, h.cpu().toString());
        assertTrue(h.memory().totalBytes() > 0 && h.memory().availableBytes() <= h.memory().totalBytes());
        assertEquals(VectorApiWidth.preferredBits().orElse(null), h.cpu().vectorApiPreferredBits());
        assertTrue(h.gpus().stream().noneMatch(g -> "unknown".equals(g.name()) && "unknown".equals(g.vendor())),
                "OSHI's all-unknown placeholder card is dropped: " + h.gpus());
        assertTrue(h.notes().isEmpty(), "everything was read: " + h.notes());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theJvmViewSeesTheSameCpuFeaturesAsOshi() {
        List<String> notes = new ArrayList<>();
        CpuInfo fallback = HostDetector.jvmCpu(256, notes);
        CpuInfo oshi = HostDetector.detect().cpu();
        assertTrue(notes.isEmpty(), notes.toString());
        assertEquals(oshi.simd(), fallback.simd());
        assertEquals(oshi.flags(), fallback.flags());
        if ("amd64".equals(System.getProperty("os.arch"))) {
            assertEquals(oshi.model(), fallback.model(), "both read /proc/cpuinfo's model name on x86");
        }
        assertEquals(256, fallback.vectorApiPreferredBits());
        assertTrue(HostDetector.jvmMemory(notes).totalBytes() > 0);
    }
}
