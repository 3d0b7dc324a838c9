package io.inferlab.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.inferlab.api.BackendUnavailableException;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Quantizer;
import io.inferlab.engine.tensor.Tensor;

/**
 * One matrix-vector product per invocation, per GGML type and backend ({@link MatvecTarget}:
 * {@code cpu}, {@code opencl}, {@code cuda}, {@code reference}), with the achieved weight bandwidth
 * ({@code weightBytes}/s, secondary metric; with {@link InferenceMetricsProfiler} also
 * {@code device_mb}). The matrix defaults to 64 MiB of F32 (4096 x 4096), larger than the caches,
 * so quantized types are measured streaming from memory as in decode, not from L3. A device
 * target uploads the matrix once and each invocation waits for the device. The output vector is
 * returned to JMH so the work cannot be dropped.
 *
 * <p>A backend that cannot run here (no OpenCL platform) fails its trial in setup with the
 * probe's reason, e.g. "matvec on 'opencl' skipped: backend 'opencl' is unavailable here: no
 * OpenCL platform found"; JMH reports that trial as failed and goes on with the others (the
 * bench command runs with fail-on-error off), so the run still completes.
 */
@State(Scope.Benchmark)
// Throughput, not average time: JMH normalizes OPERATIONS aux counters like the primary score, so
// only in a rate mode does weightBytes come out as bytes per second (in avgt it is time per byte).
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatvecBench {
    @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0", "MXFP4"})
    public String type;

    /** A {@link MatvecTarget}: {@code cpu} (Vector API), {@code opencl} and {@code cuda} (device kernels), {@code reference} (scalar oracle). */
    @Param({"cpu", "opencl", "cuda"})
    public String backend;

    @Param("4096")
    public int rows;

    @Param("4096")
    public int cols;

    /** Weight bytes read, as bytes per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bandwidth {
        public long weightBytes;

        @Setup(Level.Iteration)
        public void reset() {
            weightBytes = 0;
        }
    }

    private Arena arena;
    private long weightBytes;
    private MatvecTarget target;

    @Setup(Level.Trial)
    public void setUp() {
        GgmlType t = GgmlType.valueOf(type.toUpperCase(Locale.ROOT));
        SplittableRandom random = new SplittableRandom(7);
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        byte[] data = Quantizer.quantize(t, values);
        arena = Arena.ofShared();
        MemorySegment seg = arena.allocate(data.length, 64);
        MemorySegment.copy(data, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, data.length);
        Tensor weights = new Tensor("w", t, new long[] {cols, rows}, seg);
        weightBytes = seg.byteSize();
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = (float) random.nextDouble();
        }
        try {
            target = MatvecTarget.open(backend, weights, x);
        } catch (BackendUnavailableException e) {
            arena.close();
            throw new IllegalStateException("matvec on '" + backend + "' skipped: " + e.getMessage(), e);
        }
        MatvecTarget opened = target;
        InferenceMetrics.recordDeviceMemory(() -> opened.deviceMemoryBytes() > 0
                ? OptionalLong.of(opened.deviceMemoryBytes()) : OptionalLong.empty());
    }

    @Benchmark
    public MatvecTarget matvec(Bandwidth bandwidth) {
        target.matvec();
        bandwidth.weightBytes += weightBytes;
        return target;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (target != null) {
            // JMH runs this before the last iteration's profilers: keep the open target's figure.
            long held = target.deviceMemoryBytes();
            InferenceMetrics.recordDeviceMemory(() -> held > 0 ? OptionalLong.of(held) : OptionalLong.empty());
            target.close();
        }
        arena.close();
    }
}
