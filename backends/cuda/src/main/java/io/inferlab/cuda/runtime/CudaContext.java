package io.inferlab.cuda.runtime;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.inferlab.cuda.CudaDevice;
import io.inferlab.cuda.kernels.CudaKernel;
import io.inferlab.cuda.kernels.LaunchGeometry;
import io.inferlab.cuda.kernels.Ptx;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * A CUDA context on one device with its stream, the kernels' modules (PTX loaded with
 * {@code cuModuleLoadData}: the driver JIT-compiles it for the device) and every allocation it
 * made, so that {@link #close} frees them all and {@link #allocatedBytes} reports device memory.
 * Driver API only. Not thread-safe; each public entry makes the context current on the calling
 * thread.
 */
public final class CudaContext implements AutoCloseable {
    /** Host staging for uploads of mapped (read-only) file data. */
    private static final int STAGING_BYTES = 64 << 20;

    private final CudaDevice device;
    private final CUcontext context = new CUcontext();
    private final Stream stream = new Stream();
    private final List<CUmodule> modules = new ArrayList<>();
    private final Map<CudaKernel, Function> functions = new EnumMap<>(CudaKernel.class);
    private final List<DeviceBuffer> buffers = new ArrayList<>();
    private final KernelArguments arguments = new KernelArguments();
    private LaunchPath launchPath = DriverLaunch.available() ? LaunchPath.DRIVER : LaunchPath.JCUDA_SLOTS;
    private ByteBuffer staging;
    private long allocated;
    private boolean closed;
    private boolean contextCreated;
    private boolean streamCreated;

    private CudaContext(CudaDevice device) {
        this.device = device;
    }

    /**
     * Creates a context on {@code device} and loads every kernel. On failure nothing stays allocated.
     *
     * @throws CudaException naming the driver call that failed
     */
    public static CudaContext open(CudaDevice device) {
        JCudaDriver.setExceptionsEnabled(false);
        CudaContext cx = new CudaContext(device);
        try {
            check(JCudaDriver.cuInit(0), "cuInit");
            CUdevice dev = new CUdevice();
            check(JCudaDriver.cuDeviceGet(dev, device.index()), "cuDeviceGet(" + device.index() + ")");
            check(JCudaDriver.cuCtxCreate(cx.context, 0, dev), "cuCtxCreate on " + device.name());
            cx.contextCreated = true;
            check(JCudaDriver.cuStreamCreate(cx.stream, 0), "cuStreamCreate");
            cx.streamCreated = true;
            for (CudaKernel k : CudaKernel.values()) {
                CUmodule module = new CUmodule();
                check(JCudaDriver.cuModuleLoadData(module, Ptx.load(k)),
                        "cuModuleLoadData(" + k.resource() + ") (the driver's JIT of the PTX)");
                cx.modules.add(module);
                Function f = new Function();
                check(JCudaDriver.cuModuleGetFunction(f, module, k.entry()), "cuModuleGetFunction(" + k.entry() + ")");
                cx.functions.put(k, f);
            }
            return cx;
        } catch (RuntimeException | Error e) {
            cx.close();
            throw e;
        }
    }

    public CudaDevice device() {
        return device;
    }

    /** Bytes this context has allocated and not freed. */
    public long allocatedBytes() {
        return allocated;
    }

    /** {free, total} device memory as the driver reports it now. */
    public long[] memoryInfo() {
        makeCurrent();
        long[] free = new long[1];
        long[] total = new long[1];
        check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    /** Makes this context current on the calling thread (contexts are per thread in the driver API). */
    public void makeCurrent() {
        ensureOpen();
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /**
     * Allocates {@code bytes} for {@code what}.
     *
     * @throws CudaException saying what did not fit and how much was allocated already
     */
    public DeviceBuffer alloc(String what, long bytes) {
        makeCurrent();
        DevicePointer p = new DevicePointer();
        int rc = JCudaDriver.cuMemAlloc(p, Math.max(bytes, 1));
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new CudaException(String.format(Locale.ROOT,
                    "cuMemAlloc of %.1f MiB for %s failed: %s (%.1f MiB allocated already on %s)",
                    bytes / 1048576.0, what, CUresult.stringFor(rc), allocated / 1048576.0, device.name()), rc);
        }
        DeviceBuffer b = new DeviceBuffer(what, p, bytes);
        buffers.add(b);
        allocated += bytes;
        return b;
    }

    /** Copies {@code src} (any segment, e.g. a mapped file's tensor) to the start of {@code dst}. */
    public void upload(DeviceBuffer dst, MemorySegment src) {
        makeCurrent();
        if (src.byteSize() > dst.bytes()) {
            throw new IllegalArgumentException(src.byteSize() + " bytes do not fit " + dst.what() + " (" + dst.bytes() + ")");
        }
        if (staging == null) {
            staging = ByteBuffer.allocateDirect(STAGING_BYTES);
        }
        MemorySegment stage = MemorySegment.ofBuffer(staging);
        for (long off = 0; off < src.byteSize(); off += STAGING_BYTES) {
            long n = Math.min(STAGING_BYTES, src.byteSize() - off);
            MemorySegment.copy(src, off, stage, 0, n);
            check(JCudaDriver.cuMemcpyHtoD(dst.at(off), Pointer.to(staging), n), "cuMemcpyHtoD(" + dst.what() + ")");
        }
    }

    public void upload(DeviceBuffer dst, long dstFloatOffset, float[] src, int from, int n) {
        makeCurrent();
        check(JCudaDriver.cuMemcpyHtoD(dst.atFloat(dstFloatOffset), Pointer.to(src).withByteOffset(4L * from), 4L * n),
                "cuMemcpyHtoD(" + dst.what() + ")");
    }

    public void upload(DeviceBuffer dst, int[] src, int from, int n) {
        makeCurrent();
        check(JCudaDriver.cuMemcpyHtoD(dst.pointer(), Pointer.to(src).withByteOffset(4L * from), 4L * n),
                "cuMemcpyHtoD(" + dst.what() + ")");
    }

    /** Waits for the stream, then copies {@code n} floats from {@code src[srcFloatOffset..]} into {@code dst[from..]}. */
    public void download(float[] dst, int from, DeviceBuffer src, long srcFloatOffset, int n) {
        synchronize();
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(dst).withByteOffset(4L * from), src.atFloat(srcFloatOffset), 4L * n),
                "cuMemcpyDtoH(" + src.what() + ")");
    }

    /** Waits for the stream, then copies the first {@code n} ints of {@code src}. */
    public int[] downloadInts(DeviceBuffer src, int n) {
        synchronize();
        int[] v = new int[n];
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(v), src.pointer(), 4L * n), "cuMemcpyDtoH(" + src.what() + ")");
        return v;
    }

    public int downloadInt(DeviceBuffer src) {
        synchronize();
        int[] v = new int[1];
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(v), src.pointer(), 4), "cuMemcpyDtoH(" + src.what() + ")");
        return v[0];
    }

    /**
     * Launches {@code kernel} on the stream; {@code args} are {@link DevicePointer}s (null: a null
     * pointer), Integers and Floats, in the kernel's parameter order (see {@link KernelArguments}).
     */
    public void launch(CudaKernel kernel, LaunchGeometry g, Object... args) {
        Function f = functions.get(kernel);
        int rc = switch (launchPath) {
            case DRIVER -> {
                arguments.write(kernel.entry(), args);
                yield DriverLaunch.launch(f.handle(), g.gridX(), g.gridY(), g.gridZ(), g.blockX(), g.sharedBytes(),
                        stream.handle(), arguments.pointers());
            }
            case JCUDA_SLOTS -> JCudaDriver.cuLaunchKernel(f, g.gridX(), g.gridY(), g.gridZ(), g.blockX(), 1, 1,
                    g.sharedBytes(), stream, arguments.write(kernel.entry(), args), null);
            case JCUDA_ARRAYS -> JCudaDriver.cuLaunchKernel(f, g.gridX(), g.gridY(), g.gridZ(), g.blockX(), 1, 1,
                    g.sharedBytes(), stream, KernelArguments.jcudaForm(kernel.entry(), args), null);
        };
        if (rc != CUresult.CUDA_SUCCESS) { // the message only when it is needed: this runs ~15 times a layer
            check(rc, "cuLaunchKernel(" + kernel.entry() + ", grid " + g.gridX() + "x" + g.gridY() + ", block "
                    + g.blockX() + ")");
        }
    }

    /** The loaded entry point of {@code kernel} (for probes that launch it their own way). */
    CUfunction function(CudaKernel kernel) {
        return functions.get(kernel);
    }

    CUstream stream() {
        return stream;
    }

    /** How launches reach the driver: each way gives the same results; only the host's cost differs. */
    enum LaunchPath {
        /** FFM straight into the driver, the arguments in {@link KernelArguments}' slots (the default). */
        DRIVER,
        /** JCuda's binding, with the slots: where the driver library cannot be looked up. */
        JCUDA_SLOTS,
        /** JCuda's binding with a fresh Java array per argument, as launches were before 2026-11-27. */
        JCUDA_ARRAYS
    }

    /** Selects how launches reach the driver (for the launch probe's A/B). */
    void useLaunchPath(LaunchPath path) {
        if (path == LaunchPath.DRIVER && !DriverLaunch.available()) {
            throw new IllegalStateException("no FFM launch: " + DriverLaunch.unavailableReason().orElse("?"));
        }
        this.launchPath = path;
    }

    /** A function handle JCuda fills in and keeps protected, told to {@link DriverLaunch}. */
    private static final class Function extends CUfunction {
        long handle() {
            return getNativePointer();
        }
    }

    /** A stream handle JCuda fills in and keeps protected, told to {@link DriverLaunch}. */
    private static final class Stream extends CUstream {
        long handle() {
            return getNativePointer();
        }
    }

    /** Waits for everything launched so far; reports a kernel's asynchronous failure. */
    public void synchronize() {
        makeCurrent();
        check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize (a kernel failed)");
    }

    /** Frees every allocation, the modules, the stream and the context; safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        arguments.close();
        if (!contextCreated) {
            return;
        }
        JCudaDriver.cuCtxSetCurrent(context);
        // Errors while freeing are not reported: the context's destruction frees whatever remains.
        for (DeviceBuffer b : buffers) {
            JCudaDriver.cuMemFree(b.pointer());
        }
        buffers.clear();
        allocated = 0;
        for (CUmodule m : modules) {
            JCudaDriver.cuModuleUnload(m);
        }
        modules.clear();
        if (streamCreated) {
            JCudaDriver.cuStreamDestroy(stream);
        }
        JCudaDriver.cuCtxDestroy(context);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA context on " + device.name() + " is closed");
        }
    }

    static void check(int rc, String call) {
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new CudaException(call + " failed: " + CUresult.stringFor(rc) + " (" + rc + ")", rc);
        }
    }
}
