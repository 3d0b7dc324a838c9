package io.inferlab.cpu;

import static io.inferlab.cpu.Simd.F;
import static io.inferlab.cpu.Simd.L;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.runtime.WeightResidency;
import io.inferlab.engine.tensor.Formats;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The CPU backend's kernels on the Vector API. Matmul reads F32, F16, BF16, Q8_0, Q4_0 and MXFP4
 * weights in place and splits rows across a {@link ParallelRunner}: one token goes through
 * {@link MatVec} or {@link InterleavedQ4_0} (bandwidth-bound decode), several through
 * {@link PanelMatmul} or {@link TileMatmul} (compute-bound prefill), but for a few quantized
 * tokens, which go one by one ({@link #smallestBatch}). SwiGLU and {@link #parallelFor}
 * (attention heads) run on the pool too, the other element-wise ops on the calling thread.
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
    private final GroupTask group;
    private final IndexRange indexRange = new IndexRange();
    private final SwigluTask swigluTask;
    private final PackTask packTask = new PackTask();
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
    /** Activations transposed for an interleaved matrix, and one token's block biases ({@link InterleavedQ4_0#decodeInput}). */
    private float[] transposed = new float[0];
    private float[] bias = new float[0];
    /** The power of two that undoes the scale of {@link #transposed} for one token ({@link InterleavedQ4_0#decodeInput}). */
    private int unscale;
    /** Whether {@link #prepareInput} packed the last batch into {@link #panels}, else into {@link #packed}. */
    private boolean inputPanels;
    /** Activations of a batch packed for {@link TileMatmul}, or for {@link PanelMatmul} (with its padding). */
    private float[] packed = new float[0];
    private float[] panels = new float[0];
    private float[] padding = new float[0];
    /** One token of a small batch and its results ({@link #tokenByToken}). */
    private float[] tokenIn = new float[0];
    private float[] tokenOut = new float[0];

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
        float[][] scratch = new float[threads][]; // one thread runs one product at a time
        this.matmul = new MatmulTask(scratch);
        this.group = new GroupTask(scratch);
        this.swigluTask = new SwigluTask(threads);
    }

    @Override
    public String description() {
        int t = runner.threads();
        boolean interleaved = copies.values().stream().anyMatch(c -> c.interleaved() != null);
        return "Vector API " + Simd.describe() + ", " + t + (t == 1 ? " thread" : " threads")
                + (interleaved ? ", Q4_0 " + InterleavedQ4_0.describeKernel() : "")
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
        checkShapes(w, x, out, batch);
        if (batch > 1 && batch < smallestBatch(w.type())) {
            tokenByToken(w, x, out, batch);
            return;
        }
        Tensor weights = weightsRead(w);
        InterleavedQ4_0 copy = copyOf(w);
        prepareInput(copy, x, batch, w.cols());
        setPart(matmul, weights, copy, x, out, batch);
        try {
            if (runner.workersCanAccess(weights.data())) {
                runner.run(w.rows(), ROW_GRANULE, matmul);
            } else {
                matmul.run(0, 0, w.rows()); // confined to the calling thread: the workers may not read it
            }
        } finally {
            matmul.clear();
        }
    }

    /**
     * {@code x} made ready for {@code copy}'s kernel (or the plain one's, when null): for a batch,
     * packed for {@link PanelMatmul} into {@link #panels} or for {@link TileMatmul} into
     * {@link #packed} (through {@link #transposed} for a copy), tokens split across the pool;
     * for one token and a copy, transposed with its block biases.
     */
    private void prepareInput(InterleavedQ4_0 copy, float[] x, int batch, int cols) {
        inputPanels = false;
        if (batch > 1) {
            inputPanels = PanelMatmul.applies(batch, cols);
            float[] in = x;
            if (inputPanels) {
                panels = atLeast(panels, PanelMatmul.packedFloats(batch, cols));
                padding = atLeast(padding, PanelMatmul.paddingFloats(cols));
            } else {
                packed = atLeast(packed, TileMatmul.packedFloats(batch, cols));
                in = copy == null ? x : (transposed = atLeast(transposed, batch * cols));
            }
            packTask.set(x, copy, in, inputPanels ? null : packed, inputPanels ? panels : null, padding, batch, cols);
            try {
                // Panel tokens by whole vectors: two threads never write one cache line.
                runner.run(batch, inputPanels ? PanelMatmul.VECTOR : TileMatmul.TILE, packTask);
            } finally {
                packTask.set(null, null, null, null, null, null, 0, 0);
            }
        } else if (copy != null) {
            transposed = atLeast(transposed, cols);
            bias = atLeast(bias, copy.biasLength());
            unscale = copy.decodeInput(x, transposed, bias);
        }
    }

    /** Sets {@code task} to multiply {@code weights} (and {@code copy}) by the input {@link #prepareInput} made of {@code x}. */
    private void setPart(MatmulTask task, Tensor weights, InterleavedQ4_0 copy, float[] x, float[] out, int batch) {
        if (batch == 1) {
            task.set(weights, copy, copy == null ? x : transposed, copy == null ? null : bias, copy == null ? 0 : unscale,
                    null, null, out, 1);
        } else {
            float[] in = copy == null || inputPanels ? x : transposed; // PanelMatmul reads only the panels
            task.set(weights, copy, in, null, 0, inputPanels ? null : packed, inputPanels ? panels : null, out, batch);
        }
    }

    /**
     * The smallest batch worth multiplying at once: smaller ones go token by token through the
     * decode kernels. A batch dequantizes each weight once into floats for its tiles, which costs
     * more than decoding it in a dot product a few times over: in MatmulProbe (1B-shaped
     * matrices, 2 threads, 2026-11-27) batches of 2, 3 and 4 ran at 0.4, 0.6 and 0.8 times the
     * decode token rate in Q4_0 (0.7 at 5, 1.3 at 8), 0.6, 0.8 and 1.0 in MXFP4, and 0.6, 0.8
     * and 1.0 in Q8_0; F16 and BF16 gained from 2 on (1.0, 1.4, 1.7).
     */
    private static int smallestBatch(GgmlType type) {
        return switch (type) {
            case Q4_0 -> 6;
            case Q8_0, MXFP4 -> 4;
            default -> 2;
        };
    }

    /** {@link #matmul} of each token alone, through copies of its activations and results. */
    private void tokenByToken(Tensor w, float[] x, float[] out, int batch) {
        int rows = w.rows();
        int cols = w.cols();
        tokenIn = atLeast(tokenIn, cols);
        tokenOut = atLeast(tokenOut, rows);
        for (int t = 0; t < batch; t++) {
            System.arraycopy(x, t * cols, tokenIn, 0, cols);
            matmul(w, tokenIn, tokenOut, 1);
            System.arraycopy(tokenOut, 0, out, t * rows, rows);
        }
    }

    private static void checkShapes(Tensor w, float[] x, float[] out, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if ((long) batch * w.cols() > x.length) {
            throw new IllegalArgumentException(w.name() + ": x holds " + x.length + " floats, need " + batch + " x " + w.cols());
        }
        if ((long) batch * w.rows() > out.length) {
            throw new IllegalArgumentException(w.name() + ": out holds " + out.length + " floats, need " + batch + " x " + w.rows());
        }
    }

    /**
     * Several matrices of the same width in one dispatch over all their rows ({@link GroupTask}),
     * the input made ready once. For one token: a block's 256-row wk and wv alone were a dispatch
     * each, too short for the row streams to get going, and the same bytes as wider matrices
     * decoded faster (MatmulProbe's 1B layer, 2 threads: 31.1 against 33.9 GB/s with wq/wk/wv and
     * gate/up as one matrix each, 20 rounds in one process). For a batch: wq, wk and wv one
     * after the other ran at 1.43 times their one-thread speed on two threads where gate/up ran
     * at 1.84 (1b Q4_0 pp128, 2026-11-27): three packs of one input, and two 256-row dispatches
     * that two threads cannot share evenly. Groups the pool could not run, and batches whose
     * matrices want their input in different forms, go one matrix at a time.
     */
    @Override
    public void matmuls(Tensor[] ws, float[] x, float[][] outs, int batch) {
        if (ws.length != outs.length || ws.length == 0 || ws.length > GroupTask.MAX) {
            Kernels.super.matmuls(ws, x, outs, batch); // the default also rejects a count mismatch
            return;
        }
        for (int i = 0; i < ws.length; i++) {
            checkShapes(ws[i], x, outs[i], batch);
        }
        InterleavedQ4_0 first = copyOf(ws[0]);
        InterleavedQ4_0 anyCopy = null;
        for (Tensor w : ws) {
            InterleavedQ4_0 copy = copyOf(w);
            boolean sameInput = batch == 1 || ((copy == null) == (first == null) && batch >= smallestBatch(w.type()));
            if (w.cols() != ws[0].cols() || !sameInput || !runner.workersCanAccess(weightsRead(w).data())) {
                Kernels.super.matmuls(ws, x, outs, batch); // two widths or input forms, or weights the pool may not read
                return;
            }
            anyCopy = anyCopy != null ? anyCopy : copy;
        }
        try {
            prepareInput(anyCopy, x, batch, ws[0].cols()); // one width, so one input serves every copy
            for (int i = 0; i < ws.length; i++) {
                setPart(group.parts[i], weightsRead(ws[i]), copyOf(ws[i]), x, outs[i], batch);
            }
            group.set(ws.length);
            runner.run(group.rows, ROW_GRANULE, group);
        } finally {
            group.clear();
        }
    }

    /** {@code w}'s interleaved copy, or null. */
    private InterleavedQ4_0 copyOf(Tensor w) {
        Copy prepared = copies.get(w);
        return prepared == null ? null : prepared.interleaved();
    }

    /**
     * Up to {@link #MAX} matrices as one range task over their rows, one after the other: a
     * range that crosses from one matrix into the next is cut there, and each part is that
     * matrix's own {@link MatmulTask}, so every row comes out as from {@link #matmul}.
     */
    private static final class GroupTask implements ParallelRunner.RangeTask {
        static final int MAX = 4;
        final MatmulTask[] parts;
        private int count;
        int rows;

        GroupTask(float[][] scratch) {
            parts = new MatmulTask[MAX];
            for (int i = 0; i < MAX; i++) {
                parts[i] = new MatmulTask(scratch);
            }
        }

        /** The first {@code count} parts, already set, are this call's. */
        void set(int count) {
            this.count = count;
            rows = 0;
            for (int i = 0; i < count; i++) {
                rows += parts[i].rows();
            }
        }

        /** Drops the references so the task does not keep a caller's arrays alive. */
        void clear() {
            for (MatmulTask part : parts) {
                part.clear();
            }
            count = 0;
        }

        @Override
        public void run(int worker, int from, int to) {
            int start = 0;
            for (int i = 0; i < count && start < to; i++) {
                int end = start + parts[i].rows();
                int lo = Math.max(from, start);
                int hi = Math.min(to, end);
                if (lo < hi) {
                    parts[i].run(worker, lo - start, hi - start);
                }
                start = end;
            }
        }
    }

    /**
     * A batch's activations made ready for {@link PanelMatmul} or {@link TileMatmul}, tokens
     * split across the pool (on the calling thread alone this was 3-4% of a prefill while the
     * other threads waited): transposed for an interleaved matrix, and packed (in one pass for
     * panels). Ranges are whole panels of tokens for TileMatmul, whole vectors of them for panels.
     */
    private static final class PackTask implements ParallelRunner.RangeTask {
        private float[] x;
        private InterleavedQ4_0 interleaved;
        private float[] in;
        private float[] packed;
        private float[] panels;
        private float[] padding;
        private int batch;
        private int cols;

        void set(float[] x, InterleavedQ4_0 interleaved, float[] in, float[] packed, float[] panels, float[] padding,
                 int batch, int cols) {
            this.x = x;
            this.interleaved = interleaved;
            this.in = in;
            this.packed = packed;
            this.panels = panels;
            this.padding = padding;
            this.batch = batch;
            this.cols = cols;
        }

        @Override
        public void run(int worker, int from, int to) {
            if (panels != null) { // only the range at the end of the batch uses the padding
                PanelMatmul.pack(x, batch, cols, interleaved == null ? 0 : interleaved.transposedColumns(), panels, from, to, padding);
                return;
            }
            if (interleaved != null) {
                interleaved.transpose(x, from, to, in);
            }
            TileMatmul.pack(in, batch, cols, packed, from, to);
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

    /**
     * An embedding lookup, one row per token, decoded by the scalar reference rather than
     * {@link RowDecoder}: called that rarely, a Vector API decoder stayed in C1's code, which runs
     * the API's scalar fallback (seen for Q4_0, whose matrices never use RowDecoder's Q4_0 path:
     * 7% of the main thread's prefill time, while the other threads waited).
     */
    @Override
    public void getRow(Tensor w, int row, float[] out, int off) {
        Objects.checkIndex(row, w.rows());
        Objects.checkFromIndexSize(off, w.cols(), out.length);
        InterleavedQ4_0 copy = copyOf(w);
        if (copy != null) {
            copy.getRow(row, out, off);
        } else {
            Formats.dequantize(w.type(), weightsRead(w).data(), (long) row * w.cols(), out, off, w.cols());
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
     * tokens x the FFN width of values per layer. Every value is computed on its own, so the
     * split changes nothing.
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

    /** The current {@link #swiglu} as a range task, with an {@code e^-g} buffer per worker. */
    private static final class SwigluTask implements ParallelRunner.RangeTask {
        /** Values per step: {@code e^-g} of a step stays in L1 between the two passes. */
        private static final int STEP = 256;
        private final float[][] exp;
        private float[] gate;
        private float[] up;

        SwigluTask(int threads) {
            this.exp = new float[threads][STEP];
        }

        @Override
        public void run(int worker, int from, int to) {
            run(gate, up, from, to, exp[worker]);
        }

        /**
         * {@code gate[i] = silu(gate[i]) * up[i]} over {@code [from, to)}, silu(g) = g / (1 + e^-g)
         * with {@link VectorExp}; the last vector is masked, so every value goes through the same
         * operations wherever a range starts.
         */
        void run(float[] gate, float[] up, int from, int to, float[] e) {
            for (int start = from; start < to; start += STEP) {
                int n = Math.min(STEP, to - start);
                VectorExp.exp(gate, start, -1f, 0f, e, 0, n);
                for (int i = 0; i < n; i += L) {
                    VectorMask<Float> m = F.indexInRange(i, n);
                    FloatVector g = FloatVector.fromArray(F, gate, start + i, m);
                    g.div(FloatVector.fromArray(F, e, i, m).add(1f)).mul(FloatVector.fromArray(F, up, start + i, m))
                            .intoArray(gate, start + i, m);
                }
            }
        }
    }

    /**
     * Softmax with {@link VectorExp} and the sum in vector lanes (then {@link Simd#sum}'s fixed
     * order): within 1e-5 relative of the reference's, which calls {@code Math.exp} per value and
     * sums in index order. Attention runs it over every cached position of every head: at a context
     * of 1k a 1B model makes about 0.7 M {@code exp} calls per token.
     */
    /**
     * The reference's steps with the loops of {@link VectorAttention}, four heads at a time (each
     * key and value read once for the four), the rest one by one: the same results, bit for bit.
     */
    @Override
    public void attend(float[] q, int qOff, int heads, float[] keys, float[] values, int kvDim, int kvOff, int headDim,
                       int first, int last, float scale, float[] sinks, int sinkOff, float[] scores, float[] out,
                       int outOff) {
        int n = last - first + 1;
        int stride = n + 1; // a head's scores and its sink
        int j = 0;
        for (; j + 4 <= heads; j += 4) {
            VectorAttention.scores4(q, qOff + j * headDim, keys, kvDim, kvOff, headDim, first, n, scale, scores, j * stride, stride);
            for (int h = j; h < j + 4; h++) {
                softmax(scores, h, n, stride, sinks, sinkOff);
            }
            VectorAttention.weightedValues4(scores, j * stride, stride, values, kvDim, kvOff, headDim, first, n, out,
                    outOff + j * headDim);
        }
        for (; j < heads; j++) {
            VectorAttention.scores(q, qOff + j * headDim, keys, kvDim, kvOff, headDim, first, n, scale, scores, j * stride);
            softmax(scores, j, n, stride, sinks, sinkOff);
            VectorAttention.weightedValues(scores, j * stride, values, kvDim, kvOff, headDim, first, n, out,
                    outOff + j * headDim);
        }
    }

    /** Head {@code h}'s softmax in {@link #attend}, over its sink too where there is one. */
    private void softmax(float[] scores, int h, int n, int stride, float[] sinks, int sinkOff) {
        if (sinks == null) {
            softmax(scores, h * stride, n);
        } else {
            scores[h * stride + n] = sinks[sinkOff + h]; // the sink's share is computed and then ignored
            softmax(scores, h * stride, n + 1);
        }
    }

    @Override
    public void softmax(float[] x, int off, int n) {
        FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            max = max.max(FloatVector.fromArray(F, x, off + i, m).blend(Float.NEGATIVE_INFINITY, m.not()));
        }
        float top = max.reduceLanes(VectorOperators.MAX); // order does not matter for a maximum
        VectorExp.exp(x, off, 1f, -top, x, off, n);
        FloatVector sum = FloatVector.zero(F);
        for (int i = 0; i < n; i += L) {
            sum = sum.add(FloatVector.fromArray(F, x, off + i, F.indexInRange(i, n)));
        }
        float inv = 1f / Simd.sum(sum);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector.fromArray(F, x, off + i, m).mul(inv).intoArray(x, off + i, m);
        }
    }

    @Override
    public void close() {
        runner.close();
        copies.clear();
        weightMemory.close();
    }
}
