package io.inferlab.reports.compare;

/**
 * The JMH run shape the regression gate is calibrated for: every nightly benchmark runs
 * {@link #FORKS} forks of {@link #MEASUREMENT_ITERATIONS} measurement iterations, which gives
 * {@link #SAMPLES_PER_BENCHMARK} per-iteration samples per result. At that count and a 5%
 * coefficient of variation, the gate's tests ({@code GateTrustTest}) show at most 2% false alarms
 * on identical runs and at least 90% detection of a true 5% slowdown. Fewer samples still give a
 * verdict, with a warning that the gate loses power.
 */
public final class NightlyProfile {
    public static final int FORKS = 5;
    public static final int MEASUREMENT_ITERATIONS = 10;
    public static final int SAMPLES_PER_BENCHMARK = FORKS * MEASUREMENT_ITERATIONS;

    private NightlyProfile() {
    }
}
