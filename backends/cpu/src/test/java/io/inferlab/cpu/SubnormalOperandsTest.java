package io.inferlab.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guess of whether subnormal operands are fast: by vendor, overridden by the property. */
class SubnormalOperandsTest {
    @TempDir
    Path dir;

    private Path cpuinfo(String vendor) throws IOException {
        return Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nvendor_id\t: " + vendor + "\ncpu family\t: 26\n");
    }

    @Test
    void amdAndHygonAreFastIntelIsNot() throws IOException {
        assertTrue(SubnormalOperands.fast(null, cpuinfo("AuthenticAMD")));
        assertTrue(SubnormalOperands.fast(null, cpuinfo("HygonGenuine")));
        assertFalse(SubnormalOperands.fast(null, cpuinfo("GenuineIntel")));
    }

    @Test
    void anUnreadableOrVendorlessCpuinfoMeansNo() throws IOException {
        assertFalse(SubnormalOperands.fast(null, dir.resolve("missing")));
        assertFalse(SubnormalOperands.fast(null, Files.writeString(dir.resolve("arm"), "processor\t: 0\nBogoMIPS\t: 48.00\n")));
    }

    @Test
    void thePropertyOverridesTheGuessAndOtherValuesAreIgnored() throws IOException {
        assertFalse(SubnormalOperands.fast("false", cpuinfo("AuthenticAMD")));
        assertTrue(SubnormalOperands.fast("TRUE", cpuinfo("GenuineIntel")));
        assertTrue(SubnormalOperands.fast("maybe", cpuinfo("AuthenticAMD")));
    }
}
