package io.inferlab.api;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplingParamsTest {

    @Test
    void zeroTemperatureIsGreedy() {
        assertTrue(SamplingParams.greedy().isGreedy());
        assertTrue(new SamplingParams(0f, 40, 0.9f, 1).isGreedy());
    }

    @Test
    void rejectsOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(-1f, 0, 1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(Float.NaN, 0, 1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, -1, 1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, 0, 0f, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, 0, 1.5f, 0));
    }

    @Test
    void requestValidatesLimits() {
        assertThrows(IllegalArgumentException.class, () -> GenerationRequest.greedy("x", -1));
        assertThrows(IllegalArgumentException.class,
                () -> GenerationRequest.greedy("x", 1).withTimeout(java.time.Duration.ZERO));
    }
}
