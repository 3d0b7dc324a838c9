package io.inferlab.cuda.check;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

import io.inferlab.cuda.runtime.CudaContext;
import io.inferlab.cuda.runtime.CudaOps;
import io.inferlab.cuda.runtime.DeviceBuffer;
import io.inferlab.cuda.runtime.RopeTable;
import io.inferlab.engine.kernels.Kernels;
import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.tensor.GgmlType;
import io.inferlab.engine.tensor.Quantizer;
import io.inferlab.engine.tensor.Tensor;

/**
 * Every CUDA kernel against the scalar reference ({@link ScalarKernels}, and the engine's
 * {@link Rope}) over shapes with odd tails: rows that are no multiple of the warps per block,
 * batches that are no multiple of the batch tile, columns with odd block counts (and, for the
 * float types, odd column counts), outputs written at an offset into a larger buffer.
 * Tolerances are relative to the reference's magnitude ({@link Comparison}).
 */
public final class KernelConformance {
    /** f32 sums in another order: a few ulps per term. */
    static final double TOL_MATMUL = 1e-4;
    static final double TOL_ELEMENTWISE = 1e-5;
    /** The GPU's exp (__expf) and rsqrtf are approximate to a few ulps. */
    static final double TOL_ATTENTION = 1e-4;

    /** {rows, cols, batch}: tails for the warps (4 rows per block) and the batch tile (8). */
    static final int[][] MATMUL_SHAPES = {{1, 32, 1}, {7, 96, 3}, {33, 160, 9}, {130, 544, 17}, {257, 2080, 1},
        {64, 4096, 8}};
    /** Extra shapes with odd column counts, for the unblocked float types. */
    static final int[][] FLOAT_ONLY_SHAPES = {{5, 45, 2}, {19, 1, 1}};

    private final CudaContext cx;
    private final CudaOps ops;
    private final Kernels ref = new ScalarKernels();
    private final Random random = new Random(42);

    public KernelConformance(CudaContext cx) {
        this.cx = cx;
        this.ops = new CudaOps(cx);
    }

