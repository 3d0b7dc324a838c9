package io.inferlab.opencl;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.tensor.GgmlType;

/**
 * The OpenCL kernels of the forward pass (resources under {@code io/inferlab/opencl/kernels}, one
 * op per file) and how each is launched: work-group shapes, arguments, offsets. Every call only
 * enqueues on the backend's in-order queue; {@link #readFloats} and {@link #readInt} wait. Kernel
 * objects are created on first use, so a model builds only the programs of its own tensor types.
 * Offsets and sizes are in elements (floats or ints), never bytes.
 */
final class OpenClOps {
    /** Lanes (work-items) per matrix row in matvec/matmul: enough to hide latency on a GPU, few enough for short rows. */
    static final int MATRIX_LANES = 64;
    /** Lanes per row of RMSNorm and attention; fixed, so PoCL compiles each kernel for one work-group size only. */
    static final int ROW_LANES = 64;
    /** Lanes of the single argmax work-group. */
    static final int ARGMAX_LANES = 256;
    /** Input rows per work-group of the batched matmul: TILE in matmul_*.cl. */
    static final int MATMUL_TILE = 8;
    /**
     * Work-group size along dimension 0 of the element-wise kernels (embedding rows, RoPE, SwiGLU,
     * add), their global size rounded up to a multiple and the excess
     * work-items returning at once. A fixed size matters on PoCL: it compiles a kernel once per
     * work-group size, and a size left to the driver would follow the global size, which grows
     * with the position, so decode would keep compiling.
     */
    static final int ELEMENT_LANES = 32;

    /** Lanes that share one quantized block in the _split kernels (their lid & 7 and lanes >> 3). */
    static final int SPLIT_LANES = 8;

    private final DeviceArena arena;
    private final cl_command_queue queue;
    private final long deviceMaxWorkGroup;
    /** Whether Q8_0/Q4_0 products use the _split kernels (several lanes per block: GPUs) or the plain ones (CPU devices). */
    private final boolean splitBlocks;
    private final Map<String, Kernel> kernels = new HashMap<>();

    private record Kernel(String name, cl_kernel handle, int maxLanes) {
    }

    /**
     * The kernels for the device of {@code arena}: on a CPU device the quantized products give
     * each lane whole blocks (PoCL runs a work-item's loop on the vector unit: the split layout
     * measured 3-6x slower there), elsewhere 8 lanes share a block (coalesced loads: the
     * whole-block layout reached about a fifth of an H200's F16 bandwidth).
     */
    OpenClOps(DeviceArena arena) {
        this(arena, !arena.context().device().type().contains("CPU"));
    }

    /** With the quantized product layout chosen (tests run both on whatever device they have). */
    OpenClOps(DeviceArena arena, boolean splitBlocks) {
        this.arena = arena;
        this.queue = arena.queue();
        this.deviceMaxWorkGroup = Math.max(1, arena.context().device().maxWorkGroupSize());
        this.splitBlocks = splitBlocks && deviceMaxWorkGroup >= SPLIT_LANES;
    }

    /** The file/kernel name suffix of a weight type ("q8_0"), for the types with kernels here. */
    static String suffix(GgmlType type) {
        return switch (type) {
            case F32 -> "f32";
            case F16 -> "f16";
            case BF16 -> "bf16";
            case Q8_0 -> "q8_0";
            case Q4_0 -> "q4_0";
            case MXFP4 -> "mxfp4";
        };
    }

    /** Creates the kernels {@code type} needs now, so a missing or broken kernel fails the load, not the first token. */
    void prepare(GgmlType type) {
        kernel(productKernel("matvec_", type));
        kernel(productKernel("matmul_", type));
    }

    /** "matvec_q8_0_split" or "matvec_q8_0": the product kernel for {@code type} in this device's layout. */
    private String productKernel(String op, GgmlType type) {
        return op + suffix(type) + (splitBlocks && type.isQuantized() ? "_split" : "");
    }

    /** Creates the embedding lookup kernel of {@code type} now. */
    void prepareRows(GgmlType type) {
        kernel("get_rows_" + suffix(type));
    }

