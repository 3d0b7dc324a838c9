package io.inferlab.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.BackendUnavailableException;
import io.inferlab.api.DeviceInfo;
import io.inferlab.api.ModelFormatException;
import io.inferlab.api.ModelSource;
import io.inferlab.api.ProbeResult;

/** The OpenCL probe on this host (PoCL in CI) and, in a child JVM, with no driver registered. */
class OpenClProbeTest {
    @TempDir
    Path dir;

    /** Whether the ICD loader library is installed (asked of the dynamic linker, not JOCL). */
    static boolean loaderPresent() {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup("libOpenCL.so.1", arena);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether an OpenCL driver is registered with the loader ({@code .icd} files, as ocl-icd reads them). */
    static boolean driverRegistered() throws IOException {
        String override = System.getenv("OCL_ICD_VENDORS");
        Path vendors = Path.of(override != null ? override : "/etc/OpenCL/vendors");
        if (!loaderPresent() || !Files.isDirectory(vendors)) {
            return false;
        }
        try (Stream<Path> files = Files.list(vendors)) {
            return files.anyMatch(f -> f.toString().endsWith(".icd"));
        }
    }

    @Test
    @EnabledIf(value = "driverRegistered", disabledReason = "no OpenCL driver registered (CI installs pocl-opencl-icd)")
    void listsEachDeviceWithTypeMemoryLimitsAndFp16() {
        ProbeResult r = new OpenClBackendProvider().probe();
        List<DeviceInfo> devices = assertInstanceOf(ProbeResult.Available.class, r, r.toString()).devices();
        for (DeviceInfo d : devices) {
            var p = d.properties();
            assertFalse(d.name().isBlank());
            assertTrue(p.get(OpenClDeviceProperties.DEVICE_TYPE).matches("(CPU|GPU|ACCELERATOR|CUSTOM)(\\|\\w+)*"), d.toString());
            assertTrue(Integer.parseInt(p.get(OpenClDeviceProperties.COMPUTE_UNITS)) > 0, d.toString());
            long global = Long.parseLong(p.get(OpenClDeviceProperties.GLOBAL_MEMORY_BYTES));
            long maxAlloc = Long.parseLong(p.get(OpenClDeviceProperties.MAX_ALLOCATION_BYTES));
            assertTrue(global > 0 && maxAlloc > 0 && maxAlloc <= global, d.toString());
            assertEquals(global, d.memoryBytes());
            assertTrue(p.get(OpenClDeviceProperties.OPENCL_C_VERSION).startsWith("OpenCL C "), d.toString());
            assertTrue(List.of("true", "false").contains(p.get(OpenClDeviceProperties.FP16)), d.toString());
            assertFalse(p.get(OpenClDeviceProperties.PLATFORM_NAME).isBlank());
        }
        OpenClDevice first = assertInstanceOf(OpenClDiscovery.Found.class, OpenClProbe.discover()).devices().getFirst();
        assertEquals(first.extensions().contains("cl_khr_fp16"), first.fp16());
        assertSame(OpenClProbe.discover(), OpenClProbe.discover(), "asked once, remembered");
    }

    @Test
    void withNoDriverRegisteredTheProbeIsUnavailableWithTheReason() throws IOException, InterruptedException {
        Path empty = Files.createDirectories(dir.resolve("vendors"));
        String line = probeInChildJvm(empty);
        assertTrue(line.startsWith("UNAVAILABLE "), line);
        if (loaderPresent()) {
            assertTrue(line.contains("no OpenCL platform found") && line.contains("CL_PLATFORM_NOT_FOUND_KHR")
                    && line.contains("OCL_ICD_VENDORS=" + empty), line);
        } else {
            assertTrue(line.contains("libOpenCL.so.1"), line);
        }
    }

    @Test
    void deviceTypeBitsAreNamed() {
        assertEquals("CPU", OpenClProbe.typeName(org.jocl.CL.CL_DEVICE_TYPE_CPU));
        assertEquals("GPU|ACCELERATOR", OpenClProbe.typeName(org.jocl.CL.CL_DEVICE_TYPE_GPU | org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR));
        assertEquals("UNKNOWN(0)", OpenClProbe.typeName(0));
    }

    @Test
    void theProviderIsFoundByServiceLoaderAndOpensOnlyWhereThereIsADevice() {
        List<BackendProvider> found = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get).toList();
        assertEquals(List.of("opencl"), found.stream().map(BackendProvider::id).toList());
        ModelSource missing = ModelSource.gguf(dir.resolve("m.gguf"));
        if (found.getFirst().probe() instanceof ProbeResult.Unavailable u) {
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                    () -> found.getFirst().open(missing, BackendOptions.defaults()));
            assertTrue(e.getMessage().contains(u.reason()), e.getMessage());
        } else {
            // With a device, open gets as far as the model file.
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> found.getFirst().open(missing, BackendOptions.defaults()));
            assertTrue(e.getMessage().contains("m.gguf") && e.getMessage().contains("file not found"), e.getMessage());
        }
    }

    /** Runs {@link OpenClProbeInChildJvm} with {@code OCL_ICD_VENDORS} pointed at {@code vendors}; its last line. */
    static String probeInChildJvm(Path vendors) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), OpenClProbeInChildJvm.class.getName())).redirectErrorStream(true);
        pb.environment().put("OCL_ICD_VENDORS", vendors.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> l.startsWith("AVAILABLE") || l.startsWith("UNAVAILABLE")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no probe line in: " + out));
    }
}
