package io.inferlab.llamacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.ProbeResult;
import io.inferlab.llamacpp.protocol.Message.Device;
import io.inferlab.llamacpp.protocol.Message.ProbeInfo;

class LlamaCppBackendProviderTest {

    @Test
    void isFoundThroughServiceLoader() {
        assertTrue(ServiceLoader.load(BackendProvider.class).stream()
                .anyMatch(p -> p.type() == LlamaCppBackendProvider.class));
        assertEquals("llamacpp", new LlamaCppBackendProvider().id());
    }

    @Test
    void metalOnAppleSiliconCpuElsewhere() {
        assertEquals(AccelerationType.METAL, LlamaCppBackendProvider.accelerationFor("Mac OS X", "aarch64"));
        assertEquals(AccelerationType.CPU, LlamaCppBackendProvider.accelerationFor("Mac OS X", "x86_64"));
        assertEquals(AccelerationType.CPU, LlamaCppBackendProvider.accelerationFor("Linux", "amd64"));
        assertEquals(AccelerationType.CPU, LlamaCppBackendProvider.accelerationFor("Windows 11", "amd64"));
    }

    @Test
    void probeIsAValueAndIsRemembered() {
        LlamaCppBackendProvider provider = new LlamaCppBackendProvider();
        ProbeResult first = provider.probe();
        assertNotNull(first);
        assertSame(first, provider.probe(), "the child JVM is started once per JVM");
        if (first instanceof ProbeResult.Available a) {
            var device = a.devices().getFirst();
            assertFalse(device.properties().get("llama.cpp.build").isBlank());
            assertTrue(device.properties().get("java-llama.cpp.version").matches("4\\.[12]\\.0"), device.properties().toString());
        } else {
            assertFalse(((ProbeResult.Unavailable) first).reason().isBlank());
        }
        assertTrue(LlamaCppTestSupport.liveChildren().isEmpty(), "the probe's child JVM has ended");
    }

    @Test
    void devicesOfTheWantedKindOrAReason() {
        ProbeInfo cpuOnly = new ProbeInfo(4916, "c6af2161", "CPU : AVX2 = 1 |", false,
                List.of(new Device("CPU", "AMD EPYC", 0, 0, 0)));
        var cpu = assertInstanceOf(ProbeResult.Available.class, LlamaCppBackendProvider.available(cpuOnly, AccelerationType.CPU));
        assertEquals("AMD EPYC", cpu.devices().getFirst().name());
        assertTrue(cpu.devices().getFirst().description().startsWith("llama.cpp b4916 ggml CPU"));
        var metal = assertInstanceOf(ProbeResult.Unavailable.class,
                LlamaCppBackendProvider.available(cpuOnly, AccelerationType.METAL));
        assertTrue(metal.reason().contains("no GPU (Metal) device"), metal.reason());
    }
}
