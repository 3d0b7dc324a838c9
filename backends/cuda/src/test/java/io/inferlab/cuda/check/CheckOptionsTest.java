package io.inferlab.cuda.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.inferlab.datasets.models.ModelPreset;
import io.inferlab.engine.tensor.GgmlType;

class CheckOptionsTest {

    @Test
    void defaultsBenchmarkThe110mAnd1bPresetsInQ8_0AndQ4_0WithTheCpuBaseline() {
        CheckOptions o = CheckOptions.parse("--models", "m", "--out", "o");
        assertEquals(Path.of("m"), o.models());
        assertEquals(Path.of("o"), o.out());
        assertEquals(List.of(ModelPreset.SMALL, ModelPreset.TINYLLAMA_1B), o.benchPresets());
        assertEquals(List.of(GgmlType.Q8_0, GgmlType.Q4_0), o.benchTypes());
        assertTrue(o.cpuBaseline());
        assertTrue(o.gptOssBench(), "the MXFP4 gpt-oss decode benchmark runs by default");
    }

    @Test
    void theGptOssBenchmarkCanBeSkipped() {
        CheckOptions o = CheckOptions.parse("--models", "m", "--out", "o", "--no-gpt-oss-bench");
        assertFalse(o.gptOssBench());
        assertTrue(o.cpuBaseline());
        assertTrue(CheckOptions.USAGE.contains("--no-gpt-oss-bench"));
    }

    @Test
    void benchmarkPresetsTypesAndBaselineCanBeChosen() {
        CheckOptions o = CheckOptions.parse("--out", "o", "--bench", "1b,110m", "--bench-types", "q4_0",
                "--no-cpu-baseline", "--models", "m");
        assertEquals(List.of(ModelPreset.TINYLLAMA_1B, ModelPreset.SMALL), o.benchPresets());
        assertEquals(List.of(GgmlType.Q4_0), o.benchTypes());
        assertFalse(o.cpuBaseline());
        assertEquals(List.of(), CheckOptions.parse("--models", "m", "--out", "o", "--bench", "none").benchPresets());
    }

    @Test
    void badCommandLinesSayWhatIsWrongAndShowTheUsage() {
        assertUsage("--models and --out are required", "--models", "m");
        assertUsage("unknown option '--gpu'", "--models", "m", "--out", "o", "--gpu");
        assertUsage("--out needs a value", "--models", "m", "--out");
        assertUsage("unknown model preset 'huge'", "--models", "m", "--out", "o", "--bench", "huge");
        assertUsage("unknown weight type 'q5_k'", "--models", "m", "--out", "o", "--bench-types", "q5_k");
        assertUsage("not MXFP4", "--models", "m", "--out", "o", "--bench-types", "mxfp4");
    }

    private static void assertUsage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckOptions.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("usage: CudaCheck"), e.getMessage());
    }
}
