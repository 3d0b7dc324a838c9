package io.inferlab.reports.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.inferlab.reports.SyntheticJmh;

class ChangePointDetectorTest {
    private final ChangePointDetector detector = new ChangePointDetector(0.01, 2.0, 2);

    private static double[] series(long seed, double noiseCv, double... levels) {
        // levels come in pairs: value, how many runs at it.
        SplittableRandom random = new SplittableRandom(seed);
        int n = 0;
        for (int i = 1; i < levels.length; i += 2) {
            n += (int) levels[i];
        }
        double[] x = new double[n];
        int k = 0;
        for (int i = 0; i < levels.length; i += 2) {
            for (int j = 0; j < (int) levels[i + 1]; j++) {
                x[k++] = levels[i] * (1 + noiseCv * SyntheticJmh.gaussian(random));
            }
        }
        return x;
    }

    @Test
    void namesTheFirstRunOfANewLevel() {
        List<ChangePointDetector.Shift> shifts = detector.detect(series(1, 0.01, 100, 6, 85, 6));
        assertEquals(1, shifts.size(), shifts.toString());
        ChangePointDetector.Shift s = shifts.getFirst();
        assertEquals(6, s.index());
        assertEquals(-15, s.shiftPercent(), 2);
        assertTrue(s.pValue() < 0.01);
    }

    @Test
    void findsTwoShifts() {
        List<ChangePointDetector.Shift> shifts = detector.detect(series(2, 0.01, 100, 5, 120, 5, 100, 5));
        assertEquals(List.of(5, 10), shifts.stream().map(ChangePointDetector.Shift::index).toList());
    }

    @Test
    void noisyButFlatSeriesHasNone() {
        for (long seed = 0; seed < 50; seed++) {
            assertEquals(List.of(), detector.detect(series(seed, 0.01, 100, 12)), "seed " + seed);
        }
    }

    @Test
    void oneOddRunIsNotAShift() {
        double[] x = {100, 101, 99, 100, 70, 100, 101, 99, 100, 100};
        assertEquals(List.of(), detector.detect(x));
    }

    @Test
    void aSmallButRealShiftBelowTheMinimumIsIgnored() {
        assertEquals(List.of(), detector.detect(series(3, 0.001, 100, 6, 101, 6)));
        assertEquals(1, new ChangePointDetector(0.01, 0.5, 2).detect(series(3, 0.001, 100, 6, 101, 6)).size());
    }

    @Test
    void tooShortSeriesHaveNone() {
        assertEquals(List.of(), detector.detect(new double[] {100, 50, 50}));
        assertEquals(List.of(), detector.detect(new double[0]));
    }
}
