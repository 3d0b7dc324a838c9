package io.inferlab.harness.detect;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The operating system.
 *
 * @param name    the JVM's {@code os.name} ("Linux", "Mac OS X", "Windows 11")
 * @param family  OSHI's family: the distribution on Linux ("Debian GNU/Linux"), "macOS", "Windows"
 * @param version OSHI's version with code name and build ("12 (bookworm) build 6.1.0-28-amd64")
 * @param arch    the JVM's {@code os.arch} ("amd64", "aarch64")
 * @param bitness 64 or 32 (0 when unknown)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OsInfo(String name, String family, String version, String arch, int bitness) {
}