    /** Creates the type-independent kernels now. */
    void prepareCommon(Rope.Layout layout) {
        for (String k : new String[] {"rmsnorm", "attention", "swiglu", "add", "argmax", ropeKernel(layout)}) {
            kernel(k);
        }
    }

    /** Creates the kernels only gpt-oss uses (sinks and window, clamped SwiGLU, biases, expert routing) now. */
    void prepareGptOss() {
        for (String k : new String[] {"attention_sinks", "swiglu_oai", "add_rows", "moe_gather", "moe_scatter"}) {
            kernel(k);
        }
    }

    private Kernel kernel(String name) {
        Kernel k = kernels.get(name);
        if (k == null) {
            cl_kernel handle = arena.kernel(name.replace("_split", "") + ".cl", name);
            long max = Math.min(deviceMaxWorkGroup, Cl.kernelWorkGroupSize(handle, arena.context().device().device()));
            k = new Kernel(name, handle, (int) Math.max(1, Math.min(Integer.MAX_VALUE, max)));
            kernels.put(name, k);
        }
        return k;
    }

    /** {@code n} rounded up to a multiple of {@code lanes}. */
    static long roundUp(long n, int lanes) {
        return (n + lanes - 1) / lanes * lanes;
    }

    /** The largest power of two <= min(units, cap, the kernel's limit), at least 1. */
    static int lanes(long units, int cap, int kernelMax) {
        long limit = Math.max(1, Math.min(units, Math.min(cap, kernelMax)));
        return Integer.highestOneBit((int) Math.min(limit, 1 << 30));
    }

    /**
     * {@code out[outOff + b * rows + r] = sum_c w[r][c] * x[xOff + b * cols + c]} for {@code batch}
     * input rows: the matvec kernel for one row (decode), the tiled matmul for more (prefill).
     */
    void matmul(DeviceTensor w, cl_mem x, int xOff, cl_mem out, int outOff, int batch) {
        String op = batch == 1 ? "matvec_" : "matmul_";
        Kernel k = kernel(productKernel(op, w.type()));
        // Work units per row: 32-value blocks for the quantized types (a block per lane, or one per
        // SPLIT_LANES lanes), 8-value chunks for the float types.
        boolean split = k.name().endsWith("_split");
        if (split && k.maxLanes() < SPLIT_LANES) { // a kernel too large for 8 lanes: the plain layout
            k = kernel(op + suffix(w.type()));
            split = false;
        }
        long units = w.type().isQuantized() ? w.cols() / w.type().blockSize() * (split ? SPLIT_LANES : 1)
                : Math.max(1, w.cols() / 8);
        int lanes = lanes(units, MATRIX_LANES, k.maxLanes());
        if (batch == 1) {
            new Args(k).mem(w.buffer()).i32(w.cols()).mem(x).i32(xOff).mem(out).i32(outOff).local((long) lanes * Float.BYTES)
                    .run(new long[] {(long) w.rows() * lanes}, new long[] {lanes});
        } else {
            long tiles = (batch + MATMUL_TILE - 1) / MATMUL_TILE;
            new Args(k).mem(w.buffer()).i32(w.cols()).i32(w.rows()).mem(x).i32(xOff).i32(batch).mem(out).i32(outOff)
                    .local((long) MATMUL_TILE * lanes * Float.BYTES)
                    .run(new long[] {(long) w.rows() * lanes, tiles}, new long[] {lanes, 1});
        }
    }

    /** Rows {@code tokens[0 .. count)} of {@code w}, dequantized into {@code out[outOff + t * cols ..]}. */
    void getRows(DeviceTensor w, cl_mem tokens, int count, cl_mem out, int outOff) {
        Kernel k = kernel("get_rows_" + suffix(w.type()));
        int lanes = elementLanes(k);
        new Args(k).mem(w.buffer()).i32(w.cols()).mem(tokens).mem(out).i32(outOff)
                .run(new long[] {roundUp(w.cols(), lanes), count}, new long[] {lanes, 1});
    }

