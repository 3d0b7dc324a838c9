package io.inferlab.reports.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class VerdictRuleTest {
    private static final ComparisonPolicy POLICY = ComparisonPolicy.DEFAULT;
    private static final double[] BASE = {100, 101, 99, 100.5, 99.5, 100, 101, 99, 100.2, 99.8};

    private static double[] scaled(double factor) {
        return Arrays.stream(BASE).map(v -> v * factor).toArray();
    }

    @Test
    void lowerThroughputIsARegressionHigherTimeToo() {
        VerdictRule.Decision thrpt = VerdictRule.decide(BASE, scaled(0.9), true, POLICY);
        assertEquals(Verdict.REGRESSED, thrpt.verdict());
        assertEquals(-10, thrpt.changePercent(), 1e-9);
        assertEquals(10, thrpt.regressionPercent(), 1e-9);
        assertTrue(VerdictRule.failsGate(thrpt, POLICY));

        VerdictRule.Decision time = VerdictRule.decide(BASE, scaled(0.9), false, POLICY);
        assertEquals(Verdict.IMPROVED, time.verdict(), "less time per operation is better");
        assertEquals(-10, time.regressionPercent(), 1e-9);
        assertFalse(VerdictRule.failsGate(time, POLICY));
    }

    @Test
    void significantButTinyChangesAreUnchanged() {
        VerdictRule.Decision d = VerdictRule.decide(BASE, scaled(1.015), false, POLICY);
        assertTrue(d.pValue() < POLICY.alpha(), "p = " + d.pValue());
        assertEquals(Verdict.UNCHANGED, d.verdict(), "1.5% is below the 2% minimum meaningful change");
    }

    @Test
    void theGateThresholdIsSeparateFromTheVerdict() {
        VerdictRule.Decision d = VerdictRule.decide(BASE, scaled(1.04), false, POLICY);
        assertEquals(Verdict.REGRESSED, d.verdict());
        assertTrue(VerdictRule.failsGate(d, POLICY));
        assertFalse(VerdictRule.failsGate(d, POLICY.withMaxRegressionPercent(5)), "a 4% regression passes a 5% gate");
    }

    @Test
    void fewSamplesAreInconclusive() {
        VerdictRule.Decision d = VerdictRule.decide(new double[] {100, 100, 100, 100}, new double[] {200, 200, 200, 200}, true, POLICY);
        assertEquals(Verdict.INCONCLUSIVE, d.verdict());
        assertEquals(100, d.changePercent(), 1e-9);
        assertTrue(Double.isNaN(d.pValue()));
        assertEquals(Verdict.INCONCLUSIVE, VerdictRule.decide(new double[0], BASE, true, POLICY).verdict());
    }
}
