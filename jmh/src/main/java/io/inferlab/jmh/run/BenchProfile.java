package io.inferlab.jmh.run;

/**
 * How much measuring a run does. Warm-up is at least 5 s per fork: C2 needs seconds to compile the
 * Vector API kernels, and a shorter warm-up measured the JIT (decode tokens/s still tripling
 * between the two measured iterations). {@link #QUICK} is the default job (`mvn -Pbench`): one fork, short
 * iterations, one measured pass per suite, minutes on a 2-core machine. {@link #NIGHTLY} is for
 * regression tracking: 5 forks x 10 one-second iterations = 50 samples per benchmark, the count
 * the report's gate is calibrated for (reports' NightlyProfile: at 5% CV, at most 2% false alarms
 * and at least 90% detection of a 5% slowdown; with 15 samples no test reaches both).
 */
public enum BenchProfile {
    QUICK(1, 3, 2, 3, 2, 1, 1),
    NIGHTLY(5, 5, 1, 10, 1, 1, 3);

    final int forks;
    final int warmupIterations;
    final int warmupSeconds;
    final int measurementIterations;
    final int measurementSeconds;
    final int suiteWarmupPasses;
    final int suiteMeasuredPasses;

    BenchProfile(int forks, int warmupIterations, int warmupSeconds, int measurementIterations, int measurementSeconds,
                 int suiteWarmupPasses, int suiteMeasuredPasses) {
        this.forks = forks;
        this.warmupIterations = warmupIterations;
        this.warmupSeconds = warmupSeconds;
        this.measurementIterations = measurementIterations;
        this.measurementSeconds = measurementSeconds;
        this.suiteWarmupPasses = suiteWarmupPasses;
        this.suiteMeasuredPasses = suiteMeasuredPasses;
    }

    /** Measured samples per benchmark and parameter set: what the regression gate works with. */
    public int samplesPerBenchmark() {
        return forks * measurementIterations;
    }
}
