package io.inferlab.harness.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.inferlab.api.BackendOptions;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.engine.SharedModels;
import io.inferlab.harness.backends.Backends;

/** The roofline of each tg repetition comes from the bandwidth measured around it; several backends take turns. */
class LlamaBenchTest {

    @Test
    void eachDecodeRepetitionIsComparedWithTheBandwidthMeasuredAroundIt() {
        Path model = SharedModels.require(SharedModels.STORIES_Q8_0);
        BackendOptions options = BackendOptions.defaults().withThreads(1).withContextLength(16);
        try (InferenceBackend b = Backends.discover().open("cpu", ModelSource.gguf(model), options)) {
            ArrayDeque<Double> measured = new ArrayDeque<>(List.of(10e9, 30e9, 20e9, 40e9));
            BenchResult tg = LlamaBench.run(List.of(new LlamaBench(b, 1)), List.of(), List.of(4), 3, measured::removeFirst)
                    .getFirst();
            assertTrue(measured.isEmpty(), "measured before the first repetition and after each");
            assertArrayEquals(new double[] {20e9, 25e9, 30e9}, tg.bandwidthSamples());
            long bytes = b.model().bytesPerToken();
            assertEquals(bytes, tg.weightBytesPerToken());
            assertEquals(25e9 / bytes, tg.rooflineTokensPerSecond(), 1e-9);
            double[] s = tg.samples();
            double expected = (s[0] / (20e9 / bytes) + s[1] / (25e9 / bytes) + s[2] / (30e9 / bytes)) / 3;
            assertEquals(expected, tg.rooflineEfficiency(), 1e-12);
        }
    }

    /** Repetition 1 of every backend, then repetition 2 of every backend; each tg one between its own two measurements. */
    @Test
    void severalBackendsTakeTheirRepetitionsInTurns() {
        Path model = SharedModels.require(SharedModels.STORIES_Q8_0);
        BackendOptions options = BackendOptions.defaults().withThreads(1).withContextLength(16);
        Backends backends = Backends.discover();
        try (InferenceBackend a = backends.open("cpu", ModelSource.gguf(model), options);
             InferenceBackend b = backends.open("cpu", ModelSource.gguf(model), options)) {
            ArrayDeque<Double> measured = new ArrayDeque<>(List.of(10e9, 20e9, 30e9, 40e9, 50e9));
            List<BenchResult> results = LlamaBench.run(List.of(new LlamaBench(a, 1), new LlamaBench(b, 1)), List.of(6), List.of(4), 2,
                    measured::removeFirst);
            assertTrue(measured.isEmpty(), "measured before the first tg repetition and after each of the four");
            assertEquals(List.of("pp6", "tg4", "pp6", "tg4"), results.stream().map(BenchResult::test).toList());
            // a's repetitions ran first and third, b's second and fourth.
            assertArrayEquals(new double[] {15e9, 35e9}, results.get(1).bandwidthSamples());
            assertArrayEquals(new double[] {25e9, 45e9}, results.get(3).bandwidthSamples());
            for (BenchResult r : results) {
                assertEquals(2, r.samples().length, r.test());
                assertTrue(Arrays.stream(r.samples()).allMatch(t -> t > 0), r.test() + ": " + Arrays.toString(r.samples()));
            }
            assertEquals(0, results.get(0).bandwidthSamples().length, "pp measures no bandwidth");
        }
    }

    @Test
    void prefillAndAZeroBandwidthHaveNoRoofline() {
        BenchResult pp = new BenchResult("m", "cpu", "mode", 1, "pp8", 8, 100, 1, new double[] {99, 101}, new double[0], 1000);
        assertEquals(0, pp.rooflineTokensPerSecond());
        assertEquals(0, pp.rooflineEfficiency());
        BenchResult unmeasured = new BenchResult("m", "cpu", "mode", 1, "tg8", 8, 100, 1, new double[] {99, 101},
                new double[] {0, 0}, 1000);
        assertEquals(0, unmeasured.rooflineTokensPerSecond());
        assertEquals(0, unmeasured.rooflineEfficiency());
    }
}
