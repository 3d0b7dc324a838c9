package io.inferlab.cuda;

import io.inferlab.api.BackendUnavailableException;
import io.inferlab.cuda.runtime.CudaContext;
import io.inferlab.cuda.runtime.CudaOps;
import io.inferlab.cuda.runtime.DeviceBuffer;
import io.inferlab.engine.tensor.Tensor;

/**
 * One weight matrix on a CUDA device for kernel benchmarks (JMH's {@code MatvecBench}): the
 * matrix is uploaded once in its GGML bytes, then {@link #run} launches the matvec kernel the
 * forward pass uses and waits for it. {@link #output} reads the result back, outside any timed
 * region. Closing frees the device memory and the context. Not thread-safe.
 */
public final class CudaMatvec implements AutoCloseable {
    private final CudaContext cx;
    private final CudaOps ops;
    private final Tensor w;
    private final DeviceBuffer weights;
    private final DeviceBuffer x;
    private final DeviceBuffer out;

    private CudaMatvec(CudaContext cx, Tensor w, float[] input) {
        this.cx = cx;
        this.ops = new CudaOps(cx);
        this.w = w;
        this.weights = cx.alloc(w.name(), w.data().byteSize());
        cx.upload(weights, w.data());
        this.x = cx.alloc("x", (long) input.length * Float.BYTES);
        cx.upload(x, 0, input, 0, input.length);
        this.out = cx.alloc("out", (long) w.rows() * Float.BYTES);
    }

    /**
     * Uploads {@code w} and the input vector {@code x} ({@code w.cols()} values) to CUDA device 0.
     *
     * @throws BackendUnavailableException when this host has no usable CUDA device, with the probe's reason
     * @throws IllegalArgumentException for a tensor type without a CUDA kernel or a wrong input length
     */
    public static CudaMatvec open(Tensor w, float[] x) {
        if (x.length != w.cols()) {
            throw new IllegalArgumentException("input of " + x.length + " values for a matrix of " + w.cols() + " columns");
        }
        if (!CudaOps.supports(w.type())) {
            throw new IllegalArgumentException("no CUDA matvec kernel for " + w.type());
        }
        CudaDevice device = switch (CudaProbe.discover()) {
            case CudaDiscovery.Failed f -> throw new BackendUnavailableException("backend 'cuda' is unavailable here: "
                    + f.reason());
            case CudaDiscovery.Found found -> found.devices().getFirst();
        };
        CudaContext cx = CudaContext.open(device);
        try {
            return new CudaMatvec(cx, w, x);
        } catch (RuntimeException | Error e) {
            cx.close(); // frees whatever was allocated before the failure
            throw e;
        }
    }

    /** One matrix-vector product on the device, waited for. */
    public void run() {
        ops.matmul(w.type(), weights.pointer(), x.pointer(), out.pointer(), w.rows(), w.cols(), 1);
        cx.synchronize();
    }

    /** The last product's {@code rows} values. */
    public float[] output() {
        float[] v = new float[w.rows()];
        cx.download(v, 0, out, 0, v.length);
        return v;
    }

    /** Bytes of device memory held (matrix, input, output). */
    public long deviceMemoryBytes() {
        return cx.allocatedBytes();
    }

    @Override
    public void close() {
        cx.close();
    }
}