    /** RMSNorm of {@code rows} consecutive rows of {@code n} values. */
    void rmsnorm(cl_mem x, int xOff, cl_mem weight, int n, float eps, cl_mem out, int outOff, int rows) {
        Kernel k = kernel("rmsnorm");
        int lanes = lanes(ROW_LANES, ROW_LANES, k.maxLanes());
        new Args(k).mem(x).i32(xOff).mem(weight).i32(n).f32(eps).mem(out).i32(outOff).local((long) lanes * Float.BYTES)
                .run(new long[] {(long) rows * lanes}, new long[] {lanes});
    }

    private static int elementLanes(Kernel k) {
        return lanes(ELEMENT_LANES, ELEMENT_LANES, k.maxLanes());
    }

    static String ropeKernel(Rope.Layout layout) {
        return layout == Rope.Layout.NORMAL ? "rope_norm" : "rope_neox";
    }

    /**
     * Rotates {@code heads} heads of each of {@code tokens} rows (row t at {@code xOff + t *
     * rowStride}, at position {@code pos0 + t}) with the cos/sin tables {@code [position][pair]}.
     */
    void rope(Rope.Layout layout, cl_mem x, int xOff, int rowStride, int heads, int headDim, int rotaryDim, int pos0,
              int tokens, cl_mem cos, cl_mem sin) {
        Kernel k = kernel(ropeKernel(layout));
        int lanes = elementLanes(k);
        new Args(k).mem(x).i32(xOff).i32(rowStride).i32(headDim).i32(rotaryDim).i32(pos0).mem(cos).mem(sin)
                .run(new long[] {roundUp(rotaryDim / 2, lanes), heads, tokens}, new long[] {lanes, 1, 1});
    }

    /**
     * Causal grouped-query attention of {@code tokens} queries (token t at position {@code pos0 +
     * t}, heads {@code [t][h][headDim]} in {@code q}) over the cache's positions {@code 0 .. pos0
     * + t}: scores, softmax and the weighted sum of the values into {@code out} (laid out as
     * {@code q}), one work-group per (head, token).
     *
     * @param scores scratch of {@code tokens * heads * ctx} floats
     */
    void attention(cl_mem q, cl_mem keys, cl_mem values, cl_mem scores, cl_mem out, int heads, int kvHeads,
                   int headDim, int ctx, int pos0, int tokens, float scale) {
        Kernel k = kernel("attention");
        int lanes = lanes(ROW_LANES, ROW_LANES, k.maxLanes());
        new Args(k).mem(q).mem(keys).mem(values).mem(scores).mem(out).i32(heads).i32(kvHeads).i32(headDim).i32(ctx)
                .i32(pos0).f32(scale).local((long) lanes * Float.BYTES)
                .run(new long[] {lanes, heads, tokens}, new long[] {lanes, 1, 1});
    }

    /**
     * gpt-oss's attention ({@code attention_sinks.cl}): as {@link #attention}, plus one sink logit
     * per head ({@code sinks[h]}) in the softmax and, with {@code window > 0}, only the last
     * {@code window} positions visible to each token (0: all of them).
     *
     * @param scores scratch of {@code tokens * heads * ctx} floats
     */
    void attentionSinks(cl_mem q, cl_mem keys, cl_mem values, cl_mem sinks, cl_mem scores, cl_mem out, int heads,
                        int kvHeads, int headDim, int ctx, int pos0, int tokens, int window, float scale) {
        Kernel k = kernel("attention_sinks");
        int lanes = lanes(ROW_LANES, ROW_LANES, k.maxLanes());
        new Args(k).mem(q).mem(keys).mem(values).mem(sinks).mem(scores).mem(out).i32(heads).i32(kvHeads).i32(headDim)
                .i32(ctx).i32(pos0).i32(window).f32(scale).local((long) lanes * Float.BYTES)
                .run(new long[] {lanes, heads, tokens}, new long[] {lanes, 1, 1});
    }

    /** gpt-oss's clamped SwiGLU in place: {@code gate[i] = min(g, limit) sigmoid(alpha min(g, limit)) (clamp(up[i]) + 1)}. */
    void swigluOai(cl_mem gate, cl_mem up, int n, float alpha, float limit) {
        Kernel k = kernel("swiglu_oai");
        int lanes = elementLanes(k);
        new Args(k).mem(gate).mem(up).i32(n).f32(alpha).f32(limit).run(new long[] {roundUp(n, lanes)}, new long[] {lanes});
    }

