package io.inferlab.cpu;

import static io.inferlab.cpu.Simd.F;
import static io.inferlab.cpu.Simd.L;

import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.runtime.WeightResidency;
import io.inferlab.engine.tensor.Tensor;
import jdk.incubator.vector.FloatVector;

/**
 * The CPU backend's kernels on the Vector API. Matmul reads F32, F16, BF16, Q8_0, Q4_0 and MXFP4
 * weights in place and splits rows across a {@link ParallelRunner}: one token goes through
 * {@link MatVec} (bandwidth-bound decode), several through {@link TileMatmul} (compute-bound
 * prefill). SwiGLU and {@link #parallelFor} (attention heads) run on the pool too, the other
 * element-wise ops on the calling thread.
 *
 * <p>{@link #prepare} keeps a copy of each weight the kernels read, unless it is told to read
 * them in place: Q4_0 matrices interleaved on the Java heap ({@link InterleavedQ4_0}), the others
 * in native memory, like llama.cpp's {@code --no-mmap}. Streaming weights from a file mapping
 * was slow on the development machine: a Q8_0 matvec over a 71 MB matrix read 24-28 GB/s with
 * two threads from the mapping and 30-38 from native memory, and 1b Q8_0 decode ran 40% faster
 * from memory. Either way a weight is in memory once: the mapping's pages of a copied tensor are
 * released.
 *
 * <p>Not thread-safe: one inference thread per instance. Results are deterministic and do not
 * depend on the thread count. Weights in memory confined to the calling thread are multiplied on
 * that thread alone.
 */
public final class VectorKernels implements Kernels {
    /** Rows per chunk boundary: a multiple of the prefill tile, and enough rows to be worth a thread. */
    private static final int ROW_GRANULE = 16;
    /** Values per chunk boundary of {@link #swiglu}: a multiple of the lanes. */
    private static final int SWIGLU_GRANULE = 1024;

    private final ParallelRunner runner;
    private final MatmulTask matmul;
    private final IndexRange indexRange = new IndexRange();
    private final SwigluTask swigluTask;
    /** The copies {@link #prepare} and {@link #prepareLookup} made, by the identity of the tensor they copy. */
    private final Map<Tensor, Copy> copies = new IdentityHashMap<>();
    /** Native memory of the weights copied there; shared, so that every worker reads it. */
    private final WeightMemory weightMemory;
    /** False once the heap could not hold a copy: the remaining matrices keep GGML's layout. */
    private boolean interleaving = true;
    /** Whether weights not interleaved are copied into native memory, and why not. */
    private final WeightResidency residency;
    /** Set when native memory ran out for a copy: that tensor and later ones stay mapped. */
    private boolean memoryRanOut;
    /** Activations transposed for an interleaved matrix, and the low-value bias of one token. */
    private float[] transposed = new float[0];
    private float[] bias = new float[0];
    /** Activations of a batch packed for {@link TileMatmul}. */
    private float[] packed = new float[0];

    /**
     * A weight's copy: {@code weights} is the tensor to read (a native copy, or the original where
     * the interleaved copy leaves blocks in GGML's layout there), {@code interleaved} its
     * interleaved layout or null.
     */
    private record Copy(Tensor weights, InterleavedQ4_0 interleaved) {
    }

    /** Kernels that copy weights into memory (see {@link #VectorKernels(int, WeightResidency)}). */
    public VectorKernels(int threads) {
        this(threads, WeightResidency.IN_MEMORY);
    }

    /**
     * @param residency whether {@link #prepare} copies mapped weights into native memory (Q4_0
     *                  matrices are interleaved on the heap either way)
     */
    public VectorKernels(int threads, WeightResidency residency) {
        this.residency = residency;
        this.runner = new ParallelRunner(threads, "inferlab-cpu-kernels");
        this.weightMemory = new WeightMemory(runner);
        this.matmul = new MatmulTask(threads);
        this.swigluTask = new SwigluTask(threads);
    }

    @Override
    public String description() {
        int t = runner.threads();
        return "Vector API " + Simd.describe() + ", " + t + (t == 1 ? " thread" : " threads")
                + (memoryRanOut ? ", weights partly mapped (out of native memory)" : ", " + residency.describe());
    }

