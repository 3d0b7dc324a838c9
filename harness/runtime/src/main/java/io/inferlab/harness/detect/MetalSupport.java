package io.inferlab.harness.detect;

import java.util.List;
import java.util.Locale;

import io.inferlab.api.AccelerationType;

/**
 * The METAL row when no installed backend provider serves Metal. InferLab runs Metal through
 * llama.cpp's Metal build, which targets Apple Silicon; so the hardware question is answered from
 * the OS: macOS on arm64 has a Metal GPU (the Apple GPU is part of the SoC), anything else has none
 * that we can use.
 */
public final class MetalSupport {
    static final String NO_BACKEND = "served through the llama.cpp backend, which is not installed";

    private MetalSupport() {
    }

    /** Whether {@code os} is macOS on Apple Silicon. */
    public static boolean appleSilicon(OsInfo os) {
        return isMac(os) && isArm64(os.arch());
    }

    /**
     * The row for a host without a Metal provider: unavailable either way; on Apple Silicon the GPU
     * is listed as found hardware and the reason says what is missing.
     */
    public static AccelerationStatus withoutProvider(OsInfo os, List<GpuInfo> gpus) {
        if (appleSilicon(os)) {
            String gpu = gpus.stream().map(GpuInfo::name).filter(n -> n != null && !n.isBlank()).findFirst()
                    .orElse("Apple Silicon GPU");
            return new AccelerationStatus(AccelerationType.METAL, false, "Metal GPU present (" + gpu + "); " + NO_BACKEND,
                    List.of(new Device(gpu, "Apple Silicon GPU (Metal)", 0, java.util.Map.of())), List.of());
        }
        String reason = isMac(os)
                ? "Metal through llama.cpp needs Apple Silicon; this Mac is " + os.arch()
                : "Metal is Apple's GPU API and needs macOS on Apple Silicon; this host runs " + os.name() + " on " + os.arch();
        return new AccelerationStatus(AccelerationType.METAL, false, reason, List.of(), List.of());
    }

    private static boolean isMac(OsInfo os) {
        String name = os.name() == null ? "" : os.name().toLowerCase(Locale.ROOT);
        return name.startsWith("mac") || name.contains("darwin") || name.contains("os x");
    }

    private static boolean isArm64(String arch) {
        return "aarch64".equals(arch) || "arm64".equals(arch);
    }
}