    /** {@code y[yOff + r * stride + i] += b[bOff + i]} for {@code i < n}, {@code r < rows}: a bias on each row. */
    void addRows(cl_mem y, int yOff, int stride, cl_mem b, int bOff, int n, int rows) {
        Kernel k = kernel("add_rows");
        int lanes = elementLanes(k);
        new Args(k).mem(y).i32(yOff).i32(stride).mem(b).i32(bOff).i32(n)
                .run(new long[] {roundUp(n, lanes), rows}, new long[] {lanes, 1});
    }

    /** {@code out[i * n ..] = x[rows[rowsOff + i] * n ..]} for {@code i < m}: the rows routed to one expert, packed. */
    void moeGather(cl_mem x, cl_mem rows, int rowsOff, int n, int m, cl_mem out) {
        Kernel k = kernel("moe_gather");
        int lanes = elementLanes(k);
        new Args(k).mem(x).mem(rows).i32(rowsOff).i32(n).mem(out).run(new long[] {roundUp(n, lanes), m}, new long[] {lanes, 1});
    }

    /**
     * {@code out[rows[rowsOff + i] * n + c] += weights[rowsOff + i] * (down[i * n + c] + bias[bOff + c])}
     * for {@code i < m}: one expert's outputs, with its bias, mixed into the tokens that chose it.
     */
    void moeScatter(cl_mem down, cl_mem bias, int bOff, cl_mem rows, cl_mem weights, int rowsOff, int n, int m,
                    cl_mem out) {
        Kernel k = kernel("moe_scatter");
        int lanes = elementLanes(k);
        new Args(k).mem(down).mem(bias).i32(bOff).mem(rows).mem(weights).i32(rowsOff).i32(n).mem(out)
                .run(new long[] {roundUp(n, lanes), m}, new long[] {lanes, 1});
    }

    /** Enqueues zeroing {@code n} floats of {@code buffer} from element 0 (clEnqueueFillBuffer, OpenCL 1.2). */
    void zero(cl_mem buffer, int n) {
        DeviceArena.call(CL.clEnqueueFillBuffer(queue, buffer, Pointer.to(new float[] {0f}), Float.BYTES, 0,
                (long) n * Float.BYTES, 0, null, null), "clEnqueueFillBuffer");
    }

    /**
     * Enqueues the copy of {@code bytes} bytes from {@code host} (direct memory) to the start of
     * {@code buffer} without waiting; as {@link #writeIntsAsync}, {@code host} must stay unchanged
     * until a later blocking read has drained the queue.
     */
    void writeAsync(cl_mem buffer, ByteBuffer host, long bytes) {
        DeviceArena.call(CL.clEnqueueWriteBuffer(queue, buffer, false, 0, bytes, Pointer.to(host), 0, null, null),
                "clEnqueueWriteBuffer");
    }

    /** Waits for every enqueued command (the benchmarks' end of one timed operation). */
    void finish() {
        DeviceArena.call(CL.clFinish(queue), "clFinish");
    }

    /** {@code gate[i] = silu(gate[i]) * up[i]} for {@code i < n}. */
    void swiglu(cl_mem gate, cl_mem up, int n) {
        Kernel k = kernel("swiglu");
        int lanes = elementLanes(k);
        new Args(k).mem(gate).mem(up).i32(n).run(new long[] {roundUp(n, lanes)}, new long[] {lanes});
    }

    /** {@code y[yOff + i] += x[xOff + i]} for {@code i < n}. */
    void add(cl_mem y, int yOff, cl_mem x, int xOff, int n) {
        Kernel k = kernel("add");
        int lanes = elementLanes(k);
        new Args(k).mem(y).i32(yOff).mem(x).i32(xOff).i32(n).run(new long[] {roundUp(n, lanes)}, new long[] {lanes});
    }

