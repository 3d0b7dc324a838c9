package io.inferlab.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.BackendUnavailableException;
import io.inferlab.api.DeviceInfo;
import io.inferlab.api.ModelSource;
import io.inferlab.api.ProbeResult;

/** The CUDA and MXFP4 probes against this host's real driver situation. */
class CudaProbeTest {

    @Test
    @EnabledIf(value = "io.inferlab.cuda.CudaTestSupport#driverLibraryAbsent",
            disabledReason = "this host has libcuda.so.1; the device test below covers it")
    void withoutTheDriverBothProbesNameTheMissingLibraryEveryTime() {
        ProbeResult first = new CudaBackendProvider().probe();
        String reason = assertInstanceOf(ProbeResult.Unavailable.class, first).reason();
        assertEquals(CudaProbe.NO_DRIVER, reason);
        assertTrue(reason.contains("libcuda.so.1"), reason);
        // JCuda answers NoClassDefFoundError from the second touch on; the remembered first answer stays.
        assertEquals(first, new CudaBackendProvider().probe());
        assertSame(CudaProbe.discover(), CudaProbe.discover());

        String mxfp4 = assertInstanceOf(ProbeResult.Unavailable.class, new Mxfp4BackendProvider().probe()).reason();
        assertTrue(mxfp4.contains("libcuda.so.1") && mxfp4.contains(">= 7.5"), mxfp4);
    }

    @Test
    @EnabledIf(value = "io.inferlab.cuda.CudaTestSupport#driverLibraryAbsent",
            disabledReason = "this host has libcuda.so.1")
    void jcudaItselfFailsWithTheMissingLibraryFirstAndStillSaysSoLater() {
        // Past the linker check: JCuda's UnsatisfiedLinkError on the first touch ...
        assertEquals(new CudaDiscovery.Failed(CudaProbe.NO_DRIVER), CudaProbe.askThroughJCuda());
        // ... and its NoClassDefFoundError (carrying the first failure) on every later one.
        assertEquals(new CudaDiscovery.Failed(CudaProbe.NO_DRIVER), CudaProbe.askThroughJCuda());
    }

    @Test
    @EnabledIf(value = "io.inferlab.cuda.CudaTestSupport#driverLibraryPresent",
            disabledReason = "no NVIDIA driver (libcuda.so.1) on this host")
    void withTheDriverEachDeviceHasItsComputeCapabilityMultiprocessorsAndMemory() {
        ProbeResult r = new CudaBackendProvider().probe();
        if (r instanceof ProbeResult.Unavailable u) {
            // A driver without a usable device (a container without the GPU passed through) must say so.
            assertTrue(u.reason().contains("cu") || u.reason().contains("no CUDA device"), u.reason());
            return;
        }
        List<DeviceInfo> devices = assertInstanceOf(ProbeResult.Available.class, r).devices();
        for (DeviceInfo d : devices) {
            assertTrue(d.properties().get(CudaDeviceProperties.COMPUTE_CAPABILITY).matches("\\d+\\.\\d+"), d.toString());
            assertTrue(d.properties().get(CudaDeviceProperties.DRIVER_VERSION).matches("\\d+\\.\\d+"), d.toString());
            assertTrue(Integer.parseInt(d.properties().get(CudaDeviceProperties.MULTIPROCESSORS)) > 0, d.toString());
            assertTrue(d.memoryBytes() > 0 && !d.name().isBlank(), d.toString());
        }
        ProbeResult mxfp4 = new Mxfp4BackendProvider().probe();
        CudaDiscovery.Found found = assertInstanceOf(CudaDiscovery.Found.class, CudaProbe.discover());
        assertEquals(found.devices().stream().anyMatch(Mxfp4Rule::qualifies), mxfp4.isAvailable(), mxfp4.toString());
    }

    @Test
    void linkageFailuresAreReducedToTheLinkersReason() {
        String earlier = CudaProbe.reasonFor(new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver"));
        if (CudaTestSupport.driverLibraryPresent()) {
            assertTrue(earlier.contains("failed to load earlier") && earlier.contains("JCudaDriver"), earlier);
        } else {
            assertEquals(CudaProbe.NO_DRIVER, earlier, "the linker is asked when the first failure is gone");
        }
        // The shape of JCuda 12.6.0's message on a host whose driver is too old for it (a missing symbol).
        UnsatisfiedLinkError tooOld = new UnsatisfiedLinkError("""
                Error while loading native library "JCudaDriver-12.6.0-linux-x86_64"
                Operating system name: Linux
                ---(start of nested stack traces)---
                Stack trace from the attempt to load the library as a resource:
                java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: undefined symbol: cuMemAllocAsync
                	at java.base/jdk.internal.loader.NativeLibraries.load(Native Method)
                ---(end of nested stack traces)---""");
        assertEquals("the JCuda driver binding could not be loaded: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: "
                + "undefined symbol: cuMemAllocAsync", CudaProbe.reasonFor(tooOld));
        // JDK 17+ chains the first failure under the NoClassDefFoundError of every later touch.
        NoClassDefFoundError later = new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver");
        later.initCause(new ExceptionInInitializerError("Exception java.lang.UnsatisfiedLinkError: "
                + "/tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file: "
                + "No such file or directory [in thread \"main\"]"));
        assertEquals(CudaProbe.NO_DRIVER, CudaProbe.reasonFor(later));
    }

    @Test
    void bothProvidersAreFoundByServiceLoader() {
        // The test class path also holds the cpu backend (the GPU check's CPU-vs-scalar tests use it).
        List<String> ids = ServiceLoader.load(BackendProvider.class).stream().map(p -> p.get().id())
                .filter(id -> id.startsWith("cuda")).sorted().toList();
        assertEquals(List.of("cuda", "cuda-mxfp4"), ids);
    }

    @Test
    @EnabledIf(value = "io.inferlab.cuda.CudaTestSupport#driverLibraryAbsent",
            disabledReason = "this host has the NVIDIA driver; open() loads models there (see the GPU tests)")
    void withoutTheDriverOpenThrowsUnavailableWithTheProbesReason() {
        ModelSource model = ModelSource.gguf(Path.of("model.gguf"));
        for (BackendProvider p : List.of(new CudaBackendProvider(), new Mxfp4BackendProvider())) {
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                    () -> p.open(model, BackendOptions.defaults()));
            assertTrue(e.getMessage().contains(CudaProbe.NO_DRIVER), e.getMessage());
            assertTrue(e.getMessage().contains("'" + p.id() + "'"), e.getMessage());
        }
    }

    @Test
    void driverReleaseIsReadFromTheKernelModuleVersionFile(@TempDir Path dir) throws java.io.IOException {
        Path file = dir.resolve("version");
        java.nio.file.Files.writeString(file, "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.65.06  Sun Jul 27 07:09:18 UTC 2025\n"
                + "GCC version:  gcc version 12.2.0 (Debian 12.2.0-14+deb12u1)\n");
        assertEquals("580.65.06", CudaProbe.driverRelease(file));
        assertEquals("", CudaProbe.driverRelease(dir.resolve("absent")));
    }

    @Test
    void driverVersionIsFormattedAsNvidiaSmiPrintsIt() {
        assertEquals("13.0", CudaDiscovery.cudaVersion(13000));
        assertEquals("12.8", CudaDiscovery.cudaVersion(12080));
    }
}
