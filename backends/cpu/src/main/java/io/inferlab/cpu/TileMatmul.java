package io.inferlab.cpu;

import static io.inferlab.cpu.Simd.F;
import static io.inferlab.cpu.Simd.L;

import io.inferlab.engine.tensor.Tensor;
import jdk.incubator.vector.FloatVector;

/**
 * Matrix product for several tokens at once (prefill). Compute-bound rather than memory-bound,
 * so the goal is FMAs per load: every group of {@link #TILE} weight rows is dequantized once into
 * a per-thread float buffer (pre-multiplied by the block scales), then multiplied with
 * {@link #TILE} tokens at a time, 4 x 4 accumulators held in registers. Each weight byte is read
 * from memory once per call, however many tokens there are.
 *
 * <p>Edges (fewer than 4 rows or tokens left) reuse the full kernel with the missing rows or
 * tokens pointing at a valid one and their results dropped: a result only ever depends on its own
 * row and token, so it is the same whichever slot of the tile computed it.
 */
final class TileMatmul {
    /** Rows and tokens per register tile. */
    static final int TILE = 4;
    /** Floats at the start of the scratch buffer for one tile's results. */
    private static final int RESULTS = TILE * TILE;

    private TileMatmul() {
    }

    /** Floats of per-thread scratch {@link #rows} needs for a matrix of {@code cols} columns. */
    static int scratchFloats(int cols) {
        return RESULTS + TILE * cols;
    }

    /** {@code out[t * rows + r] = w[r] . x[t]} for rows {@code [from, to)} and every token. */
    static void rows(Tensor w, float[] x, float[] out, int batch, int from, int to, float[] scratch) {
        int rows = w.rows();
        int cols = w.cols();
        for (int r = from; r < to; r += TILE) {
            int nr = Math.min(TILE, to - r);
            for (int j = 0; j < nr; j++) {
                RowDecoder.decodeRow(w, r + j, scratch, RESULTS + j * cols);
            }
            int w0 = RESULTS;
            int w1 = nr > 1 ? w0 + cols : w0;
            int w2 = nr > 2 ? w0 + 2 * cols : w0;
            int w3 = nr > 3 ? w0 + 3 * cols : w0;
            for (int t = 0; t < batch; t += TILE) {
                int nt = Math.min(TILE, batch - t);
                int x0 = t * cols;
                int x1 = nt > 1 ? x0 + cols : x0;
                int x2 = nt > 2 ? x0 + 2 * cols : x0;
                int x3 = nt > 3 ? x0 + 3 * cols : x0;
                tile(scratch, w0, w1, w2, w3, x, x0, x1, x2, x3, cols, scratch);
                for (int j = 0; j < nr; j++) {
                    for (int k = 0; k < nt; k++) {
                        out[(t + k) * rows + r + j] = scratch[j * TILE + k];
                    }
                }
            }
        }
    }

    /**
     * Dot products of 4 float rows of {@code w} with 4 rows of {@code x}, {@code n} values each;
     * result (row j, token k) goes to {@code res[j * 4 + k]}. The 16 accumulators are named locals,
     * not an array, so C2 keeps them in registers (32 on AVX-512: 16 sums, 4 x, 4 w).
     */
    private static void tile(float[] w, int w0, int w1, int w2, int w3,
                             float[] x, int x0, int x1, int x2, int x3, int n, float[] res) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F), a12 = FloatVector.zero(F), a13 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F), a22 = FloatVector.zero(F), a23 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F), a32 = FloatVector.zero(F), a33 = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v0 = FloatVector.fromArray(F, x, x0 + i);
            FloatVector v1 = FloatVector.fromArray(F, x, x1 + i);
            FloatVector v2 = FloatVector.fromArray(F, x, x2 + i);
            FloatVector v3 = FloatVector.fromArray(F, x, x3 + i);
            FloatVector u = FloatVector.fromArray(F, w, w0 + i);
            a00 = u.fma(v0, a00);
            a01 = u.fma(v1, a01);
            a02 = u.fma(v2, a02);
            a03 = u.fma(v3, a03);
            u = FloatVector.fromArray(F, w, w1 + i);
            a10 = u.fma(v0, a10);
            a11 = u.fma(v1, a11);
            a12 = u.fma(v2, a12);
            a13 = u.fma(v3, a13);
            u = FloatVector.fromArray(F, w, w2 + i);
            a20 = u.fma(v0, a20);
            a21 = u.fma(v1, a21);
            a22 = u.fma(v2, a22);
            a23 = u.fma(v3, a23);
            u = FloatVector.fromArray(F, w, w3 + i);
            a30 = u.fma(v0, a30);
            a31 = u.fma(v1, a31);
            a32 = u.fma(v2, a32);
            a33 = u.fma(v3, a33);
        }
        res[0] = Simd.sum(a00);
        res[1] = Simd.sum(a01);
        res[2] = Simd.sum(a02);
        res[3] = Simd.sum(a03);
        res[4] = Simd.sum(a10);
        res[5] = Simd.sum(a11);
        res[6] = Simd.sum(a12);
        res[7] = Simd.sum(a13);
        res[8] = Simd.sum(a20);
        res[9] = Simd.sum(a21);
        res[10] = Simd.sum(a22);
        res[11] = Simd.sum(a23);
        res[12] = Simd.sum(a30);
        res[13] = Simd.sum(a31);
        res[14] = Simd.sum(a32);
        res[15] = Simd.sum(a33);
        if (i < n) {
            // Only unquantized weights whose column count is not a multiple of the lanes get here.
            for (int j = 0; j < TILE; j++) {
                int wo = pick(j, w0, w1, w2, w3);
                for (int k = 0; k < TILE; k++) {
                    int xo = pick(k, x0, x1, x2, x3);
                    float s = res[j * TILE + k];
                    for (int c = i; c < n; c++) {
                        s += w[wo + c] * x[xo + c];
                    }
                    res[j * TILE + k] = s;
                }
            }
        }
    }

    private static int pick(int i, int a, int b, int c, int d) {
        return switch (i) {
            case 0 -> a;
            case 1 -> b;
            case 2 -> c;
            default -> d;
        };
    }
}
