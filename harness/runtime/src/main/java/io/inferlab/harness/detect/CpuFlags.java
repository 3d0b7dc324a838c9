package io.inferlab.harness.detect;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the CPU feature strings OSHI returns ({@code CentralProcessor.getFeatureFlags()}) into
 * one normalized flag set, and that into {@link SimdFeature}s.
 *
 * <p>What OSHI 6.x returns, per OS (read from its sources):
 * <ul>
 *   <li>Linux: the distinct {@code flags} (x86) or {@code Features} (ARM) lines of
 *       {@code /proc/cpuinfo}, raw: {@code "flags\t\t: fpu vme ... avx512_vnni"};</li>
 *   <li>macOS x86: {@code "machdep.cpu.features: FPU VME ..."} and the {@code extfeatures} and
 *       {@code leaf7_features} lines;</li>
 *   <li>macOS arm64: the output of {@code sysctl -a hw.optional}, one {@code "key: 0|1"} line per
 *       feature ({@code "hw.optional.arm.FEAT_DotProd: 1"});</li>
 *   <li>Windows: the names of the {@code PF_*} processor features present.</li>
 * </ul>
 */
public final class CpuFlags {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern SYSCTL_NUMBER = Pattern.compile("\\d+");

    private CpuFlags() {
    }

    /**
     * All flags named in {@code lines}, lower case, in first-seen order. "key: value" lines
     * contribute their value's words, except sysctl number lines, which contribute the key's last
     * dotted segment when the value is not 0. Windows {@code PF_X_INSTRUCTIONS_AVAILABLE} becomes
     * {@code x}.
     */
    public static Set<String> parse(Collection<String> lines) {
        Set<String> flags = new LinkedHashSet<>();
        for (String line : lines) {
            if (line == null || line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                addWords(line, flags);
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (SYSCTL_NUMBER.matcher(value).matches()) {
                // macOS "hw.optional.neon: 1": a feature switch (watchpoint/breakpoint counts are harmless extras).
                if (!value.chars().allMatch(c -> c == '0')) {
                    flags.add(normalize(key.substring(key.lastIndexOf('.') + 1)));
                }
            } else {
                addWords(value, flags);
            }
        }
        return flags;
    }

    /** The {@link SimdFeature}s named in normalized {@code flags}, in declaration order. */
    public static Set<SimdFeature> simd(Set<String> flags) {
        Set<SimdFeature> found = EnumSet.noneOf(SimdFeature.class);
        for (SimdFeature f : SimdFeature.values()) {
            if (f.presentIn(flags)) {
                found.add(f);
            }
        }
        return found;
    }

    /**
     * The feature lines of a {@code /proc/cpuinfo} text, as OSHI's Linux driver selects them: the
     * distinct lines that start with {@code flags} (x86) or {@code Features} (ARM).
     */
    public static List<String> procCpuinfoFeatureLines(Collection<String> cpuinfoLines) {
        return cpuinfoLines.stream().filter(l -> {
            String s = l.toLowerCase(Locale.ROOT);
            return s.startsWith("flags") || s.startsWith("features");
        }).distinct().toList();
    }

    /** {@link #simd} of {@link #parse}. */
    public static List<SimdFeature> simdOf(Collection<String> lines) {
        return List.copyOf(simd(parse(lines)));
    }

    private static void addWords(String text, Set<String> flags) {
        for (String word : WHITESPACE.split(text.trim())) {
            if (!word.isEmpty()) {
                flags.add(normalize(word));
            }
        }
    }

    static String normalize(String flag) {
        String f = flag.toLowerCase(Locale.ROOT);
        if (f.startsWith("pf_")) {
            f = f.substring(3);
            f = stripSuffix(stripSuffix(f, "_instructions_available"), "_available");
        }
        return f;
    }

    private static String stripSuffix(String s, String suffix) {
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }
}
