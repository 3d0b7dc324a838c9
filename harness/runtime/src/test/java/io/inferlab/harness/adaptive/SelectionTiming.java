package io.inferlab.harness.adaptive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.inferlab.api.AccelerationType;
import io.inferlab.harness.adaptive.StoreFixtures.Numbers;
import io.inferlab.harness.results.ResultStore;

/**
 * How long a selection from a loaded store takes: a plain timing loop (not a test, not JMH, run by
 * hand with {@code java -cp ... io.inferlab.harness.adaptive.SelectionTiming}). Builds a store of
 * 50 runs (half of them for another host or model), loads it once, warms up, then times single
 * selections and prints the median, p99 and maximum.
 */
public final class SelectionTiming {
    private SelectionTiming() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory("selection-timing");
        for (int i = 0; i < 50; i++) {
            String host = i % 2 == 0 ? StoreFixtures.HOST : "other-host";
            StoreFixtures.run(root, "run-" + i, String.format(Locale.ROOT, "2026-11-%02dT10:00:00Z", 1 + i % 28), host, StoreFixtures.MODEL,
                    List.of(new Numbers("cpu", 300.0 + i, 5.0, 3.0), new Numbers("opencl", 700.0 - i, 9.0, 2.0),
                            new Numbers("llamacpp", 200.0, 3.0, 4.0)));
        }
        long l0 = System.nanoTime();
        StoredMeasurements m = StoredMeasurements.load(new ResultStore(root), StoreFixtures.HOST, StoreFixtures.MODEL);
        long loadNs = System.nanoTime() - l0;
        List<Candidate> candidates = List.of(Candidate.available("cpu", AccelerationType.CPU),
                Candidate.available("llamacpp", AccelerationType.CPU), Candidate.available("opencl", AccelerationType.OPENCL),
                new Candidate("cuda", AccelerationType.CUDA, false, "no driver"));
        BackendSelector selector = new BackendSelector(SelectionConfig.DEFAULT);
        Objective[] objectives = Objective.values();
        int sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += selector.select(StoreFixtures.MODEL, candidates, m, objectives[i % 3]).chain().size();
        }
        int n = 20_000;
        long[] ns = new long[n];
        List<String> firsts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Selection s = selector.select(StoreFixtures.MODEL, candidates, m, objectives[i % 3]);
            ns[i] = System.nanoTime() - t0;
            sink += s.chain().size();
            if (i < 3) {
                firsts.add(s.objective().id() + " -> " + s.backendIds());
            }
        }
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "store load (50 runs, once): %.1f ms%n", loadNs / 1e6);
        System.out.printf(Locale.ROOT, "selection from the loaded store over %d calls: median %.1f us, p99 %.1f us, max %.1f us%n",
                n, ns[n / 2] / 1e3, ns[(int) (n * 0.99)] / 1e3, ns[n - 1] / 1e3);
        System.out.println(firsts + " (checksum " + sink + ")");
    }
}
