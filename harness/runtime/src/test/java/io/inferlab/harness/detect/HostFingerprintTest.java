package io.inferlab.harness.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The fingerprint hashes exactly the documented inputs and ignores what does not change performance. */
class HostFingerprintTest {
    private static final long GIB = 1L << 30;

    static HostInfo host(String model, int physical, int logical, long totalBytes, long availableBytes, List<GpuInfo> gpus,
                         String osFamily, String osVersion, String jvmVersion, int feature) {
        CpuInfo cpu = new CpuInfo("GenuineIntel", model, "Cascade Lake", 1, physical, logical, 0, List.of(),
                List.of(SimdFeature.AVX2), List.of("avx2"), 512);
        return new HostInfo(cpu, new MemoryInfo(totalBytes, availableBytes),
                new OsInfo("Linux", osFamily, osVersion, "amd64", 64),
                new JvmInfo(jvmVersion, feature, "Eclipse Adoptium", "OpenJDK 64-Bit Server VM", 6 * GIB, logical),
                gpus, List.of());
    }

    static HostInfo base() {
        return host("Intel(R) Xeon(R)  Platinum 8259CL CPU @ 2.50GHz ", 2, 2, 24 * GIB - 700L * (1 << 20), 20 * GIB,
                List.of(new GpuInfo("GA100 [A100 PCIe 40GB]", "NVIDIA Corporation", "0x20f1", "", 0)),
                "Debian GNU/Linux", "12 (bookworm) build 6.1.0-28-amd64", "25.0.1+8-LTS", 25);
    }

    @Test
    void inputIsTheDocumentedCanonicalText() {
        assertEquals("""
                inferlab-host-fingerprint/1
                cpu.model=Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz
                cpu.physical_cores=2
                cpu.logical_cores=2
                memory.gib=24
                gpus=GA100 [A100 PCIe 40GB]
                os.family=Debian GNU/Linux
                os.arch=amd64
                jvm.feature=25
                """, HostFingerprint.of(base()).input());
    }

    @Test
    void idIsTheFirst64BitsOfTheSha256OfTheInput() throws Exception {
        HostFingerprint f = HostFingerprint.of(base());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(f.input().getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(digest).substring(0, 16), f.id());
        assertTrue(f.id().matches("[0-9a-f]{16}"));
    }

    @Test
    void stableAcrossWhatDoesNotChangePerformance() {
        HostInfo h = base();
        HostInfo later = host(h.cpu().model(), 2, 2, h.memory().totalBytes() + 30L * (1 << 20), 3 * GIB, h.gpus(),
                "Debian GNU/Linux", "12 (bookworm) build 6.1.0-31-amd64", "25.0.3+9-LTS", 25);
        assertEquals(HostFingerprint.of(h), HostFingerprint.of(later),
                "free memory, kernel build, JVM update and a few MiB of reserved memory do not matter");
    }

    @Test
    void changesWithCpuCoresMemoryGpusOsAndJvmMajor() {
        HostInfo h = base();
        String id = HostFingerprint.of(h).id();
        List<HostInfo> different = List.of(
                host("AMD EPYC 9654 96-Core Processor", 2, 2, h.memory().totalBytes(), 0, h.gpus(), "Debian GNU/Linux", "", "25", 25),
                host(h.cpu().model(), 4, 4, h.memory().totalBytes(), 0, h.gpus(), "Debian GNU/Linux", "", "25", 25),
                host(h.cpu().model(), 2, 2, 64 * GIB, 0, h.gpus(), "Debian GNU/Linux", "", "25", 25),
                host(h.cpu().model(), 2, 2, h.memory().totalBytes(), 0, List.of(), "Debian GNU/Linux", "", "25", 25),
                host(h.cpu().model(), 2, 2, h.memory().totalBytes(), 0, h.gpus(), "Ubuntu", "", "25", 25),
                host(h.cpu().model(), 2, 2, h.memory().totalBytes(), 0, h.gpus(), "Debian GNU/Linux", "", "26", 26));
        for (HostInfo d : different) {
            assertNotEquals(id, HostFingerprint.of(d).id(), HostFingerprint.of(d).input());
        }
    }

    @Test
    void memoryIsRoundedSoKernelReservationsDoNotMoveIt() {
        long mib = 1L << 20;
        assertEquals("24", HostFingerprint.roundedGib(25_276_026_880L), "this VM: 23.54 GiB reported");
        assertEquals("24", HostFingerprint.roundedGib(24 * GIB - 600 * mib));
        assertEquals("24", HostFingerprint.roundedGib(24 * GIB - 400 * mib));
        assertEquals("64", HostFingerprint.roundedGib(64 * GIB - 1300 * mib));
        assertEquals("16", HostFingerprint.roundedGib(16 * GIB - 400 * mib));
        assertEquals("8", HostFingerprint.roundedGib(7_900 * mib));
        assertEquals("12", HostFingerprint.roundedGib(11_900 * mib));
        assertEquals("128", HostFingerprint.roundedGib(125 * GIB));
        assertEquals("24", HostFingerprint.roundedGib(24 * GIB), "an exact size is its own value");
        assertEquals("0.203125", HostFingerprint.roundedGib(200 * mib), "208 MiB: steps of 16 MiB below 256 MiB");
        assertEquals("0", HostFingerprint.roundedGib(0));
    }

    @Test
    void gpuOrderDoesNotMatter() {
        GpuInfo a = new GpuInfo("NVIDIA H100", "NVIDIA", "1", "", 0);
        GpuInfo b = new GpuInfo("NVIDIA L4", "NVIDIA", "2", "", 0);
        HostInfo h = base();
        assertEquals(
                HostFingerprint.of(host(h.cpu().model(), 2, 2, GIB, 0, List.of(a, b), "Debian GNU/Linux", "", "25", 25)).id(),
                HostFingerprint.of(host(h.cpu().model(), 2, 2, GIB, 0, List.of(b, a), "Debian GNU/Linux", "", "25", 25)).id());
    }
}
