package io.inferlab.harness.detect;

import static io.inferlab.harness.detect.SimdFeature.AMX_BF16;
import static io.inferlab.harness.detect.SimdFeature.AMX_INT8;
import static io.inferlab.harness.detect.SimdFeature.AMX_TILE;
import static io.inferlab.harness.detect.SimdFeature.ASIMD;
import static io.inferlab.harness.detect.SimdFeature.ASIMDHP;
import static io.inferlab.harness.detect.SimdFeature.AVX;
import static io.inferlab.harness.detect.SimdFeature.AVX2;
import static io.inferlab.harness.detect.SimdFeature.AVX512BW;
import static io.inferlab.harness.detect.SimdFeature.AVX512F;
import static io.inferlab.harness.detect.SimdFeature.AVX512VL;
import static io.inferlab.harness.detect.SimdFeature.AVX512_BF16;
import static io.inferlab.harness.detect.SimdFeature.AVX512_FP16;
import static io.inferlab.harness.detect.SimdFeature.AVX512_VNNI;
import static io.inferlab.harness.detect.SimdFeature.AVX_VNNI;
import static io.inferlab.harness.detect.SimdFeature.BF16;
import static io.inferlab.harness.detect.SimdFeature.DOTPROD;
import static io.inferlab.harness.detect.SimdFeature.F16C;
import static io.inferlab.harness.detect.SimdFeature.FMA;
import static io.inferlab.harness.detect.SimdFeature.I8MM;
import static io.inferlab.harness.detect.SimdFeature.SSE4_2;
import static io.inferlab.harness.detect.SimdFeature.SVE;
import static io.inferlab.harness.detect.SimdFeature.SVE2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Feature parsing from recorded /proc/cpuinfo texts and OSHI strings (x86 and ARM, Linux, macOS, Windows). */
class CpuFlagsTest {

    static List<String> resource(String name) {
        try (InputStream in = Objects.requireNonNull(CpuFlagsTest.class.getResourceAsStream("/cpuflags/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Set<SimdFeature> fromCpuinfo(String name) {
        return CpuFlags.simd(CpuFlags.parse(CpuFlags.procCpuinfoFeatureLines(resource(name))));
    }

    static Set<SimdFeature> fromOshi(String name) {
        return CpuFlags.simd(CpuFlags.parse(resource(name)));
    }

    @Test
    void x86ProcCpuinfoOfAnAvx512EpycWithoutAmx() {
        assertEquals(Set.of(SSE4_2, AVX, AVX2, FMA, F16C, AVX512F, AVX512BW, AVX512VL, AVX512_VNNI, AVX512_BF16, AVX_VNNI),
                fromCpuinfo("linux-x86-amd-epyc.cpuinfo"));
    }

    @Test
    void procCpuinfoYieldsOneDistinctFlagsLineForAllProcessors() {
        List<String> lines = CpuFlags.procCpuinfoFeatureLines(resource("linux-x86-amd-epyc.cpuinfo"));
        assertEquals(1, lines.size(), "both processors have the same flags line");
        assertTrue(lines.getFirst().startsWith("flags"));
    }

    @Test
    void oshiLinuxStringsGiveTheSameFlagsAsProcCpuinfo() {
        Set<String> fromOshi = CpuFlags.parse(resource("oshi-linux-x86-amd-epyc.txt"));
        Set<String> fromCpuinfo = CpuFlags.parse(CpuFlags.procCpuinfoFeatureLines(resource("linux-x86-amd-epyc.cpuinfo")));
        assertEquals(fromCpuinfo, fromOshi);
        assertTrue(fromOshi.contains("avx512_vp2intersect") && fromOshi.contains("fpu"), "every flag is kept, not only SIMD");
        assertFalse(fromOshi.contains("flags") || fromOshi.contains(":"), "the 'flags :' label is not a flag");
    }

    @Test
    void x86SapphireRapidsHasAmxAndAvx512Fp16() {
        Set<SimdFeature> simd = fromOshi("oshi-linux-x86-sapphire-rapids.txt");
        assertTrue(simd.containsAll(Set.of(AMX_TILE, AMX_INT8, AMX_BF16, AVX512_FP16, AVX512_VNNI, AVX512_BF16)), simd.toString());
        assertTrue(simd.stream().allMatch(f -> f.isa() == SimdFeature.Isa.X86));
    }

    @Test
    void armNeoverseN1HasDotProductButNoSveOrI8mm() {
        Set<SimdFeature> expected = Set.of(ASIMD, ASIMDHP, DOTPROD);
        assertEquals(expected, fromCpuinfo("linux-arm-neoverse-n1.cpuinfo"));
        assertEquals(expected, fromOshi("oshi-linux-arm-neoverse-n1.txt"));
    }

    @Test
    void armNeoverseV2HasSve2I8mmAndBf16() {
        assertEquals(Set.of(ASIMD, ASIMDHP, DOTPROD, I8MM, BF16, SVE, SVE2), fromCpuinfo("linux-arm-neoverse-v2.cpuinfo"));
    }

    @Test
    void appleSiliconSysctlLinesCountOnlyWhenSetToOne() {
        Set<String> flags = CpuFlags.parse(resource("oshi-macos-arm64-apple-m3.txt"));
        assertEquals(Set.of(ASIMD, ASIMDHP, DOTPROD, I8MM, BF16), CpuFlags.simd(flags));
        assertTrue(flags.contains("feat_dotprod") && flags.contains("neon"));
        assertFalse(flags.contains("feat_sme"), "FEAT_SME: 0 is absent");
    }

    @Test
    void intelMacSysctlNamesMapToLinuxNames() {
        assertEquals(Set.of(SSE4_2, AVX, AVX2, FMA, F16C), fromOshi("oshi-macos-x86-broadwell.txt"));
    }

    @Test
    void windowsProcessorFeatureNamesAreShortened() {
        Set<String> flags = CpuFlags.parse(resource("oshi-windows-x86.txt"));
        assertTrue(flags.contains("avx2") && flags.contains("sse4_2") && flags.contains("avx512f"), flags.toString());
        assertEquals(Set.of(SSE4_2, AVX, AVX2, AVX512F), CpuFlags.simd(flags));
        assertEquals(Set.of(ASIMD, DOTPROD),
                CpuFlags.simd(CpuFlags.parse(List.of("PF_ARM_NEON_INSTRUCTIONS_AVAILABLE", "PF_ARM_V82_DP_INSTRUCTIONS_AVAILABLE"))));
    }

    @Test
    void emptyAndBlankInputHasNoFlags() {
        assertTrue(CpuFlags.parse(List.of()).isEmpty());
        assertTrue(CpuFlags.parse(java.util.Arrays.asList("", "   ", null)).isEmpty());
    }

    @Test
    void simdFeatureIdsAreTheLinuxFlagNames() {
        assertEquals("avx512_vnni", AVX512_VNNI.id());
        assertEquals("asimddp", DOTPROD.id());
        assertEquals(SimdFeature.values().length,
                java.util.Arrays.stream(SimdFeature.values()).map(SimdFeature::id).distinct().count(), "ids are unique");
    }
}
