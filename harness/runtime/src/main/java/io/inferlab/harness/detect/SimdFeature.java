package io.inferlab.harness.detect;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The SIMD and matrix features that matter to LLM kernels, with every name an operating system
 * reports them under. {@link #id()} is the Linux {@code /proc/cpuinfo} flag (the kernel's name)
 * and the name used in JSON.
 *
 * <p>Aliases: macOS reports x86 features in {@code machdep.cpu.features} /
 * {@code machdep.cpu.leaf7_features} (upper case, e.g. {@code AVX1.0}, {@code AVX512VNNI}) and
 * Apple Silicon features as {@code hw.optional.*} sysctls ({@code neon}, {@code AdvSIMD},
 * {@code arm.FEAT_DotProd}, ...); Windows as {@code IsProcessorFeaturePresent} constants
 * ({@code PF_AVX2_INSTRUCTIONS_AVAILABLE}, {@code PF_ARM_V82_DP_INSTRUCTIONS_AVAILABLE}), which
 * {@link CpuFlags} shortens to {@code avx2}, {@code arm_v82_dp}.
 */
public enum SimdFeature {
    SSE4_2(Isa.X86, "sse4_2", "sse4.2"),
    AVX(Isa.X86, "avx", "avx1.0"),
    AVX2(Isa.X86, "avx2"),
    FMA(Isa.X86, "fma"),
    F16C(Isa.X86, "f16c"),
    AVX512F(Isa.X86, "avx512f"),
    AVX512BW(Isa.X86, "avx512bw"),
    AVX512VL(Isa.X86, "avx512vl"),
    AVX512_VNNI(Isa.X86, "avx512_vnni", "avx512vnni"),
    AVX512_BF16(Isa.X86, "avx512_bf16", "avx512bf16"),
    AVX512_FP16(Isa.X86, "avx512_fp16", "avx512fp16"),
    AVX_VNNI(Isa.X86, "avx_vnni", "avxvnni"),
    AMX_TILE(Isa.X86, "amx_tile", "amxtile"),
    AMX_INT8(Isa.X86, "amx_int8", "amxint8"),
    AMX_BF16(Isa.X86, "amx_bf16", "amxbf16"),
    /** Advanced SIMD (NEON), 128-bit. */
    ASIMD(Isa.ARM, "asimd", "neon", "advsimd", "arm_neon"),
    /** Half-precision arithmetic in Advanced SIMD. */
    ASIMDHP(Isa.ARM, "asimdhp", "neon_fp16", "feat_fp16"),
    /** SDOT/UDOT int8 dot products (Armv8.2 DotProd), the kernel flag {@code asimddp}. */
    DOTPROD(Isa.ARM, "asimddp", "feat_dotprod", "arm_v82_dp"),
    /** Int8 matrix multiply (SMMLA). */
    I8MM(Isa.ARM, "i8mm", "feat_i8mm"),
    /** BFloat16 dot products and conversions. */
    BF16(Isa.ARM, "bf16", "feat_bf16"),
    SVE(Isa.ARM, "sve", "feat_sve", "arm_sve"),
    SVE2(Isa.ARM, "sve2", "feat_sve2", "arm_sve2");

    /** The instruction-set family a feature belongs to. */
    public enum Isa {
        X86,
        ARM
    }

    private final Isa isa;
    private final List<String> names;

    SimdFeature(Isa isa, String... names) {
        this.isa = isa;
        this.names = List.of(names);
    }

    /** The Linux flag name ("avx512_vnni", "asimddp"), also the JSON value. */
    @JsonValue
    public String id() {
        return names.getFirst();
    }

    public Isa isa() {
        return isa;
    }

    /** Whether the normalized {@code flags} (see {@link CpuFlags#parse}) name this feature. */
    public boolean presentIn(Set<String> flags) {
        return names.stream().anyMatch(flags::contains);
    }
}
