package io.inferlab.reports.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SampleStatisticsTest {
    private final Bootstrap bootstrap = new Bootstrap(1000, 0.95);

    @Test
    void oneToTenHasTheTextbookValues() {
        double[] x = {3, 1, 4, 10, 5, 9, 2, 6, 8, 7};
        SampleStatistics s = SampleStatistics.of(x, bootstrap, 1);
        assertEquals(10, s.n());
        assertEquals(5.5, s.mean(), 1e-12);
        assertEquals(5.5, s.median(), 1e-12);
        assertEquals(3.0276503540974917, s.standardDeviation(), 1e-12);
        assertEquals(3.0276503540974917 / 5.5, s.coefficientOfVariation(), 1e-12);
        // t(0.975, 9) = 2.2621571628 (Student's t table): half-width 2.2621571628 * 3.02765 / sqrt(10).
        assertEquals(5.5 - 2.1658506, s.meanInterval().lower(), 1e-6);
        assertEquals(5.5 + 2.1658506, s.meanInterval().upper(), 1e-6);
        assertTrue(s.medianInterval().contains(5.5) && s.medianInterval().lower() >= 1 && s.medianInterval().upper() <= 10,
                s.medianInterval().toString());
    }

    @Test
    void tinySamplesGiveNaNsNotExceptions() {
        SampleStatistics none = SampleStatistics.of(new double[0], bootstrap, 1);
        assertEquals(0, none.n());
        assertTrue(Double.isNaN(none.mean()) && !none.meanInterval().isKnown());
        SampleStatistics one = SampleStatistics.of(new double[] {4.5}, bootstrap, 1);
        assertEquals(4.5, one.median());
        assertTrue(Double.isNaN(one.standardDeviation()) && Double.isNaN(one.coefficientOfVariation()));
        assertFalse(one.medianInterval().isKnown());
    }

    @Test
    void warningsForFewAndNoisySamples() {
        assertEquals(java.util.List.of("no raw samples"), SampleWarnings.of(SampleStatistics.of(new double[0], bootstrap, 1)));
        var few = SampleWarnings.of(SampleStatistics.of(new double[] {100, 101, 99}, bootstrap, 1));
        assertEquals(java.util.List.of("too few samples (3 < 10)"), few);
        double[] noisy = {100, 120, 80, 100, 110, 90, 100, 130, 70, 100};
        var w = SampleWarnings.of(SampleStatistics.of(noisy, bootstrap, 1));
        assertEquals(1, w.size());
        assertTrue(w.getFirst().startsWith("noisy: CV 17.6% > 5%"), w.toString());
        double[] quiet = {100, 101, 99, 100, 100.5, 99.5, 100, 101, 99, 100};
        assertTrue(SampleWarnings.of(SampleStatistics.of(quiet, bootstrap, 1)).isEmpty());
    }
}
