package io.inferlab.harness.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.AccelerationType;

/** Detection end to end on this host with providers that work, throw, fail to link, answer null and hang. */
class HardwareDetectorTest {
    @TempDir
    Path dir;

    HardwareProfile detectWith(Class<?>... providers) throws IOException {
        try (URLClassLoader loader = ProviderDiscoveryTest.loaderListing(dir,
                Arrays.stream(providers).map(Class::getName).toList())) {
            return new HardwareDetector(ProviderDiscovery.discover(loader), Duration.ofMillis(500)).run();
        }
    }

    @Test
    void everyAccelerationTypeHasOneRowAndEveryUnavailableRowAReason() throws IOException {
        HardwareProfile p = detectWith(TestProviders.WorkingCpu.class, TestProviders.ThrowingOpenCl.class,
                TestProviders.WorkingOpenCl.class, TestProviders.LinkageErrorCuda.class, TestProviders.AssertingCuda.class,
                TestProviders.NullMxfp4.class, TestProviders.HangingMetal.class);
        assertEquals(Arrays.asList(AccelerationType.values()),
                p.accelerations().stream().map(AccelerationStatus::acceleration).toList());

        AccelerationStatus cpu = p.acceleration(AccelerationType.CPU).orElseThrow();
        assertTrue(cpu.available());
        assertNull(cpu.reason());
        assertEquals("Test CPU", cpu.devices().getFirst().name());

        AccelerationStatus opencl = p.acceleration(AccelerationType.OPENCL).orElseThrow();
        assertTrue(opencl.available(), "one working provider is enough");
        assertEquals(List.of("Test GPU"), opencl.devices().stream().map(Device::name).toList());
        assertFalse(opencl.providers().getFirst().available());
        assertTrue(opencl.providers().getFirst().reason().contains("clGetPlatformIDs blew up"));

        AccelerationStatus cuda = p.acceleration(AccelerationType.CUDA).orElseThrow();
        assertFalse(cuda.available());
        assertTrue(cuda.reason().contains("test-cuda-link: ") && cuda.reason().contains("libcuda.so.1")
                && cuda.reason().contains("test-cuda-assert: "), cuda.reason());

        assertTrue(p.acceleration(AccelerationType.MXFP4).orElseThrow().reason().contains("returned nothing"));
        assertTrue(p.acceleration(AccelerationType.METAL).orElseThrow().reason().contains("did not answer within 500 ms"));
        assertEquals(HardwareProfile.SCHEMA_VERSION, p.schemaVersion());
        assertTrue(p.detectionNs() > 0);
    }

    @Test
    void typesWithoutAProviderSayNoBackendIsInstalledAndMetalExplainsItself() throws IOException {
        HardwareProfile p = detectWith(TestProviders.WorkingCpu.class);
        AccelerationStatus cuda = p.acceleration(AccelerationType.CUDA).orElseThrow();
        assertFalse(cuda.available());
        assertTrue(cuda.reason().contains("no backend for CUDA is installed") && cuda.reason().contains("inferlab-backend-cuda"),
                cuda.reason());
        assertTrue(cuda.providers().isEmpty());
        AccelerationStatus metal = p.acceleration(AccelerationType.METAL).orElseThrow();
        assertFalse(metal.available());
        assertTrue(metal.reason().contains("Metal"), metal.reason());
    }

    @Test
    void theHostPartIsFilledOnThisMachine() throws IOException {
        HardwareProfile p = detectWith();
        HostInfo h = p.host();
        assertFalse(h.cpu().model().isBlank());
        assertTrue(h.cpu().logicalCores() >= 1 && h.cpu().physicalCores() >= 1);
        assertTrue(h.memory().totalBytes() > 0 && h.memory().availableBytes() <= h.memory().totalBytes());
        assertEquals(Runtime.version().feature(), h.jvm().feature());
        assertEquals(System.getProperty("os.arch"), h.os().arch());
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertFalse(h.cpu().flags().isEmpty(), "Linux reports CPU flags");
        }
        assertEquals(HostFingerprint.of(h), p.fingerprint());
    }
}
