package io.inferlab.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.inferlab.api.BackendOptions;

class WeightResidencyTest {

    @Test
    void mappedWhenAskedWhateverTheMemory() {
        assertSame(WeightResidency.MAPPED, WeightResidency.of(BackendOptions.defaults().withMmap(true), Path.of("absent.gguf")));
        assertEquals("weights mapped", WeightResidency.MAPPED.describe());
    }

    @Test
    void copiedWhenTheModelFitsInThreeQuartersOfTheAvailableMemory() {
        assertSame(WeightResidency.IN_MEMORY, WeightResidency.fitting(750, OptionalLong.of(1000)));
        assertEquals("weights in memory", WeightResidency.IN_MEMORY.describe());
        WeightResidency tooLarge = WeightResidency.fitting(12_800_000_000L, OptionalLong.of(9_100_000_000L));
        assertFalse(tooLarge.inMemory());
        assertEquals("weights mapped (12.8 GB of weights, 9.1 GB of memory available)", tooLarge.describe());
        assertFalse(WeightResidency.fitting(751, OptionalLong.of(1000)).inMemory());
    }

    /** Unknown available memory, or a file that cannot be sized (opening it says why): copied. */
    @Test
    void copiedWhenNothingSaysItWouldNotFit() {
        assertSame(WeightResidency.IN_MEMORY, WeightResidency.fitting(Long.MAX_VALUE, OptionalLong.empty()));
        assertSame(WeightResidency.IN_MEMORY, WeightResidency.of(BackendOptions.defaults(), Path.of("absent.gguf")));
    }

    @Test
    void readsMemAvailableFromProcMeminfo() {
        List<String> meminfo = List.of("MemTotal:       24563280 kB", "MemFree:         1180440 kB",
                "MemAvailable:   20123456 kB", "Buffers:          123456 kB");
        assertEquals(OptionalLong.of(20123456L * 1024), WeightResidency.memAvailable(meminfo));
        assertEquals(OptionalLong.empty(), WeightResidency.memAvailable(List.of("MemTotal: 1 kB")));
        assertEquals(OptionalLong.empty(), WeightResidency.memAvailable(List.of("MemAvailable: lots kB")));
        assertTrue(WeightResidency.availableMemory().orElse(1) > 0);
    }
}