    /** {@code result[0]} = index of the largest of {@code x[xOff .. xOff + n)}, ties to the lowest. */
    void argmax(cl_mem x, int xOff, int n, cl_mem result) {
        Kernel k = kernel("argmax");
        int lanes = lanes(ARGMAX_LANES, ARGMAX_LANES, k.maxLanes());
        new Args(k).mem(x).i32(xOff).i32(n).mem(result).local((long) lanes * Float.BYTES).local((long) lanes * Integer.BYTES)
                .run(new long[] {lanes}, new long[] {lanes});
    }

    /** Writes {@code values[0 .. n)} to the start of {@code buffer}, waiting for the copy. */
    void writeInts(cl_mem buffer, int[] values, int n) {
        DeviceArena.call(CL.clEnqueueWriteBuffer(queue, buffer, true, 0, (long) n * Integer.BYTES, Pointer.to(values),
                0, null, null), "clEnqueueWriteBuffer(ints)");
    }

    /**
     * Enqueues the copy of {@code n} ints from {@code host} (a direct buffer, which the garbage
     * collector never moves) to the start of {@code buffer} without waiting: a blocking write
     * waits for the queue to drain and costs PoCL about 0.3 ms per token. The caller must leave
     * {@code host} unchanged until a later blocking read has drained the queue.
     */
    void writeIntsAsync(cl_mem buffer, ByteBuffer host, int n) {
        DeviceArena.call(CL.clEnqueueWriteBuffer(queue, buffer, false, 0, (long) n * Integer.BYTES, Pointer.to(host),
                0, null, null), "clEnqueueWriteBuffer(ints)");
    }

    /** Writes {@code values} to the start of {@code buffer}. */
    void writeFloats(cl_mem buffer, float[] values) {
        DeviceArena.call(CL.clEnqueueWriteBuffer(queue, buffer, true, 0, (long) values.length * Float.BYTES,
                Pointer.to(values), 0, null, null), "clEnqueueWriteBuffer(floats)");
    }

    /** Waits for the queue and reads {@code n} floats from element {@code offset} of {@code buffer} into {@code dst[0 .. n)}. */
    void readFloats(cl_mem buffer, long offset, float[] dst, int n) {
        DeviceArena.call(CL.clEnqueueReadBuffer(queue, buffer, true, offset * Float.BYTES, (long) n * Float.BYTES,
                Pointer.to(dst), 0, null, null), "clEnqueueReadBuffer(floats)");
    }

    /** Waits for the queue and reads the int at the start of {@code buffer}. */
    int readInt(cl_mem buffer) {
        int[] v = new int[1];
        DeviceArena.call(CL.clEnqueueReadBuffer(queue, buffer, true, 0, Integer.BYTES, Pointer.to(v), 0, null, null),
                "clEnqueueReadBuffer(int)");
        return v[0];
    }

    /** One launch: arguments in the kernel's order, then the NDRange. */
    private final class Args {
        private final Kernel kernel;
        private int index;

        Args(Kernel kernel) {
            this.kernel = kernel;
        }

        Args mem(cl_mem m) {
            return set(Sizeof.cl_mem, Pointer.to(m));
        }

        Args i32(int v) {
            return set(Sizeof.cl_int, Pointer.to(new int[] {v}));
        }

        Args f32(float v) {
            return set(Sizeof.cl_float, Pointer.to(new float[] {v}));
        }

        /** A {@code local} array argument of {@code bytes}. */
        Args local(long bytes) {
            return set(bytes, null);
        }

        private Args set(long size, Pointer value) {
            int status = CL.clSetKernelArg(kernel.handle(), index, size, value);
            if (status != CL.CL_SUCCESS) { // the call's name is built only on failure: this runs per launch
                throw new OpenClException("clSetKernelArg(" + kernel.name() + ", " + index + ")", status);
            }
            index++;
            return this;
        }

        void run(long[] global, long[] local) {
            int status = CL.clEnqueueNDRangeKernel(queue, kernel.handle(), global.length, null, global, local, 0, null, null);
            if (status != CL.CL_SUCCESS) {
                throw new OpenClException("clEnqueueNDRangeKernel(" + kernel.name() + ")", status);
            }
        }
    }
}
