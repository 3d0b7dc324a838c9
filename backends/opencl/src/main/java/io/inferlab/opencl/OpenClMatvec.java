package io.inferlab.opencl;

import java.util.IdentityHashMap;
import java.util.Locale;

import org.jocl.CLException;
import org.jocl.cl_mem;

import io.inferlab.api.BackendUnavailableException;
import io.inferlab.engine.tensor.Tensor;

/**
 * One weight matrix on an OpenCL device for kernel benchmarks: the matrix is uploaded once (its
 * GGML bytes as they are), then {@link #run} launches the device matvec the forward pass uses
 * (the device's layout of the same kernel) and waits for it. {@link #output} reads the result
 * back, outside any timed region. Closing releases the buffers, kernels and queue. Not
 * thread-safe.
 */
public final class OpenClMatvec implements AutoCloseable {
    private final DeviceArena arena;
    private final OpenClOps ops;
    private final DeviceTensor weights;
    private final cl_mem x;
    private final cl_mem out;
    private final String description;

    private OpenClMatvec(DeviceArena arena, Tensor w, float[] input) {
        this.arena = arena;
        this.ops = new OpenClOps(arena);
        ops.prepare(w.type());
        this.weights = arena.upload(w, new IdentityHashMap<>());
        this.x = arena.upload("x", input);
        this.out = arena.buffer("out", (long) w.rows() * Float.BYTES);
        OpenClDevice d = arena.context().device();
        this.description = String.format(Locale.ROOT, "OpenCL %s %s on %s", d.type(), d.name(), d.platformName());
    }

    /**
     * Uploads {@code w} and the input vector {@code x} ({@code w.cols()} values) to the device the
     * backend would choose (the first GPU, else the first device).
     *
     * @throws BackendUnavailableException when this host has no OpenCL platform or device, with the probe's reason
     * @throws io.inferlab.api.UnsupportedModelException when the matrix does not fit in one device buffer
     */
    public static OpenClMatvec open(Tensor w, float[] x) {
        if (x.length != w.cols()) {
            throw new IllegalArgumentException("input of " + x.length + " values for a matrix of " + w.cols() + " columns");
        }
        OpenClDevice device = switch (OpenClProbe.discover()) {
            case OpenClDiscovery.Failed f -> throw new BackendUnavailableException("backend 'opencl' is unavailable here: "
                    + f.reason());
            case OpenClDiscovery.Found found -> DeviceSelection.choose(found.devices(), -1);
        };
        new MemoryPlan().add("tensor '" + w.name() + "'", MemoryPlan.Kind.WEIGHTS, w.data().byteSize())
                .check(DeviceLimits.of(device), device.name(), "tensor '" + w.name() + "'", 0);
        return DeviceArena.build(DeviceContext.of(device), 0, "uploading " + w.name() + " to " + device.name(),
                arena -> new OpenClMatvec(arena, w, x));
    }

    /** One matrix-vector product on the device, waited for. */
    public void run() {
        try {
            ops.matmul(weights, x, 0, out, 0, 1);
            ops.finish();
        } catch (CLException e) {
            throw Cl.translate(e, "matvec of " + weights.name());
        }
    }

    /** The last product's {@code rows} values (a blocking read). */
    public float[] output() {
        float[] v = new float[weights.rows()];
        ops.readFloats(out, 0, v, v.length);
        return v;
    }

    /** Bytes of the device buffers held (matrix, input, output). */
    public long deviceMemoryBytes() {
        return arena.heldBytes();
    }

    /** "OpenCL CPU pthread-... on Portable Computing Language". */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        arena.close();
    }
}
