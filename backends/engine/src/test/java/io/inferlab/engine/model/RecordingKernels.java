package io.inferlab.engine.model;

import java.util.ArrayList;
import java.util.List;

import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.tensor.Tensor;

/**
 * The scalar kernels, recording the name (and batch) of every matrix multiplied (to see which
 * weights a pass reads, for how many tokens) and of every matrix prepared. With several pretend workers, {@link #parallelFor} runs
 * the indices from last to first, index {@code i} as worker {@code i % workers}, the way a pool
 * may run them: out of order and on different workers' scratch.
 */
public final class RecordingKernels implements Kernels {
    private final ScalarKernels k = new ScalarKernels();
    private final int workers;
    public final List<String> matmuls = new ArrayList<>();
    /** The batch of each of {@link #matmuls}. */
    public final List<Integer> batches = new ArrayList<>();
    public final List<String> prepared = new ArrayList<>();

    public RecordingKernels() {
        this(1);
    }

    public RecordingKernels(int workers) {
        this.workers = workers;
    }

    @Override
    public int parallelism() {
        return workers;
    }

    @Override
    public void parallelFor(int n, IndexTask task) {
        if (workers == 1) {
            Kernels.super.parallelFor(n, task);
            return;
        }
        for (int i = n - 1; i >= 0; i--) {
            task.run(i % workers, i);
        }
    }

    @Override
    public void prepare(Tensor w) {
        prepared.add(w.name());
    }

    @Override
    public String description() {
        return "recording " + k.description();
    }

    @Override
    public void matmul(Tensor w, float[] x, float[] out, int batch) {
        matmuls.add(w.name());
        batches.add(batch);
        k.matmul(w, x, out, batch);
    }

    @Override
    public void getRow(Tensor w, int row, float[] out, int off) {
        k.getRow(w, row, out, off);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return k.dot(a, aOff, b, bOff, n);
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        k.axpy(alpha, x, xOff, y, yOff, n);
    }

    @Override
    public void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps) {
        k.rmsnorm(out, outOff, x, xOff, weight, n, eps);
    }

    @Override
    public void softmax(float[] x, int off, int n) {
        k.softmax(x, off, n);
    }

    @Override
    public void swiglu(float[] gate, float[] up, int n) {
        k.swiglu(gate, up, n);
    }

    @Override
    public void close() {
        k.close();
    }
}
