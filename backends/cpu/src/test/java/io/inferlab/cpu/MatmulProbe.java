package io.inferlab.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;

/**
 * A tuning probe, not a benchmark of record (that is JMH's job): times decode-like matvecs and
 * prefill-like batch-64 matmuls over a ~512 MB set of Q8_0 or Q4_0 matrices with TinyLlama's
 * layer shapes, and prints GB/s (decode, against the memory roofline) and GFLOP/s (prefill).
 *
 * <p>Run after {@code mvn -pl backends/cpu -am test-compile}:
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   -cp backends/cpu/target/classes:backends/cpu/target/test-classes:backends/engine/target/classes \
 *   io.inferlab.cpu.MatmulProbe [Q8_0|Q4_0 ...] [threads=2] [mb=512] [batch=64]
 * </pre>
 */
public final class MatmulProbe {
    /** One TinyLlama layer: wq, wk, wv, wo, w1 (gate), w3 (up), w2 (down), as {rows, cols}. */
    private static final int[][] LAYER = {
            {2048, 2048}, {256, 2048}, {256, 2048}, {2048, 2048}, {5632, 2048}, {5632, 2048}, {2048, 5632}};

    private MatmulProbe() {
    }

    public static void main(String[] args) {
        List<GgmlType> types = new ArrayList<>();
        int threads = 2;
        int megabytes = 512;
        int batch = 64;
        for (String a : args) {
            if (a.startsWith("threads=")) {
                threads = Integer.parseInt(a.substring(8));
            } else if (a.startsWith("mb=")) {
                megabytes = Integer.parseInt(a.substring(3));
            } else if (a.startsWith("batch=")) {
                batch = Integer.parseInt(a.substring(6));
            } else {
                types.add(GgmlType.valueOf(a));
            }
        }
        if (types.isEmpty()) {
            types = List.of(GgmlType.Q8_0, GgmlType.Q4_0);
        }
        try (VectorKernels kernels = new VectorKernels(threads)) {
            System.out.println(kernels.description());
            for (GgmlType type : types) {
                try (Arena arena = Arena.ofShared()) {
                    probe(kernels, type, arena, (long) megabytes << 20, batch);
                }
            }
        }
    }

    private static void probe(VectorKernels kernels, GgmlType type, Arena arena, long targetBytes, int batch) {
        List<Tensor> weights = new ArrayList<>();
        long bytes = 0;
        long params = 0;
        SplittableRandom random = new SplittableRandom(42);
        while (bytes < targetBytes) {
            for (int[] shape : LAYER) {
                Tensor t = randomTensor(type, shape[0], shape[1], arena, random);
                kernels.prepare(t); // as the backend does: Q4_0 interleaved, the rest already in native memory
                weights.add(t);
                bytes += t.data().byteSize();
                params += (long) shape[0] * shape[1];
            }
        }
        int maxCols = 5632;
        int maxRows = 5632;
        float[] x = new float[batch * maxCols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        float[] out = new float[batch * maxRows];
        System.out.printf("%s: %d matrices, %.0f MB, %.2f G params%n", type, weights.size(), bytes / 1e6, params / 1e9);

        double decode = best(10, 10, () -> {
            for (Tensor w : weights) {
                kernels.matmul(w, x, out, 1);
            }
        });
        System.out.printf("  decode  (batch 1):  %6.1f ms per pass, %5.1f GB/s, %6.1f GFLOP/s, %d bytes allocated per pass%n",
                decode * 1e3, bytes / decode / 1e9, 2.0 * params / decode / 1e9, allocatedBy(() -> {
                    for (Tensor w : weights) {
                        kernels.matmul(w, x, out, 1);
                    }
                }));

        double prefill = best(1, 4, () -> {
            for (Tensor w : weights) {
                kernels.matmul(w, x, out, batch);
            }
        });
        double tokensPerPass = batch / prefill;
        System.out.printf("  prefill (batch %d): %6.1f ms per pass, %5.1f GB/s, %6.1f GFLOP/s, %.1fx the decode token rate%n",
                batch, prefill * 1e3, bytes / prefill / 1e9, 2.0 * params * batch / prefill / 1e9,
                tokensPerPass / (1 / decode));
    }

    /** Bytes allocated by all threads (the pool's workers included) while {@code r} runs. */
    private static long allocatedBy(Runnable r) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getTotalThreadAllocatedBytes();
        r.run();
        return threads.getTotalThreadAllocatedBytes() - before;
    }

    /** Best wall time of {@code runs} after {@code warmups}, in seconds. */
    private static double best(int warmups, int runs, Runnable r) {
        for (int i = 0; i < warmups; i++) {
            r.run();
        }
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            times[i] = (System.nanoTime() - t0) / 1e9;
        }
        return Arrays.stream(times).min().orElseThrow();
    }

    /** Random quants with small, valid scales (quantizing 500 MB of floats would dominate the run). */
    private static Tensor randomTensor(GgmlType type, int rows, int cols, Arena arena, SplittableRandom random) {
        long size = type.bytesFor((long) rows * cols);
        MemorySegment s = arena.allocate(size, 64);
        for (long i = 0; i + 8 <= size; i += 8) {
            s.set(ValueLayout.JAVA_LONG_UNALIGNED, i, random.nextLong());
        }
        for (long b = 0; b < size; b += type.typeSize()) {
            s.set(Formats.LE_SHORT, b, Float.floatToFloat16((float) random.nextDouble(1e-3, 1e-2)));
        }
        return new Tensor("probe", type, new long[] {cols, rows}, s);
    }
}