    /**
     * Q4_0 matrices wide enough get an interleaved copy ({@link InterleavedQ4_0}) on the Java
     * heap, as large as the matrix (only the blocks after the last whole group are read from the
     * tensor again). A heap too small for a copy leaves that matrix and the rest in GGML's layout,
     * which is slower but gives the same results. Other mapped matrices are copied into native
     * memory unless this reads weights in place. The mapped file's pages of a copied matrix are
     * released.
     */
    @Override
    public void prepare(Tensor w) {
        if (copies.containsKey(w)) {
            return;
        }
        InterleavedQ4_0 copy = interleaving && InterleavedQ4_0.applies(w) ? interleave(w) : null;
        if (copy != null) {
            copies.put(w, new Copy(w, copy));
            if (w.data().isMapped()) {
                w.data().unload();
            }
        } else {
            prepareLookup(w);
        }
    }

    /** {@code w} interleaved, or null when the heap cannot hold it (then nothing else is interleaved). */
    private InterleavedQ4_0 interleave(Tensor w) {
        InterleavedQ4_0 copy;
        try {
            copy = InterleavedQ4_0.allocate(w);
        } catch (OutOfMemoryError e) {
            interleaving = false;
            return null;
        }
        if (runner.workersCanAccess(w.data())) {
            runner.run(w.rows(), ROW_GRANULE, (worker, from, to) -> copy.packRows(from, to));
        } else {
            copy.packRows(0, w.rows());
        }
        return copy;
    }

    /**
     * A mapped {@code w} is copied into native memory, unless this reads weights in place or
     * {@code w} already has a copy (an embedding tied as output: {@link #getRow} reads its
     * interleaved copy). Native memory that cannot be had leaves this and later tensors mapped.
     */
    @Override
    public void prepareLookup(Tensor w) {
        if (!residency.inMemory() || memoryRanOut || copies.containsKey(w) || !w.data().isMapped()) {
            return;
        }
        MemorySegment copy = weightMemory.copyOf(w.data());
        if (copy == null) {
            memoryRanOut = true;
            return;
        }
        copies.put(w, new Copy(new Tensor(w.name(), w.type(), w.shape(), copy), null));
        w.data().unload();
    }

    @Override
    public void matmul(Tensor w, float[] x, float[] out, int batch) {
        int rows = w.rows();
        int cols = w.cols();
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if ((long) batch * cols > x.length) {
            throw new IllegalArgumentException(w.name() + ": x holds " + x.length + " floats, need " + batch + " x " + cols);
        }
        if ((long) batch * rows > out.length) {
            throw new IllegalArgumentException(w.name() + ": out holds " + out.length + " floats, need " + batch + " x " + rows);
        }
        Copy prepared = copies.get(w);
        Tensor weights = prepared == null ? w : prepared.weights();
        InterleavedQ4_0 copy = prepared == null ? null : prepared.interleaved();
        float[] in = x;
        float[] lowBias = null;
        if (copy != null) {
            in = transposed = atLeast(transposed, batch * cols);
            copy.transpose(x, batch, in);
            if (batch == 1) {
                lowBias = bias = atLeast(bias, copy.biasLength());
                copy.lowBias(x, lowBias);
            }
        }
        float[] packedX = null;
        if (batch > 1) {
            packedX = packed = atLeast(packed, TileMatmul.packedFloats(batch, cols));
            TileMatmul.pack(in, batch, cols, packedX);
        }
        matmul.set(weights, copy, in, lowBias, packedX, out, batch);
        try {
            if (runner.workersCanAccess(weights.data())) {
                runner.run(rows, ROW_GRANULE, matmul);
            } else {
                matmul.run(0, 0, rows); // confined to the calling thread: the workers may not read it
            }
        } finally {
            matmul.clear();
        }
    }

    /** {@code a}, or a new array when {@code a} holds fewer than {@code floats} (buffers only grow). */
    private static float[] atLeast(float[] a, int floats) {
        return a.length < floats ? new float[floats] : a;
    }

