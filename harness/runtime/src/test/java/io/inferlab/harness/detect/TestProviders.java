package io.inferlab.harness.detect;

import java.util.Map;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.BackendProvider;
import io.inferlab.api.BackendUnavailableException;
import io.inferlab.api.DeviceInfo;
import io.inferlab.api.InferenceBackend;
import io.inferlab.api.ModelSource;
import io.inferlab.api.ProbeResult;

/**
 * Backend providers that misbehave in the ways real ones can (a throwing probe, a native library
 * that fails to link, a null answer, a hang), and well-behaved ones, as inputs for the detection
 * layer. Listed in a services file that the tests put on a class loader of their own.
 */
final class TestProviders {
    private TestProviders() {
    }

    abstract static class Base implements BackendProvider {
        private final String id;
        private final AccelerationType acceleration;

        Base(String id, AccelerationType acceleration) {
            this.id = id;
            this.acceleration = acceleration;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public AccelerationType acceleration() {
            return acceleration;
        }

        @Override
        public InferenceBackend open(ModelSource model, BackendOptions options) {
            throw new BackendUnavailableException(id + " opens nothing");
        }
    }

    public static final class WorkingCpu extends Base {
        public WorkingCpu() {
            super("test-cpu", AccelerationType.CPU);
        }

        @Override
        public ProbeResult probe() {
            return new ProbeResult.Available(new DeviceInfo("Test CPU", "two threads", 1L << 30,
                    Map.of("threads", "2", "vectorBits", "256")));
        }
    }

    /** Probe throws an exception. */
    public static final class ThrowingOpenCl extends Base {
        public ThrowingOpenCl() {
            super("test-opencl-throws", AccelerationType.OPENCL);
        }

        @Override
        public ProbeResult probe() {
            throw new IllegalStateException("clGetPlatformIDs blew up");
        }
    }

    /** Probe throws an Error, the way a binding without its native library does. */
    public static final class LinkageErrorCuda extends Base {
        public LinkageErrorCuda() {
            super("test-cuda-link", AccelerationType.CUDA);
        }

        @Override
        public ProbeResult probe() {
            throw new UnsatisfiedLinkError("libcuda.so.1: cannot open shared object file: No such file or directory");
        }
    }

    /** Probe throws a non-linkage Error. */
    public static final class AssertingCuda extends Base {
        public AssertingCuda() {
            super("test-cuda-assert", AccelerationType.CUDA);
        }

        @Override
        public ProbeResult probe() {
            throw new AssertionError("device table corrupted");
        }
    }

    /** Probe answers null, against its contract. */
    public static final class NullMxfp4 extends Base {
        public NullMxfp4() {
            super("test-mxfp4-null", AccelerationType.MXFP4);
        }

        @Override
        public ProbeResult probe() {
            return null;
        }
    }

    /** Probe never returns (a hung driver). */
    public static final class HangingMetal extends Base {
        public HangingMetal() {
            super("test-metal-hangs", AccelerationType.METAL);
        }

        @Override
        public ProbeResult probe() {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ProbeResult.Unavailable("woke up");
        }
    }

    /** A second OpenCL provider that works, so OPENCL stays available despite the throwing one. */
    public static final class WorkingOpenCl extends Base {
        public WorkingOpenCl() {
            super("test-opencl-works", AccelerationType.OPENCL);
        }

        @Override
        public ProbeResult probe() {
            return new ProbeResult.Available(new DeviceInfo("Test GPU", "", 0, Map.of()));
        }
    }

    /** The constructor fails: ServiceLoader cannot instantiate it. */
    public static final class FailingConstructor extends Base {
        public FailingConstructor() {
            super("never", AccelerationType.CPU);
            throw new IllegalStateException("cannot construct");
        }

        @Override
        public ProbeResult probe() {
            throw new AssertionError("unreachable");
        }
    }

    /** id() throws. */
    public static final class ThrowingId extends Base {
        public ThrowingId() {
            super("unused", AccelerationType.CPU);
        }

        @Override
        public String id() {
            throw new NoClassDefFoundError("org/example/Native");
        }

        @Override
        public ProbeResult probe() {
            throw new AssertionError("unreachable");
        }
    }
}
