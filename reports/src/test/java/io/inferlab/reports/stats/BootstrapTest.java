package io.inferlab.reports.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.inferlab.reports.SyntheticJmh;

class BootstrapTest {
    private final Bootstrap bootstrap = new Bootstrap(1000, 0.95);

    @Test
    void medianIntervalCoversTheTrueMedianAboutAsOftenAsItSays() {
        SplittableRandom random = new SplittableRandom(42);
        int covered = 0;
        int trials = 300;
        for (int t = 0; t < trials; t++) {
            double[] x = normal(random, 50, 100, 5);
            if (bootstrap.median(x, t).contains(100)) {
                covered++;
            }
        }
        // Percentile-bootstrap intervals for a median are close to nominal at n = 50; 300 trials
        // put the observed rate within a few points of it.
        double rate = covered / (double) trials;
        assertTrue(rate > 0.88 && rate < 0.995, "coverage " + rate);
    }

    @Test
    void ratioIntervalCoversTheTrueRatioAndNarrowsWithMoreSamples() {
        SplittableRandom random = new SplittableRandom(7);
        double[] num = normal(random, 50, 105, 5);
        double[] den = normal(random, 50, 100, 5);
        ConfidenceInterval ci = bootstrap.ratioOfMedians(num, den, 1);
        assertTrue(ci.contains(1.05), ci.toString());
        ConfidenceInterval wide = bootstrap.ratioOfMedians(normal(random, 8, 105, 5), normal(random, 8, 100, 5), 1);
        assertTrue(wide.upper() - wide.lower() > ci.upper() - ci.lower(), wide + " vs " + ci);
    }

    @Test
    void intervalsAreReproducibleForASeed() {
        double[] x = normal(new SplittableRandom(3), 30, 10, 1);
        assertEquals(bootstrap.median(x, 99), bootstrap.median(x, 99));
    }

    @Test
    void medianOfAConstantSampleIsThatConstant() {
        ConfidenceInterval ci = bootstrap.median(new double[] {7, 7, 7, 7}, 1);
        assertEquals(7, ci.lower());
        assertEquals(7, ci.upper());
    }

    @Test
    void evenSizedResamplesAverageTheMiddlePair() {
        // With two values every resample is {1,1}, {1,3} or {3,3}: medians 1, 2 or 3 (p = 1/4, 1/2, 1/4).
        ConfidenceInterval ci = new Bootstrap(1000, 0.5).median(new double[] {1, 3}, 5);
        assertTrue(ci.lower() >= 1 && ci.upper() <= 3 && ci.contains(2), ci.toString());
    }

    @Test
    void tooSmallOrInvalid() {
        assertFalse(bootstrap.median(new double[] {1}, 1).isKnown());
        assertFalse(bootstrap.ratioOfMedians(new double[] {1, 2}, new double[] {0, 0}, 1).isKnown());
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(10, 0.95));
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(1000, 1.0));
    }

    static double[] normal(SplittableRandom random, int n, double mean, double sd) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = mean + sd * SyntheticJmh.gaussian(random);
        }
        return x;
    }
}
