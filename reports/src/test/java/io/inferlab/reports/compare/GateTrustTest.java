package io.inferlab.reports.compare;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.inferlab.reports.SyntheticJmh;

/**
 * The regression gate's trustworthiness, measured over simulated nightly runs (the "must
 * show"): at most 2% false alarms over 1000 A/A comparisons drawn from one distribution with a 5%
 * coefficient of variation, and at least 90% detection of a true 5% slowdown, at the nightly
 * profile's sample count ({@link NightlyProfile}: 5 forks x 10 iterations = 50 samples).
 *
 * <p>Each simulated run is {@link NightlyProfile#SAMPLES_PER_BENCHMARK} independent log-normal
 * iteration scores (positive and right-skewed, like timings). The decision is
 * {@link VerdictRule}, the code every report and {@code compare} runs, with the default policy.
 * A fixed seed makes the counts the same on every run of the test.
 */
class GateTrustTest {
    private static final int TRIALS = 1000;
    private static final double CV = 0.05;
    private static final int N = NightlyProfile.SAMPLES_PER_BENCHMARK;
    private static final ComparisonPolicy POLICY = ComparisonPolicy.DEFAULT;

    /** How many of the trials fail the gate when the current run's true score is base * factor. */
    private static int gateFailures(long seed, int n, double factor, boolean higherIsBetter) {
        SplittableRandom random = new SplittableRandom(seed);
        int failures = 0;
        for (int t = 0; t < TRIALS; t++) {
            double[] baseline = samples(random, n, 100);
            double[] current = samples(random, n, 100 * factor);
            if (VerdictRule.failsGate(VerdictRule.decide(baseline, current, higherIsBetter, POLICY), POLICY)) {
                failures++;
            }
        }
        return failures;
    }

    private static double[] samples(SplittableRandom random, int n, double median) {
        return Arrays.stream(SyntheticJmh.lognormal(random, 1, n, median, CV)).flatMapToDouble(Arrays::stream).toArray();
    }

    @Test
    void atMostTwoPercentFalseAlarmsOverAThousandAaComparisons() {
        int time = gateFailures(20250601L, N, 1.0, false);
        int thrpt = gateFailures(20250602L, N, 1.0, true);
        System.out.printf("gate A/A false alarms at n=%d, CV 5%%: avgt %d/%d, thrpt %d/%d%n", N, time, TRIALS, thrpt, TRIALS);
        assertTrue(time <= TRIALS * 0.02, "time-mode false alarms: " + time + " of " + TRIALS);
        assertTrue(thrpt <= TRIALS * 0.02, "throughput false alarms: " + thrpt + " of " + TRIALS);
    }

    @Test
    void detectsAtLeastNinetyPercentOfTrueFivePercentSlowdowns() {
        // A 5% slowdown: 5% more time per operation, or throughput divided by 1.05.
        int time = gateFailures(20250603L, N, 1.05, false);
        int thrpt = gateFailures(20250604L, N, 1 / 1.05, true);
        System.out.printf("gate detection of a 5%% slowdown at n=%d, CV 5%%: avgt %d/%d, thrpt %d/%d%n", N, time, TRIALS, thrpt, TRIALS);
        assertTrue(time >= TRIALS * 0.9, "time-mode detections: " + time + " of " + TRIALS);
        assertTrue(thrpt >= TRIALS * 0.9, "throughput detections: " + thrpt + " of " + TRIALS);
    }

    @Test
    void fewerSamplesKeepFalseAlarmsLowButLosePower() {
        // Below the nightly profile the test stays calibrated; what suffers is detection, which is
        // why comparisons under 50 samples carry a "gate power" warning.
        int n = 10;
        int falseAlarms = gateFailures(20250605L, n, 1.0, false);
        int detected = gateFailures(20250606L, n, 1.05, false);
        System.out.printf("gate at n=%d: false alarms %d/%d, detection %d/%d%n", n, falseAlarms, TRIALS, detected, TRIALS);
        assertTrue(falseAlarms <= TRIALS * 0.02, "false alarms at n=10: " + falseAlarms);
        assertTrue(detected < gateFailures(20250606L, N, 1.05, false), "fewer samples detect less");
    }
}
