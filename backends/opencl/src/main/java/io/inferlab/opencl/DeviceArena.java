package io.inferlab.opencl;

import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_MEM_READ_ONLY;
import static org.jocl.CL.CL_MEM_READ_WRITE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import io.inferlab.engine.tensor.Tensor;

/**
 * Every OpenCL object one backend creates on its device (command queue, kernel objects, buffers),
 * released together, newest first, by {@link #close}: after a failed load as after a normal
 * close. Counts buffer bytes for the compute-mode label and live objects for the tests that check
 * nothing leaks.
 */
final class DeviceArena implements AutoCloseable {
    /** Largest single host-to-device write: a {@link java.nio.ByteBuffer} holds at most 2 GiB - 1. */
    static final long UPLOAD_CHUNK = 1L << 28;
    private static final AtomicInteger LIVE = new AtomicInteger();

    private final DeviceContext context;
    private final Deque<Runnable> releases = new ArrayDeque<>();
    private final cl_command_queue queue;
    /** Test hook: the n-th buffer allocation fails as a full device would (0 = never). */
    private final int failAtAllocation;
    private int allocations;
    private long allocatedBytes;
    private boolean closed;

    DeviceArena(DeviceContext context) {
        this(context, 0);
    }

    DeviceArena(DeviceContext context, int failAtAllocation) {
        this.context = context;
        this.failAtAllocation = failAtAllocation;
        this.queue = createQueue();
    }

    /**
     * Builds something that owns a new arena (a forward pass) with {@code builder}; if building
     * fails, everything created on the arena so far is released before the exception propagates,
     * an OpenCL error translated with {@code what} ("loading MODEL on DEVICE").
     *
     * @param failAtAllocation test hook: the n-th buffer allocation fails as on a full device (0 = never)
     */
    static <T> T build(DeviceContext context, int failAtAllocation, String what, Function<DeviceArena, T> builder) {
        DeviceArena arena = null;
        try {
            arena = new DeviceArena(context, failAtAllocation);
            return builder.apply(arena);
        } catch (CLException e) {
            release(arena);
            throw Cl.translate(e, what);
        } catch (RuntimeException | Error e) {
            release(arena);
            throw e;
        }
    }

    /**
     * Uploads a weight tensor in its GGML bytes, once: {@code uploaded} remembers what this load
     * already placed (a tied output is the embedding). An unsupported type fails before the upload.
     */
    DeviceTensor upload(Tensor t, Map<Tensor, DeviceTensor> uploaded) {
        DeviceTensor d = uploaded.get(t);
        if (d == null) {
            OpenClOps.suffix(t.type());
            d = new DeviceTensor(t.name(), t.type(), t.rows(), t.cols(), upload(t.name(), t.data()));
            uploaded.put(t, d);
        }
        return d;
    }

    private static void release(DeviceArena arena) {
        if (arena != null) {
            arena.close();
        }
    }

    @SuppressWarnings("deprecation") // clCreateCommandQueue: the OpenCL 1.2 call, still in every 2.x/3.0 driver
    private cl_command_queue createQueue() {
        int[] status = new int[1];
        try {
            cl_command_queue q = CL.clCreateCommandQueue(context.context(), context.device().device(), 0, status);
            Cl.check(status[0], "clCreateCommandQueue");
            track(() -> CL.clReleaseCommandQueue(q));
            return q;
        } catch (CLException e) {
            throw Cl.translate(e, "clCreateCommandQueue");
        }
    }

    DeviceContext context() {
        return context;
    }

    cl_command_queue queue() {
        return queue;
    }

    /** Kernel {@code name} of program {@code file}, a new kernel object of this backend's own (arguments are per object). */
    cl_kernel kernel(String file, String name) {
        int[] status = new int[1];
        try {
            cl_kernel k = CL.clCreateKernel(context.program(file), name, status);
            Cl.check(status[0], "clCreateKernel(" + name + ")");
            track(() -> CL.clReleaseKernel(k));
            return k;
        } catch (CLException e) {
            throw Cl.translate(e, "clCreateKernel(" + name + ")");
        }
    }

    /** An uninitialized read-write buffer of {@code bytes} (activations, KV cache). */
    cl_mem buffer(String what, long bytes) {
        return allocate(what, CL_MEM_READ_WRITE, bytes, null);
    }

    /** A read-only buffer holding {@code values}. */
    cl_mem upload(String what, float[] values) {
        return allocate(what, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (long) values.length * Float.BYTES,
                Pointer.to(values));
    }

    /** A read-only buffer holding {@code data}'s bytes as they are (a tensor of the mapped file, quantized blocks included). */
    cl_mem upload(String what, MemorySegment data) {
        cl_mem mem = allocate(what, CL_MEM_READ_ONLY, data.byteSize(), null);
        for (long off = 0; off < data.byteSize(); off += UPLOAD_CHUNK) {
            long len = Math.min(UPLOAD_CHUNK, data.byteSize() - off);
            MemorySegment part = data.asSlice(off, len);
            Pointer src = part.isNative() ? Pointer.to(part.asByteBuffer()) : Pointer.to(part.toArray(ValueLayout.JAVA_BYTE));
            call(CL.clEnqueueWriteBuffer(queue, mem, true, off, len, src, 0, null, null),
                    "writing " + MemoryPlan.size(len) + " of " + what + " to the device");
        }
        return mem;
    }

    private cl_mem allocate(String what, long flags, long bytes, Pointer host) {
        String call = "allocating " + MemoryPlan.size(bytes) + " for " + what;
        allocations++;
        if (allocations == failAtAllocation) {
            throw new OpenClException(call, CL_MEM_OBJECT_ALLOCATION_FAILURE);
        }
        int[] status = new int[1];
        try {
            cl_mem mem = CL.clCreateBuffer(context.context(), flags, Math.max(bytes, 4), host, status);
            Cl.check(status[0], call);
            track(() -> CL.clReleaseMemObject(mem));
            allocatedBytes += bytes;
            return mem;
        } catch (CLException e) {
            throw Cl.translate(e, call);
        }
    }

    /** Checks a JOCL status (see {@link Cl}); in JOCL's exception mode the call itself throws. */
    static void call(int status, String call) {
        Cl.check(status, call);
    }

    /** Bytes of all buffers allocated so far. */
    long allocatedBytes() {
        return allocatedBytes;
    }

    /** Bytes of device buffers held now: {@link #allocatedBytes} while open, 0 once closed. */
    long heldBytes() {
        return closed ? 0 : allocatedBytes;
    }

    private void track(Runnable release) {
        releases.push(release);
        LIVE.incrementAndGet();
    }

    /** OpenCL objects created by all arenas of this JVM and not yet released (tests check for leaks). */
    static int live() {
        return LIVE.get();
    }

    /** Releases everything, newest first; a failing release does not stop the others. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            CL.clFinish(queue);
        } catch (CLException e) {
            // the queue is broken; release what can be released
        }
        while (!releases.isEmpty()) {
            try {
                releases.pop().run();
            } catch (CLException e) {
                // keep releasing the rest
            }
            LIVE.decrementAndGet();
        }
    }
}
