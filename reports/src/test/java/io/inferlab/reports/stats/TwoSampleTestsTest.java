package io.inferlab.reports.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class TwoSampleTestsTest {
    @Test
    void hedgesGMatchesTheFormula() {
        // Means 3 and 5, both sd sqrt(2.5): d = 2 / 1.5811 = 1.2649; J = 1 - 3 / (4 * 10 - 9).
        double g = TwoSampleTests.hedgesG(new double[] {1, 2, 3, 4, 5}, new double[] {3, 4, 5, 6, 7});
        assertEquals(2 / Math.sqrt(2.5) * (1 - 3.0 / 31), g, 1e-12);
        assertTrue(Double.isNaN(TwoSampleTests.hedgesG(new double[] {1}, new double[] {1, 2})));
    }

    @Test
    void clearShiftIsSignificantForBothTests() {
        SplittableRandom random = new SplittableRandom(1);
        double[] a = BootstrapTest.normal(random, 30, 100, 2);
        double[] b = BootstrapTest.normal(random, 30, 110, 2);
        assertTrue(TwoSampleTests.mannWhitneyP(a, b) < 1e-6);
        assertTrue(TwoSampleTests.welchP(a, b) < 1e-6);
    }

    @Test
    void sameDistributionIsNotSignificant() {
        SplittableRandom random = new SplittableRandom(2);
        double[] a = BootstrapTest.normal(random, 30, 100, 2);
        double[] b = BootstrapTest.normal(random, 30, 100, 2);
        // Above the gate's alpha of 0.01 (one draw; the gate test measures the rate over 1000).
        assertTrue(TwoSampleTests.mannWhitneyP(a, b) > 0.01, "p = " + TwoSampleTests.mannWhitneyP(a, b));
        assertTrue(TwoSampleTests.welchP(a, b) > 0.01, "p = " + TwoSampleTests.welchP(a, b));
    }

    @Test
    void mannWhitneyIgnoresHowFarAnOutlierIs() {
        // One slow iteration (a GC pause, a noisy neighbour): its rank is the same whether it took
        // 3% or 10x longer, so the rank test's answer does not move; Welch's does.
        double[] a = {100, 101, 99, 100, 102, 98, 100, 101, 99, 100};
        double[] mild = {100, 101, 99, 100, 102, 98, 100, 101, 99, 103};
        double[] wild = {100, 101, 99, 100, 102, 98, 100, 101, 99, 1000};
        assertEquals(TwoSampleTests.mannWhitneyP(a, mild), TwoSampleTests.mannWhitneyP(a, wild), 1e-15);
        assertTrue(Math.abs(TwoSampleTests.welchP(a, mild) - TwoSampleTests.welchP(a, wild)) > 0.1);
    }

    @Test
    void degenerateSamples() {
        assertEquals(1.0, TwoSampleTests.welchP(new double[] {5, 5}, new double[] {5, 5, 5}));
        assertEquals(0.0, TwoSampleTests.welchP(new double[] {5, 5}, new double[] {6, 6}));
        assertTrue(Double.isNaN(TwoSampleTests.welchP(new double[] {5}, new double[] {6, 6})));
        assertTrue(Double.isNaN(TwoSampleTests.mannWhitneyP(new double[0], new double[] {1})));
    }
}
