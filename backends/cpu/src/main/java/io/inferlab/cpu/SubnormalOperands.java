package io.inferlab.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Whether this CPU multiplies subnormal floats at full speed, which lets {@link InterleavedQ4_0}'s
 * decode kernel use a masked nibble as a float as it is, without a conversion (see there).
 *
 * <p>AMD's cores (Zen, and Hygon's Dhyana built on it) take subnormal operands in their FMA units
 * at full rate: on the development VM's Zen 5, ten independent 512-bit FMA chains ran at 8.7 FMAs
 * per ns with subnormal and with normal weights alike. Intel's cores take a microcode assist of
 * about a hundred cycles for a subnormal operand unless denormals-are-zero is set, which the JVM
 * never does; so the default is yes only for AMD and Hygon, read from {@code /proc/cpuinfo}, and
 * no wherever that cannot be read. {@code -Dinferlab.cpu.subnormalOperands=true|false} overrides
 * the guess, for a machine it gets wrong; both answers give correct results, only the speed differs.
 */
final class SubnormalOperands {
    static final String PROPERTY = "inferlab.cpu.subnormalOperands";

    /** Read once: the decode kernel branches on it, and a constant lets the JIT drop the branch. */
    static final boolean FAST = fast(System.getProperty(PROPERTY), Path.of("/proc/cpuinfo"));

    private SubnormalOperands() {
    }

    /** {@code override} when it is "true" or "false" (any case), else the vendor in {@code cpuinfo}. */
    static boolean fast(String override, Path cpuinfo) {
        if (override != null && (override.equalsIgnoreCase("true") || override.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(override);
        }
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("vendor_id"))
                    .findFirst()
                    .map(l -> l.toLowerCase(Locale.ROOT))
                    .map(l -> l.contains("authenticamd") || l.contains("hygongenuine"))
                    .orElse(false);
        } catch (IOException | RuntimeException e) {
            return false; // not Linux, or not readable: the conversion is right everywhere
        }
    }
}
