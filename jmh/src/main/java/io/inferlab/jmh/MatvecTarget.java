package io.inferlab.jmh;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.inferlab.cpu.VectorKernels;
import io.inferlab.cuda.CudaMatvec;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.tensor.Tensor;
import io.inferlab.opencl.OpenClMatvec;

/**
 * Where {@link MatvecBench} runs one matrix-vector product: a matrix and an input vector placed
 * once (on a device: uploaded), then {@link #matvec} per benchmark invocation, complete when it
 * returns (a device call waits for the device). A new backend adds one case to {@link #open}
 * and a {@link Device} over its benchmark entry.
 */
public interface MatvecTarget extends AutoCloseable {
    /** The targets {@link #open} knows, in the order MatvecBench runs them by default. */
    List<String> BACKENDS = List.of("cpu", "opencl", "cuda", "reference");

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
     * kernels on all cores), {@code reference} (the scalar oracle), {@code opencl} and {@code cuda}
     * (the device kernels of those backends' forward passes).
     *
     * @throws io.inferlab.api.BackendUnavailableException when the backend cannot run on this host, saying why
     * @throws IllegalArgumentException for a backend that has no target here
     */
    static MatvecTarget open(String backend, Tensor w, float[] x) {
        return switch (backend) {
            case "cpu" -> new Host(new VectorKernels(Runtime.getRuntime().availableProcessors()), w, x);
            case "reference" -> new Host(new ScalarKernels(), w, x);
            case "opencl" -> {
                OpenClMatvec d = OpenClMatvec.open(w, x);
                yield new Device(d::run, d::output, d::deviceMemoryBytes, d::close);
            }
            case "cuda" -> {
                CudaMatvec d = CudaMatvec.open(w, x);
                yield new Device(d::run, d::output, d::deviceMemoryBytes, d::close);
            }
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

    /** A device backend's benchmark entry: run (and wait), read back, memory held, release. */
    record Device(Runnable run, Supplier<float[]> read, LongSupplier memory, Runnable release) implements MatvecTarget {
        @Override
        public void matvec() {
            run.run();
        }

        @Override
        public float[] output() {
            return read.get();
        }

        @Override
        public long deviceMemoryBytes() {
            return memory.getAsLong();
        }

        @Override
        public void close() {
            release.run();
        }
    }
}
