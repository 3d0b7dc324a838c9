package io.inferlab.jmh;

import java.util.List;

import io.inferlab.cpu.VectorKernels;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.tensor.Tensor;
import io.inferlab.opencl.OpenClMatvec;

/**
 * Where {@link MatvecBench} runs one matrix-vector product: a matrix and an input vector placed
 * once (on a device: uploaded), then {@link #matvec} per benchmark invocation, complete when it
 * returns (a device call waits for the device). A new backend adds one case to {@link #open}
 * and a class of a few lines (a {@code cuda} target would wrap the CUDA backend's matvec the same
 * way as {@link OpenCl}).
 */
public interface MatvecTarget extends AutoCloseable {
    /** The targets {@link #open} knows, in the order MatvecBench runs them by default. */
    List<String> BACKENDS = List.of("cpu", "opencl", "reference");

    /** One product, finished. */
    void matvec();

    /** The last product's values (outside any timed region: may copy from a device). */
    float[] output();

    /** Bytes of device memory the target holds; 0 for the host targets. */
    long deviceMemoryBytes();

    @Override
    void close();

    /**
     * Places {@code w} and {@code x} on {@code backend}: {@code cpu} (the CPU backend's Vector API
     * kernels on all cores), {@code reference} (the scalar oracle), {@code opencl} (the OpenCL
     * backend's device kernels).
     *
     * @throws io.inferlab.api.BackendUnavailableException when the backend cannot run on this host, saying why
     * @throws IllegalArgumentException for a backend that has no target here
     */
    static MatvecTarget open(String backend, Tensor w, float[] x) {
        return switch (backend) {
            case "cpu" -> new Host(new VectorKernels(Runtime.getRuntime().availableProcessors()), w, x);
            case "reference" -> new Host(new ScalarKernels(), w, x);
            case "opencl" -> new OpenCl(OpenClMatvec.open(w, x));
            default -> throw new IllegalArgumentException("no matvec target for backend '" + backend + "' (known: "
                    + String.join(", ", BACKENDS) + ")");
        };
    }

    /** Host kernels over the matrix in (native) memory. */
    final class Host implements MatvecTarget {
        private final io.inferlab.engine.kernels.Kernels kernels;
        private final Tensor w;
        private final float[] x;
        private final float[] out;

        Host(io.inferlab.engine.kernels.Kernels kernels, Tensor w, float[] x) {
            this.kernels = kernels;
            this.w = w;
            this.x = x;
            this.out = new float[w.rows()];
        }

        @Override
        public void matvec() {
            kernels.matvec(w, x, out);
        }

        @Override
        public float[] output() {
            return out.clone();
        }

        @Override
        public long deviceMemoryBytes() {
            return 0;
        }

        @Override
        public void close() {
            kernels.close();
        }
    }

    /** The OpenCL backend's device matvec. */
    final class OpenCl implements MatvecTarget {
        private final OpenClMatvec device;

        OpenCl(OpenClMatvec device) {
            this.device = device;
        }

        @Override
        public void matvec() {
            device.run();
        }

        @Override
        public float[] output() {
            return device.output();
        }

        @Override
        public long deviceMemoryBytes() {
            return device.deviceMemoryBytes();
        }

        @Override
        public void close() {
            device.close();
        }
    }
}