    public List<CheckResult> runAll() {
        List<CheckResult> out = new ArrayList<>();
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.MXFP4}) {
            for (int[] s : MATMUL_SHAPES) {
                out.add(run("matmul " + type + " " + shape(s), () -> matmul(type, s[0], s[1], s[2])));
            }
            if (!type.isQuantized()) {
                for (int[] s : FLOAT_ONLY_SHAPES) {
                    out.add(run("matmul " + type + " " + shape(s), () -> matmul(type, s[0], s[1], s[2])));
                }
            }
            out.add(run("get_rows " + type + " cols=160 tokens=5", () -> getRows(type, 37, 160, 5)));
        }
        for (int n : new int[] {1, 45, 288, 2049}) {
            out.add(run("rmsnorm n=" + n + " tokens=3", () -> rmsnorm(n, 3)));
        }
        for (Rope.Layout layout : Rope.Layout.values()) {
            out.add(run("rope " + layout + " headDim=40 rotDim=32", () -> rope(layout, null, 1f)));
            out.add(run("rope " + layout + " headDim=64 rotDim=64 YaRN x32", () -> rope(layout,
                    new Rope.Yarn(64, Rope.Yarn.DEFAULT_BETA_FAST, Rope.Yarn.DEFAULT_BETA_SLOW), 32f)));
        }
        out.add(run("attention GQA 6/2 headDim=40 pos0=13 tokens=5", () -> attention(0, false)));
        out.add(run("attention GQA 6/2 window=7", () -> attention(7, false)));
        out.add(run("attention GQA 6/2 sinks", () -> attention(0, true)));
        out.add(run("attention GQA 6/2 window=7 sinks", () -> attention(7, true)));
        out.add(run("swiglu n=1001", () -> swiglu(1001, false)));
        out.add(run("swiglu_oai n=1001", () -> swiglu(1001, true)));
        out.add(run("add n=1001", () -> add(1001)));
        out.add(run("add_bias n=1001 tokens=3", () -> addBias(1001, 3)));
        out.addAll(moeKernels());
        out.add(run("argmax n=32003", () -> argmax(32003)));
        return out;
    }

    /**
     * The mixture-of-experts kernels: expert selection (with ties and non-power-of-two counts),
     * the expert matmul per weight type (shared and per-slot inputs, rows and slots with tails),
     * per-expert biases, the weighted sum.
     */
    public List<CheckResult> moeKernels() {
        List<CheckResult> out = new ArrayList<>();
        out.add(run("moe_topk experts=32 k=4 tokens=5", () -> moeTopK(32, 4, 5, false)));
        out.add(run("moe_topk experts=128 k=4 tokens=3 ties", () -> moeTopK(128, 4, 3, true)));
        out.add(run("moe_topk experts=7 k=3 tokens=9", () -> moeTopK(7, 3, 9, false)));
        out.add(run("moe_topk experts=4096 k=32 tokens=1", () -> moeTopK(4096, 32, 1, false)));
        for (GgmlType type : new GgmlType[] {GgmlType.MXFP4, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.F16, GgmlType.F32}) {
            for (int[] s : MATMUL_ID_SHAPES) {
                String shape = "experts=" + s[0] + " rows=" + s[1] + " cols=" + s[2] + " tokens=" + s[3] + " k=" + s[4];
                out.add(run("matmul_id " + type + " " + shape + " shared input", () -> matmulId(type, s, true)));
                out.add(run("matmul_id " + type + " " + shape + " per-slot input", () -> matmulId(type, s, false)));
            }
        }
        out.add(run("add_id n=160 experts=8 slots=12", () -> addId(160, 8, 12)));
        out.add(run("moe_weighted_sum n=1001 k=3 tokens=4", () -> moeWeightedSum(1001, 3, 4)));
        return out;
    }

    /** {experts, rows, cols, tokens, k}: rows off the warps per block, odd block counts, k not a power of two. */
    static final int[][] MATMUL_ID_SHAPES = {{4, 7, 96, 1, 2}, {8, 33, 160, 5, 3}, {32, 130, 1024, 2, 4},
        {5, 64, 2880, 3, 4}};

    private CheckResult run(String name, Supplier<CheckResult> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            return CheckResult.crashed("kernel", name, e);
        }
    }

    private static String shape(int[] s) {
        return "rows=" + s[0] + " cols=" + s[1] + " batch=" + s[2];
    }

    private float[] randoms(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextFloat() * 2 - 1) * scale;
        }
        return v;
    }

    private Tensor tensor(GgmlType type, int rows, int cols) {
        byte[] data = Quantizer.quantize(type, randoms(rows * cols, 1f));
        return new Tensor("w", type, new long[] {cols, rows}, MemorySegment.ofArray(data));
    }

    private DeviceBuffer upload(String what, float[] v) {
        DeviceBuffer b = cx.alloc(what, 4L * Math.max(1, v.length));
        cx.upload(b, 0, v, 0, v.length);
        return b;
    }

    private DeviceBuffer upload(Tensor t) {
        DeviceBuffer b = cx.alloc(t.name(), t.data().byteSize());
        cx.upload(b, t.data());
        return b;
    }

    private float[] download(DeviceBuffer b, long offset, int n) {
        float[] v = new float[n];
        cx.download(v, 0, b, offset, n);
        return v;
    }

    private static CheckResult result(String name, float[] expected, float[] actual, double tol) {
        Comparison c = Comparison.of(expected, actual, expected.length, tol);
        return new CheckResult("kernel", name, c.passed(), c.maxAbsError(), c.allowed(), c.describe());
    }

    CheckResult matmul(GgmlType type, int rows, int cols, int batch) {
        Tensor w = tensor(type, rows, cols);
        float[] x = randoms(batch * cols, 1f);
        float[] expected = new float[batch * rows];
        ref.matmul(w, x, expected, batch);
        DeviceBuffer dw = upload(w);
        DeviceBuffer dx = upload("x", x);
        int offset = 3; // written at an offset, as K and V go into the cache
        DeviceBuffer dout = cx.alloc("out", 4L * (batch * rows + offset));
        ops.matmul(type, dw.pointer(), dx.pointer(), dout.atFloat(offset), rows, cols, batch);
        return result("matmul " + type + " rows=" + rows + " cols=" + cols + " batch=" + batch, expected,
                download(dout, offset, batch * rows), TOL_MATMUL);
    }

    CheckResult getRows(GgmlType type, int rows, int cols, int tokens) {
        Tensor w = tensor(type, rows, cols);
        int[] ids = new int[tokens];
        float[] expected = new float[tokens * cols];
        for (int t = 0; t < tokens; t++) {
            ids[t] = (t * 11 + 5) % rows;
            ref.getRow(w, ids[t], expected, t * cols);
        }
        DeviceBuffer dw = upload(w);
        DeviceBuffer dids = cx.alloc("ids", 4L * tokens);
        cx.upload(dids, ids, 0, tokens);
        DeviceBuffer dout = cx.alloc("out", 4L * tokens * cols);
        ops.getRows(type, dw.pointer(), dids.pointer(), dout.pointer(), cols, tokens);
        return result("get_rows " + type, expected, download(dout, 0, tokens * cols), 1e-6);
    }

    CheckResult rmsnorm(int n, int tokens) {
        float[] x = randoms(n * tokens, 3f);
        float[] w = randoms(n, 1f);
        float[] expected = new float[n * tokens];
        for (int t = 0; t < tokens; t++) {
            ref.rmsnorm(expected, t * n, x, t * n, w, n, 1e-5f);
        }
        DeviceBuffer dx = upload("x", x);
        DeviceBuffer dw = upload("w", w);
        ops.rmsnorm(dx.pointer(), dx.pointer(), dw.pointer(), n, 1e-5f, tokens);
        return result("rmsnorm n=" + n, expected, download(dx, 0, n * tokens), TOL_ELEMENTWISE);
    }

    CheckResult rope(Rope.Layout layout, Rope.Yarn yarn, float scale) {
        int heads = 3;
        int headDim = yarn == null ? 40 : 64;
        int rotDim = yarn == null ? 32 : 64;
        int tokens = 4;
        int pos0 = 9;
        int positions = 64;
        Rope rope = new Rope(layout, headDim, rotDim, positions, 10000f, scale, null, yarn);
        float[] x = randoms(tokens * heads * headDim, 1f);
        float[] expected = x.clone();
        for (int t = 0; t < tokens; t++) {
            rope.apply(expected, t * heads * headDim, heads, pos0 + t);
        }
        float[][] table = RopeTable.of(new Rope(Rope.Layout.NORMAL, rotDim, rotDim, positions, 10000f, scale, null, yarn),
                rotDim, positions);
        DeviceBuffer dx = upload("x", x);
        DeviceBuffer cos = upload("cos", table[0]);
        DeviceBuffer sin = upload("sin", table[1]);
        ops.rope(dx.pointer(), cos.pointer(), sin.pointer(), tokens, heads, heads * headDim, headDim, rotDim, pos0, layout);
        return result("rope " + layout, expected, download(dx, 0, x.length), TOL_ELEMENTWISE);
    }

    CheckResult attention(int window, boolean withSinks) {
        int heads = 6;
        int kvHeads = 2;
        int headDim = 40;
        int ctx = 50;
        int pos0 = 13;
        int tokens = 5;
        int qDim = heads * headDim;
        int kvDim = kvHeads * headDim;
        float scale = (float) (1 / Math.sqrt(headDim));
        float[] q = randoms(tokens * qDim, 1f);
        float[] keys = randoms(ctx * kvDim, 1f);
        float[] values = randoms(ctx * kvDim, 1f);
        float[] sinks = withSinks ? randoms(heads, 2f) : null;
        float[] expected = new float[tokens * qDim];
        float[] scores = new float[ctx + 1];
        for (int t = 0; t < tokens; t++) {
            int last = pos0 + t;
            int first = window > 0 ? Math.max(0, last - window + 1) : 0;
            int n = last - first + 1;
            for (int h = 0; h < heads; h++) {
                int qOff = t * qDim + h * headDim;
                int kvOff = (h / (heads / kvHeads)) * headDim;
                for (int p = first; p <= last; p++) {
                    scores[p - first] = ref.dot(q, qOff, keys, p * kvDim + kvOff, headDim) * scale;
                }
                if (sinks != null) {
                    scores[n] = sinks[h];
                }
                ref.softmax(scores, 0, sinks != null ? n + 1 : n);
                for (int p = first; p <= last; p++) {
                    ref.axpy(scores[p - first], values, p * kvDim + kvOff, expected, qOff, headDim);
                }
            }
        }
        DeviceBuffer dq = upload("q", q);
        DeviceBuffer dk = upload("keys", keys);
        DeviceBuffer dv = upload("values", values);
        DeviceBuffer ds = sinks == null ? null : upload("sinks", sinks);
        DeviceBuffer dout = cx.alloc("out", 4L * tokens * qDim);
        ops.attention(dout.pointer(), dq.pointer(), dk.pointer(), dv.pointer(), ds == null ? null : ds.pointer(),
                heads, kvHeads, headDim, pos0, tokens, window, scale, ctx);
        return result("attention", expected, download(dout, 0, tokens * qDim), TOL_ATTENTION);
    }

    CheckResult swiglu(int n, boolean oai) {
        float[] gate = randoms(n, 9f);
        float[] up = randoms(n, 9f);
        float[] expected = gate.clone();
        if (oai) {
            ref.swigluClamped(expected, up, n, 1.702f, 7f);
        } else {
            ref.swiglu(expected, up, n);
        }
        DeviceBuffer dg = upload("gate", gate);
        DeviceBuffer du = upload("up", up);
        if (oai) {
            ops.swigluOai(dg.pointer(), du.pointer(), n, 1.702f, 7f);
        } else {
            ops.swiglu(dg.pointer(), du.pointer(), n);
        }
        return result(oai ? "swiglu_oai" : "swiglu", expected, download(dg, 0, n), TOL_ELEMENTWISE);
    }

    CheckResult add(int n) {
        float[] y = randoms(n, 1f);
        float[] x = randoms(n, 1f);
        float[] expected = y.clone();
        ref.axpy(1f, x, 0, expected, 0, n);
        DeviceBuffer dy = upload("y", y);
        DeviceBuffer dx = upload("x", x);
        ops.add(dy.pointer(), dx.pointer(), n);
        return result("add", expected, download(dy, 0, n), 1e-6);
    }

    CheckResult addBias(int n, int tokens) {
        float[] y = randoms(n * tokens, 1f);
        float[] b = randoms(n, 1f);
        float[] expected = y.clone();
        for (int t = 0; t < tokens; t++) {
            ref.axpy(1f, b, 0, expected, t * n, n);
        }
        DeviceBuffer dy = upload("y", y);
        DeviceBuffer db = upload("b", b);
        ops.addBias(dy.pointer(), db.pointer(), n, tokens);
        return result("add_bias", expected, download(dy, 0, n * tokens), 1e-6);
    }

    /**
     * The reference selection, written independently of the kernel's scan: the experts sorted by
     * logit + bias (descending, the lower index first among equals), the first k, and the softmax
     * of their logits.
     */
    static void topKReference(Kernels ref, float[] logits, float[] bias, int experts, int k, int token, int[] ids,
                              float[] weights) {
        Integer[] order = new Integer[experts];
        float[] l = new float[experts];
        for (int e = 0; e < experts; e++) {
            order[e] = e;
            l[e] = logits[token * experts + e] + bias[e];
        }
        java.util.Arrays.sort(order, (a, b) -> l[a] != l[b] ? Float.compare(l[b], l[a]) : Integer.compare(a, b));
        for (int j = 0; j < k; j++) {
            ids[token * k + j] = order[j];
            weights[token * k + j] = l[order[j]];
        }
        ref.softmax(weights, token * k, k);
    }

    CheckResult moeTopK(int experts, int k, int tokens, boolean ties) {
        float[] logits = randoms(experts * tokens, 3f);
        float[] bias = randoms(experts, 0.5f);
        if (ties) {
            // Equal logits + bias at several experts, among the best: the lower index must win.
            for (int t = 0; t < tokens; t++) {
                for (int e : new int[] {5, 17, 90, 64}) {
                    logits[t * experts + e] = 10f;
                    bias[e] = 0f;
                }
            }
        }
        int[] expectedIds = new int[tokens * k];
        float[] expectedWeights = new float[tokens * k];
        for (int t = 0; t < tokens; t++) {
            topKReference(ref, logits, bias, experts, k, t, expectedIds, expectedWeights);
        }
        DeviceBuffer dl = upload("logits", logits);
        DeviceBuffer db = upload("bias", bias);
        DeviceBuffer dids = cx.alloc("ids", 4L * tokens * k);
        DeviceBuffer dw = cx.alloc("weights", 4L * tokens * k);
        ops.moeTopK(dl.pointer(), db.pointer(), experts, k, dids.pointer(), dw.pointer(), tokens);
        int[] gotIds = cx.downloadInts(dids, tokens * k);
        String name = "moe_topk experts=" + experts + " k=" + k;
        if (!java.util.Arrays.equals(expectedIds, gotIds)) {
            return new CheckResult("kernel", name, false, Double.NaN, Double.NaN, "selected experts "
                    + java.util.Arrays.toString(gotIds) + ", expected " + java.util.Arrays.toString(expectedIds));
        }
        return result(name, expectedWeights, download(dw, 0, tokens * k), TOL_ELEMENTWISE);
    }

    /**
     * {@code s} = {experts, rows, cols, tokens, k}; {@code shared}: the k slots of a token read its
     * input row (gate, up), else each slot its own (down). The expert ids are drawn with repeats
     * across tokens, so slots share experts as in a batch.
     */
    CheckResult matmulId(GgmlType type, int[] s, boolean shared) {
        int experts = s[0];
        int rows = s[1];
        int cols = s[2];
        int tokens = s[3];
        int k = s[4];
        int slots = tokens * k;
        float[] all = randoms(experts * rows * cols, 1f);
        byte[] data = Quantizer.quantize(type, all);
        Tensor w = new Tensor("experts", type, new long[] {cols, rows, experts}, MemorySegment.ofArray(data));
        int[] ids = new int[slots];
        for (int t = 0; t < tokens; t++) {
            for (int j = 0; j < k; j++) {
                ids[t * k + j] = (t * 3 + j * 7 + 1) % experts; // 7 is coprime with every count here: distinct within a token
            }
        }
        float[] x = randoms((shared ? tokens : slots) * cols, 1f);
        float[] expected = new float[slots * rows];
        long expertBytes = data.length / experts;
        float[] row = new float[cols];
        float[] col = new float[rows];
        for (int sl = 0; sl < slots; sl++) {
            Tensor e = new Tensor("expert " + ids[sl], type, new long[] {cols, rows},
                    w.data().asSlice(ids[sl] * expertBytes, expertBytes));
            System.arraycopy(x, (shared ? sl / k : sl) * cols, row, 0, cols);
            ref.matmul(e, row, col, 1);
            System.arraycopy(col, 0, expected, sl * rows, rows);
        }
        DeviceBuffer dw = upload(w);
        DeviceBuffer dids = cx.alloc("ids", 4L * slots);
        cx.upload(dids, ids, 0, slots);
        DeviceBuffer dx = upload("x", x);
        DeviceBuffer dout = cx.alloc("out", 4L * slots * rows);
        ops.matmulId(type, dw.pointer(), dids.pointer(), dx.pointer(), dout.pointer(), rows, cols, slots,
                shared ? k : 1);
        return result("matmul_id " + type, expected, download(dout, 0, slots * rows), TOL_MATMUL);
    }

    CheckResult addId(int n, int experts, int slots) {
        float[] y = randoms(n * slots, 1f);
        float[] b = randoms(n * experts, 1f);
        int[] ids = new int[slots];
        float[] expected = y.clone();
        for (int sl = 0; sl < slots; sl++) {
            ids[sl] = (sl * 5 + 3) % experts;
            ref.axpy(1f, b, ids[sl] * n, expected, sl * n, n);
        }
        DeviceBuffer dy = upload("y", y);
        DeviceBuffer db = upload("b", b);
        DeviceBuffer dids = cx.alloc("ids", 4L * slots);
        cx.upload(dids, ids, 0, slots);
        ops.addId(dy.pointer(), db.pointer(), dids.pointer(), n, slots);
        return result("add_id", expected, download(dy, 0, n * slots), 1e-6);
    }

    CheckResult moeWeightedSum(int n, int k, int tokens) {
        float[] y = randoms(n * tokens, 1f);
        float[] e = randoms(n * tokens * k, 1f);
        float[] w = randoms(tokens * k, 1f);
        float[] expected = y.clone();
        for (int t = 0; t < tokens; t++) {
            for (int j = 0; j < k; j++) {
                ref.axpy(w[t * k + j], e, (t * k + j) * n, expected, t * n, n);
            }
        }
        DeviceBuffer dy = upload("y", y);
        DeviceBuffer de = upload("e", e);
        DeviceBuffer dw = upload("w", w);
        ops.moeWeightedSum(dy.pointer(), de.pointer(), dw.pointer(), n, k, tokens);
        return result("moe_weighted_sum", expected, download(dy, 0, n * tokens), TOL_ELEMENTWISE);
    }

    CheckResult argmax(int n) {
        float[] x = randoms(n, 1f);
        x[n - 7] = 5f; // a clear maximum in the tail
        x[n / 3] = 5f; // ...and a tie before it: the lowest index wins
        DeviceBuffer dx = upload("x", x);
        DeviceBuffer dr = cx.alloc("result", 4);
        ops.argmax(dx.pointer(), n, dr.pointer());
        int got = cx.downloadInt(dr);
        int expected = LogitsConformance.argmax(x);
        return new CheckResult("kernel", "argmax n=" + n, got == expected, Double.NaN, Double.NaN,
                String.format(Locale.ROOT, "expected %d, got %d", expected, got));
    }
}
