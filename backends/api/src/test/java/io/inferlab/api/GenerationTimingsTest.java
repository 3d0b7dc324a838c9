package io.inferlab.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GenerationTimingsTest {

    @Test
    void derivesVllmMetricsFromRawTimings() {
        // 10 prompt tokens in 5 ms; three tokens after the first, 10, 20 and 30 ms apart.
        GenerationTimings t = new GenerationTimings(10, 5_000_000, 6_000_000, new long[] {10_000_000, 20_000_000, 30_000_000}, 66_000_000);
        assertEquals(2000.0, t.prefillTokensPerSecond(), 1e-9);
        assertEquals(20_000_000.0, t.tpotNs(), 1e-9);
        assertEquals(3 / 0.06, t.decodeTokensPerSecond(), 1e-9);
        assertEquals(4, t.generatedTokens());
    }

    @Test
    void emptyGenerationHasZeroRates() {
        GenerationTimings t = new GenerationTimings(3, 1000, 0, new long[0], 1000);
        assertEquals(0, t.generatedTokens());
        assertEquals(0, t.tpotNs());
        assertEquals(0, t.decodeTokensPerSecond());
    }

    @Test
    void itlArrayIsDefensivelyCopied() {
        long[] gaps = {1, 2};
        GenerationTimings t = new GenerationTimings(1, 1, 1, gaps, 4);
        gaps[0] = 99;
        t.itlNs()[1] = 99;
        assertEquals(1, t.itlNs()[0]);
        assertEquals(2, t.itlNs()[1]);
    }
}
