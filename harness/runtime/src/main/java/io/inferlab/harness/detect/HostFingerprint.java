package io.inferlab.harness.detect;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A stable identity of a host's performance-relevant hardware and software, which the result
 * store keys results by.
 *
 * <p>{@link #input()} is the canonical text that is hashed, one {@code key=value} line each (after a
 * version line {@value #VERSION_LINE}):
 * <pre>
 * cpu.model=&lt;CPU model, trimmed, inner whitespace collapsed&gt;
 * cpu.physical_cores=&lt;n&gt;
 * cpu.logical_cores=&lt;n&gt;
 * memory.gib=&lt;total physical memory in GiB, rounded as {@link #roundedGib} says ("24", "7.5")&gt;
 * gpus=&lt;graphics card names as the OS lists them, sorted, joined with "; "&gt;
 * os.family=&lt;OSHI family: distribution on Linux, "macOS", "Windows"&gt;
 * os.arch=&lt;os.arch&gt;
 * jvm.feature=&lt;Java feature release&gt;
 * </pre>
 * {@link #id()} is the first 16 hex digits (64 bits) of the SHA-256 of that text in UTF-8. Left out
 * on purpose, because they change without changing performance: free memory, frequencies, kernel
 * and OS point versions, the JVM's update and build number, host names.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HostFingerprint(String id, String input) {
    public static final String VERSION_LINE = "inferlab-host-fingerprint/1";

    public HostFingerprint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(input, "input");
    }

    public static HostFingerprint of(HostInfo host) {
        String gpus = host.gpus().stream().map(g -> collapse(g.name())).filter(s -> !s.isEmpty()).sorted()
                .collect(Collectors.joining("; "));
        String input = VERSION_LINE + "\n"
                + "cpu.model=" + collapse(host.cpu().model()) + "\n"
                + "cpu.physical_cores=" + host.cpu().physicalCores() + "\n"
                + "cpu.logical_cores=" + host.cpu().logicalCores() + "\n"
                + "memory.gib=" + roundedGib(host.memory().totalBytes()) + "\n"
                + "gpus=" + gpus + "\n"
                + "os.family=" + collapse(host.os().family()) + "\n"
                + "os.arch=" + host.os().arch() + "\n"
                + "jvm.feature=" + host.jvm().feature() + "\n";
        return new HostFingerprint(sha256Prefix(input), input);
    }

    /**
     * Total memory rounded up to a multiple of one eighth of the largest power of two not above it,
     * in GiB: a 24 GiB machine whose kernel reports 23.5 GiB gives "24", 64 GiB reporting 62.8
     * gives "64", 8 GiB reporting 7.7 gives "8". The kernel reports a little less than is installed
     * (its own reservations, which vary between boots and kernels); rounding up by steps of at least
     * 1/16 of the total absorbs that, and installed sizes (8, 12, 16, 24, 48, 96 GiB, ...) are
     * multiples of their step. Plain rounding to whole GiB would flip on a machine that reports x.5.
     */
    static String roundedGib(long totalBytes) {
        if (totalBytes <= 0) {
            return "0";
        }
        long step = Math.max(1, Long.highestOneBit(totalBytes) / 8);
        long rounded = Math.ceilDiv(totalBytes, step) * step;
        return new BigDecimal(rounded).divide(BigDecimal.valueOf(1L << 30)).stripTrailingZeros().toPlainString();
    }

    private static String collapse(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s+", " ");
    }

    private static String sha256Prefix(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
