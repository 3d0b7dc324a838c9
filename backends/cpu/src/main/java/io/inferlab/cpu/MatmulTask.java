package io.inferlab.cpu;

import io.inferlab.engine.tensor.Tensor;

/**
 * One matmul call as a range task over weight rows. A single instance is reused for every call
 * (its fields are set before each dispatch and cleared after), so the decode loop allocates
 * nothing; each thread keeps its own scratch buffer, grown only when a wider matrix arrives.
 * Several tasks (a {@code VectorKernels} group's parts) may share the buffers.
 */
final class MatmulTask implements ParallelRunner.RangeTask {
    private final float[][] scratch;
    private Tensor w;
    private InterleavedQ4_0 interleaved;
    private float[] x;
    /** {@code x} packed for {@link TileMatmul}, or null (batches only). */
    private float[] packedX;
    /** {@code x} packed for {@link PanelMatmul}, or null (batches only; one of the two is set). */
    private float[] panels;
    private float[] bias;
    private int unscale;
    private float[] out;
    private int batch;

    /**
     * @param scratch one slot per worker, shared with the other tasks of the same pool (a
     *                worker runs one task at a time)
     */
    MatmulTask(float[][] scratch) {
        this.scratch = scratch;
    }

    /** Rows of the current call's matrix. */
    int rows() {
        return w.rows();
    }

    /**
     * The next call: {@code w} times {@code batch} rows of {@code x} into {@code out}. With
     * {@code interleaved} (w's copy in that layout) {@code x} is already transposed to match, and
     * for one token {@code bias} and {@code unscale} come from {@link InterleavedQ4_0#decodeInput};
     * for several, {@code panels} holds them through {@link PanelMatmul#pack} where that applies,
     * else {@code packedX} through {@link TileMatmul#pack}.
     */
    void set(Tensor w, InterleavedQ4_0 interleaved, float[] x, float[] bias, int unscale, float[] packedX, float[] panels,
             float[] out, int batch) {
        this.w = w;
        this.interleaved = interleaved;
        this.x = x;
        this.packedX = packedX;
        this.panels = panels;
        this.bias = bias;
        this.unscale = unscale;
        this.out = out;
        this.batch = batch;
    }

    /** Drops the references so the task does not keep a caller's arrays alive. */
    void clear() {
        set(null, null, null, null, 0, null, null, null, 0);
    }

    @Override
    public void run(int worker, int from, int to) {
        if (batch == 1 && interleaved != null) {
            interleaved.matvec(x, bias, unscale, out, from, to);
        } else if (batch == 1) {
            MatVec.rows(w, x, out, from, to);
        } else {
            int cols = w.cols();
            if (panels != null) {
                PanelMatmul.rows(w, interleaved, panels, out, batch, from, to, scratch(worker, PanelMatmul.scratchFloats(cols, batch)));
            } else {
                TileMatmul.rows(w, interleaved, x, packedX, out, batch, from, to, scratch(worker, TileMatmul.scratchFloats(cols)));
            }
        }
    }

    /** Only thread {@code worker} touches slot {@code worker}, so no synchronization is needed. */
    private float[] scratch(int worker, int floats) {
        float[] s = scratch[worker];
        if (s == null || s.length < floats) {
            s = new float[floats];
            scratch[worker] = s;
        }
        return s;
    }
}
