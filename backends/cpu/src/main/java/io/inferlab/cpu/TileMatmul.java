package io.inferlab.cpu;

import static io.inferlab.cpu.Simd.F;
import static io.inferlab.cpu.Simd.L;

import io.inferlab.engine.tensor.Tensor;
import jdk.incubator.vector.FloatVector;

/**
 * Matrix product for several tokens at once (prefill). Compute-bound rather than memory-bound,
 * so the goal is FMAs per load: every block of {@link #BLOCK_ROWS} weight rows is dequantized once
 * into a per-thread float buffer (pre-multiplied by the block scales), then multiplied with
 * {@link #TILE} tokens at a time, 4 rows x 4 tokens of accumulators held in registers. Each
 * weight byte is read from memory once per call, however many tokens there are, and each
 * token's activations once per block of rows.
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
    /** Where the tile's accumulators are stored for summing, after the results. */
    private static final int LANES = RESULTS;
    /** Weight rows decoded at a time: 16 rows of 5632 floats (352 KiB) stay in L2. */
    static final int BLOCK_ROWS = 16;
    /** Where the decoded weight rows start, after the accumulators. */
    private static final int ROWS = LANES + RESULTS * L;

    private TileMatmul() {
    }

    /** Floats of per-thread scratch {@link #rows} needs for a matrix of {@code cols} columns. */
    static int scratchFloats(int cols) {
        return ROWS + BLOCK_ROWS * cols;
    }

    /**
     * {@code out[t * rows + r] = w[r] . x[t]} for rows {@code [from, to)} and every token. With
     * {@code interleaved} (w's copy in that layout, or null) rows are decoded from it, and
     * {@code x} must be transposed to match ({@link InterleavedQ4_0#transpose}).
     */
    static void rows(Tensor w, InterleavedQ4_0 interleaved, float[] x, float[] out, int batch, int from, int to,
                     float[] scratch) {
        int rows = w.rows();
        int cols = w.cols();
        for (int block = from; block < to; block += BLOCK_ROWS) {
            int blockEnd = Math.min(block + BLOCK_ROWS, to);
            for (int r = block; r < blockEnd; r++) {
                int at = ROWS + (r - block) * cols;
                if (interleaved != null) {
                    interleaved.decodeRow(r, scratch, at);
                } else {
                    RowDecoder.decodeRow(w, r, scratch, at);
                }
            }
            // Tokens outside, rows inside: each 4 tokens' activations are read from memory once
            // per block of rows and then from cache (the activations of a whole prompt do not fit
            // in L2; with 4 rows per pass they were read again for every 4 rows).
            for (int t = 0; t < batch; t += TILE) {
                int nt = Math.min(TILE, batch - t);
                int x0 = t * cols;
                int x1 = nt > 1 ? x0 + cols : x0;
                int x2 = nt > 2 ? x0 + 2 * cols : x0;
                int x3 = nt > 3 ? x0 + 3 * cols : x0;
                for (int r = block; r < blockEnd; r += TILE) {
                    int nr = Math.min(TILE, blockEnd - r);
                    int w0 = ROWS + (r - block) * cols;
                    int w1 = nr > 1 ? w0 + cols : w0;
                    int w2 = nr > 2 ? w0 + 2 * cols : w0;
                    int w3 = nr > 3 ? w0 + 3 * cols : w0;
                    tile(scratch, w0, w1, w2, w3, x, x0, x1, x2, x3, cols, scratch);
                    for (int j = 0; j < nr; j++) {
                        for (int k = 0; k < nt; k++) {
                            out[(t + k) * rows + r + j] = scratch[j * TILE + k];
                        }
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
        // Stored, then summed from the array: passing the vectors to Simd.sum, which C2 compiled on
        // its own rather than inline into this large method, boxed all 16 of them on every tile.
        a00.intoArray(res, LANES);
        a01.intoArray(res, LANES + L);
        a02.intoArray(res, LANES + 2 * L);
        a03.intoArray(res, LANES + 3 * L);
        a10.intoArray(res, LANES + 4 * L);
        a11.intoArray(res, LANES + 5 * L);
        a12.intoArray(res, LANES + 6 * L);
        a13.intoArray(res, LANES + 7 * L);
        a20.intoArray(res, LANES + 8 * L);
        a21.intoArray(res, LANES + 9 * L);
        a22.intoArray(res, LANES + 10 * L);
        a23.intoArray(res, LANES + 11 * L);
        a30.intoArray(res, LANES + 12 * L);
        a31.intoArray(res, LANES + 13 * L);
        a32.intoArray(res, LANES + 14 * L);
        a33.intoArray(res, LANES + 15 * L);
        for (int j = 0; j < RESULTS; j++) {
            res[j] = Simd.sum(res, LANES + j * L);
        }
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