    @Override
    public int parallelism() {
        return runner.threads();
    }

    /**
     * One index per granule: the callers' indices (attention heads) are few and each worth a
     * thread. (The runner itself runs a single granule, or everything with one thread, inline.)
     */
    @Override
    public void parallelFor(int n, IndexTask task) {
        indexRange.task = task;
        try {
            runner.run(n, 1, indexRange);
        } finally {
            indexRange.task = null;
        }
    }

    /** The current {@link #parallelFor} as a range task, one instance reused so that a call allocates nothing. */
    private static final class IndexRange implements ParallelRunner.RangeTask {
        private IndexTask task;

        @Override
        public void run(int worker, int from, int to) {
            for (int i = from; i < to; i++) {
                task.run(worker, i);
            }
        }
    }

    @Override
    public void getRow(Tensor w, int row, float[] out, int off) {
        Objects.checkIndex(row, w.rows());
        Objects.checkFromIndexSize(off, w.cols(), out.length);
        Copy prepared = copies.get(w);
        if (prepared != null && prepared.interleaved() != null) {
            prepared.interleaved().getRow(row, out, off);
        } else {
            RowDecoder.decodeRow(weightsRead(w), row, out, off);
        }
    }

    /** What the kernels read for {@code w} in GGML's layout: its copy in native memory, or {@code w} itself. */
    Tensor weightsRead(Tensor w) {
        Copy prepared = copies.get(w);
        return prepared == null ? w : prepared.weights();
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float s = Simd.sum(acc);
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /** Multiply then add, as the reference does (no fused multiply-add), so the result is bit-identical. */
    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, y, yOff + i).add(FloatVector.fromArray(F, x, xOff + i).mul(alpha)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps) {
        float ss = dot(x, xOff, x, xOff, n);
        float scale = (float) (1.0 / Math.sqrt(ss / n + eps));
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, xOff + i).mul(scale).mul(FloatVector.fromArray(F, weight, i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] * scale * weight[i];
        }
    }

    /**
     * Split across the pool in chunks of {@link #SWIGLU_GRANULE} values: in prefill this is 128
     * tokens x the FFN width of scalar {@code exp} calls per layer, 6% of a prefill on one thread
     * while the others waited. Every value is computed on its own, so the split changes nothing.
     */
    @Override
    public void swiglu(float[] gate, float[] up, int n) {
        swigluTask.gate = gate;
        swigluTask.up = up;
        try {
            runner.run(n, SWIGLU_GRANULE, swigluTask);
        } finally {
            swigluTask.gate = swigluTask.up = null;
        }
    }

    /** The current {@link #swiglu} as a range task, with an exp buffer per worker. */
    private static final class SwigluTask implements ParallelRunner.RangeTask {
        /** exp values of one vector's worth of inputs, per worker (scalar exp, vector arithmetic). */
        private final float[][] exp;
        private float[] gate;
        private float[] up;

        SwigluTask(int threads) {
            this.exp = new float[threads][L];
        }

        @Override
        public void run(int worker, int from, int to) {
            run(gate, up, from, to, exp[worker]);
        }

        /**
         * {@code gate[i] = silu(gate[i]) * up[i]} over {@code [from, to)}. exp is scalar (the Vector
         * API's lanewise EXP is only fast where the JDK has a vector math library); the vector
         * arithmetic does the same float operations as the scalar tail, so results do not depend on
         * where a range starts.
         */
        void run(float[] gate, float[] up, int from, int to, float[] e) {
            int i = from;
            for (int bound = from + F.loopBound(to - from); i < bound; i += L) {
                for (int j = 0; j < L; j++) {
                    e[j] = (float) Math.exp(-gate[i + j]);
                }
                FloatVector g = FloatVector.fromArray(F, gate, i);
                FloatVector denominator = FloatVector.fromArray(F, e, 0).add(1f);
                g.div(denominator).mul(FloatVector.fromArray(F, up, i)).intoArray(gate, i);
            }
            for (; i < to; i++) {
                float g = gate[i];
                gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
            }
        }
    }

    @Override
    public void close() {
        runner.close();
        copies.clear();
        weightMemory.close();
    }
}
