package io.inferlab.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
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

import io.inferlab.cpu.VectorKernels;
import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Quantizer;
import io.inferlab.engine.tensor.Tensor;

/**
 * One matrix-vector product per invocation, per GGML type and kernel set, with the achieved
 * weight bandwidth ({@code weightBytes}/s, secondary metric). The matrix defaults to 64 MiB of F32
 * (4096 x 4096), larger than the caches, so quantized types are measured streaming from memory as
 * in decode, not from L3. The output vector is returned to JMH so the work cannot be dropped.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatvecBench {
    @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    public String type;

    /** {@code cpu}: the CPU backend's Vector API kernels; {@code reference}: the scalar oracle. */
    @Param({"cpu"})
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
    private Tensor weights;
    private Kernels kernels;
    private float[] x;
    private float[] out;

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
        weights = new Tensor("w", t, new long[] {cols, rows}, seg);
        kernels = switch (backend) {
            case "cpu" -> new VectorKernels(Runtime.getRuntime().availableProcessors());
            case "reference" -> new ScalarKernels();
            default -> throw new IllegalArgumentException("unknown kernel set '" + backend + "' (cpu, reference)");
        };
        x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = (float) random.nextDouble();
        }
        out = new float[rows];
    }

    @Benchmark
    public float[] matvec(Bandwidth bandwidth) {
        kernels.matvec(weights, x, out);
        bandwidth.weightBytes += weights.data().byteSize();
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        kernels.close();
        arena.close();
    }
}
