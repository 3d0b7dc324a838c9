package io.inferlab.reports;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes JMH-shaped results of any size for tests that need more than the real fixtures hold (the
 * 500-entry report, simulated history). Each entry starts as a copy of a real JMH entry of the
 * same mode, so every field JMH writes is there, and gets generated raw data: log-normal
 * iteration scores with the requested coefficient of variation.
 */
public final class SyntheticJmh {
    private static final String[] BACKENDS = {"CPU", "OPENCL", "CUDA"};
    private static final String[] SUITES = {"quick_qa", "reasoning_tasks", "code_generation", "creative_writing"};
    private static final double[] PERCENTS = {0.0, 50.0, 90.0, 95.0, 99.0, 99.9, 99.99, 99.999, 99.9999, 100.0};

    private SyntheticJmh() {
    }

    /**
     * {@code count} results over the four modes: benchmark {@code SyntheticN.method}, params
     * backend x suite x a {@code batch} number that keeps every key unique.
     */
    public static ArrayNode run(int count, int forks, int iterations, double cv, long seed) {
        ArrayNode real = JmhFixtures.tree(JmhFixtures.BASELINE);
        List<ObjectNode> templates = List.of(JmhFixtures.entry(real, "decode", "quick_qa"), JmhFixtures.entry(real, "prefill", "quick_qa"),
                JmhFixtures.entry(real, "ttft", null), JmhFixtures.entry(real, "coldStart", null));
        SplittableRandom random = new SplittableRandom(seed);
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < count; i++) {
            ObjectNode e = templates.get(i % templates.size()).deepCopy();
            int group = i / 48;
            e.put("benchmark", "io.inferlab.synthetic.Synthetic" + group + "." + e.get("benchmark").asText().replaceAll(".*\\.", ""));
            e.put("forks", forks);
            e.put("measurementIterations", iterations);
            ObjectNode params = e.putObject("params");
            params.put("backend", BACKENDS[(i / 4) % BACKENDS.length]);
            params.put("suite", SUITES[(i / 12) % SUITES.length]);
            params.put("batch", String.valueOf(i));
            double center = 1000 * (1 + (i % 17));
            setSamples(e, lognormal(random, forks, iterations, center, cv));
            out.add(e);
        }
        return out;
    }

    /** forks x iterations log-normal values with the given median and coefficient of variation. */
    public static double[][] lognormal(SplittableRandom random, int forks, int iterations, double median, double cv) {
        // For a log-normal, CV^2 = exp(sigma^2) - 1.
        double sigma = Math.sqrt(Math.log(1 + cv * cv));
        double[][] v = new double[forks][iterations];
        for (int f = 0; f < forks; f++) {
            for (int i = 0; i < iterations; i++) {
                v[f][i] = median * Math.exp(sigma * gaussian(random));
            }
        }
        return v;
    }

    /** A standard normal draw (Box-Muller), from a seeded generator. */
    public static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /**
     * Replaces an entry's primary raw data (rawData, or rawDataHistogram in sample mode) with
     * these per-iteration values and recomputes score, error, confidence and percentiles the way
     * JMH states them.
     */
    public static void setSamples(ObjectNode entry, double[][] forks) {
        ObjectNode pm = (ObjectNode) entry.get("primaryMetric");
        double[] all = java.util.Arrays.stream(forks).flatMapToDouble(java.util.Arrays::stream).toArray();
        boolean sample = "sample".equals(entry.get("mode").asText());
        if (sample) {
            ArrayNode histogram = pm.putArray("rawDataHistogram");
            for (double[] fork : forks) {
                ArrayNode f = histogram.addArray();
                for (double v : fork) {
                    // Two sampled values per iteration whose count-weighted mean is v.
                    ArrayNode it = f.addArray();
                    it.addArray().add(v * 0.9).add(1);
                    it.addArray().add(v * 1.1).add(1);
                }
            }
        } else {
            ArrayNode raw = pm.putArray("rawData");
            for (double[] fork : forks) {
                ArrayNode f = raw.addArray();
                for (double v : fork) {
                    f.add(v);
                }
            }
        }
        double mean = StatUtils.mean(all);
        double error = all.length > 1 ? 3.3 * Math.sqrt(StatUtils.variance(all) / all.length) : Double.NaN;
        pm.put("score", mean);
        if (Double.isNaN(error)) {
            pm.put("scoreError", "NaN");
        } else {
            pm.put("scoreError", error);
        }
        ArrayNode conf = pm.putArray("scoreConfidence");
        conf.add(mean - (Double.isNaN(error) ? 0 : error)).add(mean + (Double.isNaN(error) ? 0 : error));
        ObjectNode pct = pm.putObject("scorePercentiles");
        Percentile p = new Percentile();
        p.setData(all);
        for (double q : PERCENTS) {
            pct.put(String.format(Locale.ROOT, "%s", q), q == 0 ? StatUtils.min(all) : p.evaluate(q));
        }
    }
}
