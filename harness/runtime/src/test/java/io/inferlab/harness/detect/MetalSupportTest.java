package io.inferlab.harness.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The METAL row without a Metal backend: the GPU is named on Apple Silicon, the reason always says why not. */
class MetalSupportTest {
    static OsInfo os(String name, String arch) {
        return new OsInfo(name, name, "", arch, 64);
    }

    @Test
    void appleSiliconListsTheGpuAndNamesTheMissingBackend() {
        AccelerationStatus s = MetalSupport.withoutProvider(os("Mac OS X", "aarch64"),
                List.of(new GpuInfo("Apple M3", "Apple", "", "", 0)));
        assertFalse(s.available());
        assertEquals("Apple M3", s.devices().getFirst().name());
        assertTrue(s.reason().contains("served through the llama.cpp backend, which is not installed"), s.reason());
        assertTrue(MetalSupport.appleSilicon(os("Mac OS X", "aarch64")));
    }

    @Test
    void anIntelMacIsNotServed() {
        AccelerationStatus s = MetalSupport.withoutProvider(os("Mac OS X", "x86_64"), List.of());
        assertFalse(s.available());
        assertTrue(s.devices().isEmpty());
        assertTrue(s.reason().contains("needs Apple Silicon") && s.reason().contains("x86_64"), s.reason());
    }

    @Test
    void linuxHasNoMetal() {
        AccelerationStatus s = MetalSupport.withoutProvider(os("Linux", "aarch64"), List.of());
        assertFalse(s.available());
        assertTrue(s.reason().contains("needs macOS on Apple Silicon") && s.reason().contains("Linux on aarch64"), s.reason());
        assertFalse(MetalSupport.appleSilicon(os("Linux", "aarch64")));
    }
}
