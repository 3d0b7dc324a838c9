package io.inferlab.cpu;

import static io.inferlab.cpu.Simd.F;
import static io.inferlab.cpu.Simd.L;

import java.util.Arrays;

import io.inferlab.engine.tensor.Tensor;
import jdk.incubator.vector.FloatVector;

/**
 * Matrix product for several tokens at once (prefill) where {@link PanelMatmul} does not apply:
 * batches under 64 tokens, and all batches below 16 float lanes.
 * Compute-bound rather than memory-bound, so the goal is FMAs per load: every block of
 * {@link #BLOCK_ROWS} weight rows is dequantized once into a per-thread float buffer
 * (pre-multiplied by the block scales), then multiplied with
 * {@link #TILE} tokens at a time, 4 rows x 4 tokens of accumulators held in registers. Each
 * weight byte is read from memory once per call, however many tokens there are, and each
 * token's activations once per block of rows.
 *
 * <p>Both operands are packed in panels: 4 rows (or 4 tokens) of one vector's worth of columns
 * next to each other, then the next vector's worth ({@link #pack}). The tile's 8 loads per step
 * then sit at fixed offsets from one index, where with 8 separate rows C2's code for the loop ran
 * at about 3.8 of the core's 7 vector FMAs per ns even with everything in L1; packed, 4.9-5.3
 * (a microbenchmark of the two loops, 2026-11-26). Weight rows of whole vectors (every quantized
 * type) are decoded straight into their panel. Columns past the last whole vector (only
 * unquantized weights have them) are kept beside the panels and added after the lanes' sum, as
 * before packing: the order of every sum is the same as over unpacked rows.
 *
 * <p>Edges (fewer than 4 rows or tokens left) run the full tile over whatever the missing rows'
 * or tokens' places hold and drop those results: a result only ever depends on its own row and
 * token.
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
    /** Where the decoded rows' panels start, after the accumulators. */
    private static final int PANELS = LANES + RESULTS * L;

    private TileMatmul() {
    }

    /** Floats of per-thread scratch {@link #rows} needs for a matrix of {@code cols} columns. */
    static int scratchFloats(int cols) {
        return PANELS + BLOCK_ROWS * (panelColumns(cols) + L) + cols;
    }

    /** Columns of a panel row: the whole vectors' worth. */
    private static int panelColumns(int cols) {
        return F.loopBound(cols);
    }

    /** Floats {@link #pack} writes for a batch of {@code batch} tokens of {@code cols}. */
    static int packedFloats(int batch, int cols) {
        return (batch + TILE - 1) / TILE * TILE * panelColumns(cols);
    }

    /**
     * Tokens {@code [from, to)} of a batch of {@code batch} tokens' activations ({@code cols}
     * each) into panels of 4 tokens: vector {@code v} of token {@code 4p + k} goes to
     * {@code dst[(4p * vectors + 4v + k) * L]}, the layout {@link #rows} packs weight rows in too;
     * a last panel's missing tokens are zeros. Ranges that split no panel may be packed by
     * different threads.
     */
    static void pack(float[] x, int batch, int cols, float[] dst, int from, int to) {
        int vectorCols = panelColumns(cols);
        int full = batch / TILE * TILE;
        if (full < batch && to == batch) {
            Arrays.fill(dst, full * vectorCols, (full + TILE) * vectorCols, 0f); // the last panel, before its tokens
        }
        for (int token = from; token < to; token++) {
            packRow(x, token * cols, vectorCols, dst, token / TILE * TILE * vectorCols + token % TILE * L);
        }
    }

    /**
     * The first {@code vectorCols} floats of the row at {@code src[from ..]} into its place in a
     * panel, starting at {@code dst[at]}: vector {@code v} to {@code dst[at + v * 4L]}.
     */
    private static void packRow(float[] src, int from, int vectorCols, float[] dst, int at) {
        for (int c = 0; c < vectorCols; c += L) {
            FloatVector.fromArray(F, src, from + c).intoArray(dst, at + c * TILE);
        }
    }

    /**
     * {@code out[t * rows + r] = w[r] . x[t]} for rows {@code [from, to)} and the {@code batch}
     * tokens: {@code packedX} is {@code x} through {@link #pack}. With {@code interleaved} (w's
     * copy in that layout, or null) rows are decoded from it, and {@code x} must be transposed to
     * match ({@link InterleavedQ4_0#transpose}).
     */
    static void rows(Tensor w, InterleavedQ4_0 interleaved, float[] x, float[] packedX, float[] out, int batch,
                     int from, int to, float[] scratch) {
        int rows = w.rows();
        int cols = w.cols();
        int vectorCols = panelColumns(cols);
        int panelFloats = TILE * vectorCols;
        int tails = PANELS + BLOCK_ROWS * vectorCols; // each row's columns past the last whole vector
        int row = tails + BLOCK_ROWS * L; // one decoded row before it is packed, for rows with such columns
        for (int block = from; block < to; block += BLOCK_ROWS) {
            int blockEnd = Math.min(block + BLOCK_ROWS, to);
            for (int r = block; r < blockEnd; r++) {
                int panel = PANELS + (r - block) / TILE * panelFloats + (r - block) % TILE * L;
                if (interleaved != null) {
                    interleaved.decodeRow(r, scratch, panel, TILE * L); // Q4_0: whole vectors, straight into the panel
                } else if (cols == vectorCols) {
                    RowDecoder.decodeRow(w, r, scratch, panel, TILE * L);
                } else {
                    RowDecoder.decodeRow(w, r, scratch, row);
                    packRow(scratch, row, vectorCols, scratch, panel);
                    System.arraycopy(scratch, row + vectorCols, scratch, tails + (r - block) * L, cols - vectorCols);
                }
            }
            // Tokens outside, rows inside: each 4 tokens' activations are read from memory once
            // per block of rows and then from cache (the activations of a whole prompt do not fit
            // in L2; with 4 rows per pass they were read again for every 4 rows).
            for (int t = 0; t < batch; t += TILE) {
                int nt = Math.min(TILE, batch - t);
                int xPanel = t * vectorCols;
                for (int r = block; r < blockEnd; r += TILE) {
                    int nr = Math.min(TILE, blockEnd - r);
                    tile(scratch, PANELS + (r - block) / TILE * panelFloats, packedX, xPanel, vectorCols, scratch);
                    for (int j = 0; j < nr; j++) {
                        for (int k = 0; k < nt; k++) {
                            float s = scratch[j * TILE + k];
                            int wt = tails + (r + j - block) * L - vectorCols;
                            int xt = (t + k) * cols;
                            for (int c = vectorCols; c < cols; c++) {
                                s += scratch[wt + c] * x[xt + c];
                            }
                            out[(t + k) * rows + r + j] = s;
                        }
                    }
                }
            }
        }
    }

    /**
     * Dot products of a panel of 4 weight rows at {@code w[wp ..]} with a panel of 4 tokens at
     * {@code x[xp ..]}, {@code n} columns each; result (row j, token k) goes to
     * {@code res[j * 4 + k]}. The 16 accumulators are named locals, not an array, so C2 keeps them
     * in registers (32 on AVX-512: 16 sums, 4 x, 4 w).
     */
    private static void tile(float[] w, int wp, float[] x, int xp, int n, float[] res) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F), a12 = FloatVector.zero(F), a13 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F), a22 = FloatVector.zero(F), a23 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F), a32 = FloatVector.zero(F), a33 = FloatVector.zero(F);
        for (int p = 0; p < TILE * n; p += TILE * L) {
            FloatVector v0 = FloatVector.fromArray(F, x, xp + p);
            FloatVector v1 = FloatVector.fromArray(F, x, xp + p + L);
            FloatVector v2 = FloatVector.fromArray(F, x, xp + p + 2 * L);
            FloatVector v3 = FloatVector.fromArray(F, x, xp + p + 3 * L);
            FloatVector u = FloatVector.fromArray(F, w, wp + p);
            a00 = u.fma(v0, a00);
            a01 = u.fma(v1, a01);
            a02 = u.fma(v2, a02);
            a03 = u.fma(v3, a03);
            u = FloatVector.fromArray(F, w, wp + p + L);
            a10 = u.fma(v0, a10);
            a11 = u.fma(v1, a11);
            a12 = u.fma(v2, a12);
            a13 = u.fma(v3, a13);
            u = FloatVector.fromArray(F, w, wp + p + 2 * L);
            a20 = u.fma(v0, a20);
            a21 = u.fma(v1, a21);
            a22 = u.fma(v2, a22);
            a23 = u.fma(v3, a23);
            u = FloatVector.fromArray(F, w, wp + p + 3 * L);
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
    }
}
