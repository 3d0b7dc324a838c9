package io.inferlab.cpu;

import static io.inferlab.cpu.Simd.F;
import static io.inferlab.cpu.Simd.L;

import java.util.Arrays;

import io.inferlab.engine.tensor.Tensor;
import jdk.incubator.vector.FloatVector;

/**
 * Matrix product for batches of at least {@link #TOKENS} tokens (long prefills) as outer products,
 * the way GEMM libraries do it: a vector holds one weight row's products for 16 tokens, so no
 * accumulator is ever summed across its lanes. The activations are packed column-major per panel
 * ({@link #pack}); every block of {@link #BLOCK_ROWS} weight rows is dequantized once into a
 * per-thread buffer, row after row, and each column step of the {@link #tile} loads 4 vectors of
 * activations and broadcasts 6 weights into 24 FMAs.
 *
 * <p>Why not {@link TileMatmul}'s dot products for these too: each of its steps loads 8 vectors
 * for 16 FMAs and ends in 16 lane sums. On one core, in one process, its loop ran at 100-106
 * GFLOP/s where this one ran at 122-166 (2048 columns, 128 tokens; a C copy of the two loops ran
 * at 105-116 and 198-211), and over MatmulProbe's 1B-shaped Q4_0 matrices with 128 tokens on 2
 * threads the product went from 198 to 242 GFLOP/s (12 alternating rounds in one process,
 * 2026-11-27). It needs 32 vector registers (24 sums, 4 activations, the broadcast weight), so it
 * is used with 16 float lanes (AVX-512) only.
 *
 * <p>Every token of such a batch goes through here, so each block of rows is dequantized once: a
 * last panel of fewer tokens is packed like the others (its last vector padded with zeros) and
 * multiplied by {@link #tile} (four vectors, whatever they hold) or, if it has a single vector,
 * by {@link #tileVector}. Until 2026-11-27 the tokens after the last whole panel went through
 * {@link TileMatmul}, which dequantized every row a second time: in MatmulProbe (1B-shaped Q4_0,
 * 2 threads), 66 tokens took 20% longer than 64, and 80 ran at 208 GFLOP/s against 274 now.
 */
final class PanelMatmul {
    /** Tokens per vector of a panel. */
    static final int VECTOR = 16;
    /** Tokens per panel: 4 vectors. */
    static final int TOKENS = 4 * VECTOR;
    /**
     * The smallest batch run here; smaller ones go through {@link TileMatmul}, whose 4 x 4 tiles
     * waste nothing on a short batch: at 16 and 40 tokens they ran at 193 and 237 GFLOP/s in
     * MatmulProbe, where this ran at 95-150 and 130-193 in the ways tried.
     */
    private static final int MIN_BATCH = TOKENS;
    /** Weight rows per register tile. */
    private static final int TILE_ROWS = 6;
    /**
     * Weight rows dequantized at a time, 16 tiles: each slice of a panel's activations is read
     * for 16 tiles, where with blocks of 24 rows it was read for 4 (see {@link #rows}).
     */
    private static final int BLOCK_ROWS = 16 * TILE_ROWS;
    /** Columns a tile multiplies before its sums go back to the scratch buffer (see {@link #rows}). */
    private static final int SLICE_COLUMNS = 2048;
    // The selections of {@link #square}, 16 lanes only (null otherwise: panels need 16 lanes).
    private static final FloatVector LOW8 = L == 16 ? selection(8, false) : null;
    private static final FloatVector HIGH8 = L == 16 ? selection(8, true) : null;
    private static final FloatVector LOW4 = L == 16 ? selection(4, false) : null;
    private static final FloatVector HIGH4 = L == 16 ? selection(4, true) : null;
    private static final FloatVector LOW2 = L == 16 ? selection(2, false) : null;
    private static final FloatVector HIGH2 = L == 16 ? selection(2, true) : null;
    private static final FloatVector LOW1 = L == 16 ? selection(1, false) : null;
    private static final FloatVector HIGH1 = L == 16 ? selection(1, true) : null;

    private PanelMatmul() {
    }

    /** Whether a product of {@code batch} tokens and {@code cols} columns runs here. */
    static boolean applies(int batch, int cols) {
        return L == 16 && batch >= MIN_BATCH && cols % L == 0;
    }

    /** Floats of the panels {@link #pack} writes for a batch of {@code batch} tokens of {@code cols}. */
    static int packedFloats(int batch, int cols) {
        return paddedTokens(batch) * cols;
    }

    /** Floats of the buffer {@link #pack} pads a last vector of fewer than 16 tokens in. */
    static int paddingFloats(int cols) {
        return VECTOR * cols;
    }

    /** Floats of per-thread scratch {@link #rows} needs for {@code batch} tokens of {@code cols} columns. */
    static int scratchFloats(int cols, int batch) {
        return BLOCK_ROWS * (cols + paddedTokens(batch));
    }

    /** Tokens of a batch's panels, the last one's missing tokens included. */
    private static int paddedTokens(int batch) {
        return (batch + TOKENS - 1) / TOKENS * TOKENS;
    }

    /**
     * Tokens {@code [from, to)} ({@code from} a multiple of 16, {@code to} too or the end of the
     * batch) of a batch's activations ({@code cols} each) into column-major panels: value
     * {@code c} of token {@code 64p + t} goes to {@code dst[64p * cols + 64c + t]}, and a last
     * vector of fewer than 16 tokens is padded with zeros (through {@code padding}, of
     * {@link #paddingFloats}). The first {@code interleavedColumns}
     * (whole groups of 16 blocks) are taken in the order of {@link InterleavedQ4_0#transpose}, the
     * rest as they are. Ranges of whole vectors of tokens share no cache line and may be packed by
     * different threads.
     *
     * <p>In 16 x 16 squares transposed in registers ({@link #square}): a load and a store of a whole
     * vector per token and per column. Value by value, with a store to another cache line each time
     * (and a first pass through {@link InterleavedQ4_0#transpose} for Q4_0), the pack of a 128-token
     * prompt took 290 us for 2048 columns and 820-880 us for 5632 on one core (110 and 360 us
     * now), and on two threads 15-20% of the time of a 2048-wide product, as measured against
     * the same product with its panels ready.
     */
    static void pack(float[] x, int batch, int cols, int interleavedColumns, float[] dst, int from, int to, float[] padding) {
        for (int token = from; token < to; token += VECTOR) {
            float[] in = x;
            int src = token * cols;
            if (token + VECTOR > batch) { // the batch's last tokens, fewer than a vector: packed from a padded copy
                System.arraycopy(x, src, padding, 0, (batch - token) * cols);
                Arrays.fill(padding, (batch - token) * cols, VECTOR * cols, 0f);
                in = padding;
                src = 0;
            }
            int panel = token / TOKENS * TOKENS * cols + token % TOKENS;
            // Values 16h .. 16h + 15 of block j of a group are its columns 16p + j, p = 16h + q:
            // a square's row q goes to column g + 256h + j + 16q.
            for (int g = 0; g < interleavedColumns; g += InterleavedQ4_0.GROUP_VALUES) {
                for (int j = 0; j < L; j++) {
                    for (int h = 0; h < 2; h++) {
                        square(in, src + g + j * InterleavedQ4_0.BLOCK + h * L, cols, dst, panel + (g + h * L * L + j) * TOKENS, L * TOKENS);
                    }
                }
            }
            for (int c = interleavedColumns; c < cols; c += L) {
                square(in, src + c, cols, dst, panel + c * TOKENS, TOKENS);
            }
        }
    }

    /**
     * The 16 x 16 square of {@code x} whose row {@code k} is {@code x[from + k * stride ..]},
     * transposed into {@code dst}: its column {@code q} to {@code dst[at + q * step ..]}. Four
     * rounds of two-vector selections, each swapping the off-diagonal halves of every square of
     * twice its distance (8, 4, 2, 1 lanes): 64 selections for 256 values.
     */
    private static void square(float[] x, int from, int stride, float[] dst, int at, int step) {
        FloatVector r0 = FloatVector.fromArray(F, x, from), r1 = FloatVector.fromArray(F, x, from + stride);
        FloatVector r2 = FloatVector.fromArray(F, x, from + 2 * stride), r3 = FloatVector.fromArray(F, x, from + 3 * stride);
        FloatVector r4 = FloatVector.fromArray(F, x, from + 4 * stride), r5 = FloatVector.fromArray(F, x, from + 5 * stride);
        FloatVector r6 = FloatVector.fromArray(F, x, from + 6 * stride), r7 = FloatVector.fromArray(F, x, from + 7 * stride);
        FloatVector r8 = FloatVector.fromArray(F, x, from + 8 * stride), r9 = FloatVector.fromArray(F, x, from + 9 * stride);
        FloatVector r10 = FloatVector.fromArray(F, x, from + 10 * stride), r11 = FloatVector.fromArray(F, x, from + 11 * stride);
        FloatVector r12 = FloatVector.fromArray(F, x, from + 12 * stride), r13 = FloatVector.fromArray(F, x, from + 13 * stride);
        FloatVector r14 = FloatVector.fromArray(F, x, from + 14 * stride), r15 = FloatVector.fromArray(F, x, from + 15 * stride);
        FloatVector a, b;
        a = LOW8.selectFrom(r0, r8); r8 = HIGH8.selectFrom(r0, r8); r0 = a;
        a = LOW8.selectFrom(r1, r9); r9 = HIGH8.selectFrom(r1, r9); r1 = a;
        a = LOW8.selectFrom(r2, r10); r10 = HIGH8.selectFrom(r2, r10); r2 = a;
        a = LOW8.selectFrom(r3, r11); r11 = HIGH8.selectFrom(r3, r11); r3 = a;
        a = LOW8.selectFrom(r4, r12); r12 = HIGH8.selectFrom(r4, r12); r4 = a;
        a = LOW8.selectFrom(r5, r13); r13 = HIGH8.selectFrom(r5, r13); r5 = a;
        a = LOW8.selectFrom(r6, r14); r14 = HIGH8.selectFrom(r6, r14); r6 = a;
        a = LOW8.selectFrom(r7, r15); r15 = HIGH8.selectFrom(r7, r15); r7 = a;
        a = LOW4.selectFrom(r0, r4); r4 = HIGH4.selectFrom(r0, r4); r0 = a;
        a = LOW4.selectFrom(r1, r5); r5 = HIGH4.selectFrom(r1, r5); r1 = a;
        a = LOW4.selectFrom(r2, r6); r6 = HIGH4.selectFrom(r2, r6); r2 = a;
        a = LOW4.selectFrom(r3, r7); r7 = HIGH4.selectFrom(r3, r7); r3 = a;
        a = LOW4.selectFrom(r8, r12); r12 = HIGH4.selectFrom(r8, r12); r8 = a;
        a = LOW4.selectFrom(r9, r13); r13 = HIGH4.selectFrom(r9, r13); r9 = a;
        a = LOW4.selectFrom(r10, r14); r14 = HIGH4.selectFrom(r10, r14); r10 = a;
        a = LOW4.selectFrom(r11, r15); r15 = HIGH4.selectFrom(r11, r15); r11 = a;
        a = LOW2.selectFrom(r0, r2); r2 = HIGH2.selectFrom(r0, r2); r0 = a;
        a = LOW2.selectFrom(r1, r3); r3 = HIGH2.selectFrom(r1, r3); r1 = a;
        a = LOW2.selectFrom(r4, r6); r6 = HIGH2.selectFrom(r4, r6); r4 = a;
        a = LOW2.selectFrom(r5, r7); r7 = HIGH2.selectFrom(r5, r7); r5 = a;
        a = LOW2.selectFrom(r8, r10); r10 = HIGH2.selectFrom(r8, r10); r8 = a;
        a = LOW2.selectFrom(r9, r11); r11 = HIGH2.selectFrom(r9, r11); r9 = a;
        a = LOW2.selectFrom(r12, r14); r14 = HIGH2.selectFrom(r12, r14); r12 = a;
        a = LOW2.selectFrom(r13, r15); r15 = HIGH2.selectFrom(r13, r15); r13 = a;
        a = LOW1.selectFrom(r0, r1); b = HIGH1.selectFrom(r0, r1); a.intoArray(dst, at); b.intoArray(dst, at + step);
        a = LOW1.selectFrom(r2, r3); b = HIGH1.selectFrom(r2, r3); a.intoArray(dst, at + 2 * step); b.intoArray(dst, at + 3 * step);
        a = LOW1.selectFrom(r4, r5); b = HIGH1.selectFrom(r4, r5); a.intoArray(dst, at + 4 * step); b.intoArray(dst, at + 5 * step);
        a = LOW1.selectFrom(r6, r7); b = HIGH1.selectFrom(r6, r7); a.intoArray(dst, at + 6 * step); b.intoArray(dst, at + 7 * step);
        a = LOW1.selectFrom(r8, r9); b = HIGH1.selectFrom(r8, r9); a.intoArray(dst, at + 8 * step); b.intoArray(dst, at + 9 * step);
        a = LOW1.selectFrom(r10, r11); b = HIGH1.selectFrom(r10, r11); a.intoArray(dst, at + 10 * step); b.intoArray(dst, at + 11 * step);
        a = LOW1.selectFrom(r12, r13); b = HIGH1.selectFrom(r12, r13); a.intoArray(dst, at + 12 * step); b.intoArray(dst, at + 13 * step);
        a = LOW1.selectFrom(r14, r15); b = HIGH1.selectFrom(r14, r15); a.intoArray(dst, at + 14 * step); b.intoArray(dst, at + 15 * step);
    }

    /**
     * The selections of {@link #square}'s round of distance {@code d}: lane {@code l} of the low
     * result takes the first vector's lane {@code l} where {@code l} is in the lower half of its
     * {@code 2d}-lane square, else the second's lane {@code l - d}; the high result takes the lanes
     * {@code d} further on. (Indexes 16 and up pick from the second vector.)
     */
    private static FloatVector selection(int d, boolean high) {
        float[] index = new float[L];
        for (int l = 0; l < L; l++) {
            int square = l / (2 * d) * 2 * d;
            int within = l % (2 * d);
            index[l] = (within < d ? square + within : L + square + within - d) + (high ? d : 0);
        }
        return FloatVector.fromArray(F, index, 0);
    }

    /**
     * {@code out[t * rows + r] = w[r] . x[t]} for rows {@code [from, to)} and the {@code batch}
     * tokens: {@code panels} is {@code x} through {@link #pack}. With {@code interleaved} (w's copy
     * in that layout, or null) rows are decoded from it, and the activations must have been packed
     * with its {@link InterleavedQ4_0#transposedColumns}.
     */
    static void rows(Tensor w, InterleavedQ4_0 interleaved, float[] panels, float[] out, int batch, int from, int to,
                     float[] scratch) {
        int rows = w.rows();
        int cols = w.cols();
        int padded = paddedTokens(batch);
        int sums = BLOCK_ROWS * cols; // row j's sum for token t at sums + j * padded + t
        for (int block = from; block < to; block += BLOCK_ROWS) {
            int blockRows = Math.min(BLOCK_ROWS, to - block);
            for (int r = block; r < block + blockRows; r++) {
                if (interleaved != null) {
                    interleaved.decodeRow(r, scratch, (r - block) * cols, L);
                } else {
                    RowDecoder.decodeRow(w, r, scratch, (r - block) * cols, L);
                }
            }
            Arrays.fill(scratch, sums, sums + BLOCK_ROWS * padded, 0f);
            // Column slices outside, then panels, then the block's tiles: a panel's slice of
            // activations (512 KiB at most) is read from memory once per block and then from
            // cache by 16 tiles. With 24-row blocks and whole rows it was read by 4 tiles, and
            // FFN-down's 1.4 MiB panels did not stay in L2: the same products ran at 284-291
            // GFLOP/s for 2048x5632 against 324-329 this way, +1-2% for 2048x2048 and -5 to +7%
            // for 5632x2048 (1B-shaped Q4_0, 128 tokens, two threads on static halves), and 1b
            // Q4_0 prefill 2-11% faster in nine of nine alternating runs (pp100, pp128, pp256;
            // 2026-11-27).
            // A tile short of rows multiplies whatever the buffer holds past the block's rows
            // (earlier rows, or zeros) and drops those sums; so does a vector short of tokens,
            // with its padding.
            for (int c = 0; c < cols; c += SLICE_COLUMNS) {
                int n = Math.min(SLICE_COLUMNS, cols - c);
                for (int t = 0; t < batch; t += TOKENS) {
                    int xp = t * cols + c * TOKENS;
                    for (int r = 0; r < blockRows; r += TILE_ROWS) {
                        int at = sums + r * padded + t;
                        if (batch - t > VECTOR) {
                            tile(scratch, r * cols + c, cols, n, panels, xp, scratch, at, padded);
                        } else {
                            tileVector(scratch, r * cols + c, cols, n, panels, xp, scratch, at, padded);
                        }
                    }
                }
            }
            unpack(scratch, sums, padded, blockRows, out, block, rows, batch);
        }
    }

    /**
     * The block's sums ({@code blockRows} rows of {@code padded} tokens from {@code sums[at ..]})
     * into {@code out}, token by token ({@code out[t * rows + block + j]}): in 16 x 16 squares
     * through {@link #square}, and value by value where fewer than 16 rows or tokens are left.
     * Value by value throughout, each token's loop read one float from each of the block's 96
     * rows, 512 bytes apart: 4% of a 1b Q4_0 pp128's samples.
     */
    private static void unpack(float[] sums, int at, int padded, int blockRows, float[] out, int block, int rows,
                               int batch) {
        int wholeRows = blockRows / L * L;
        int wholeTokens = batch / L * L;
        for (int t = 0; t < wholeTokens; t += L) {
            for (int j = 0; j < wholeRows; j += L) {
                square(sums, at + j * padded + t, padded, out, t * rows + block + j, rows);
            }
        }
        for (int t = 0; t < batch; t++) {
            int o = t * rows + block;
            for (int j = t < wholeTokens ? wholeRows : 0; j < blockRows; j++) {
                out[o + j] = sums[at + j * padded + t];
            }
        }
    }

    /**
     * {@link #tile} for one vector of tokens at {@code x[xp ..]} (the panel's stride). For a last
     * panel of at most 16 tokens, where the panel tile would multiply four vectors for one.
     * Columns go two at a time into two sums per row, added at the end of the slice: with one sum
     * a row, each FMA waited on the row's last one (40 tokens, vector by vector, ran at 130
     * GFLOP/s in MatmulProbe where TileMatmul ran at 237).
     */
    private static void tileVector(float[] w, int wp, int cols, int n, float[] x, int xp, float[] res, int at, int stride) {
        FloatVector a0 = FloatVector.fromArray(F, res, at), a1 = FloatVector.fromArray(F, res, at + stride);
        FloatVector a2 = FloatVector.fromArray(F, res, at + 2 * stride), a3 = FloatVector.fromArray(F, res, at + 3 * stride);
        FloatVector a4 = FloatVector.fromArray(F, res, at + 4 * stride), a5 = FloatVector.fromArray(F, res, at + 5 * stride);
        FloatVector b0 = FloatVector.zero(F), b1 = FloatVector.zero(F), b2 = FloatVector.zero(F);
        FloatVector b3 = FloatVector.zero(F), b4 = FloatVector.zero(F), b5 = FloatVector.zero(F);
        for (int c = 0; c < n; c += 2) { // n is a multiple of 16
            FloatVector u = FloatVector.fromArray(F, x, xp + c * TOKENS);
            FloatVector v = FloatVector.fromArray(F, x, xp + (c + 1) * TOKENS);
            int p = wp + c;
            a0 = FloatVector.broadcast(F, w[p]).fma(u, a0);
            b0 = FloatVector.broadcast(F, w[p + 1]).fma(v, b0);
            a1 = FloatVector.broadcast(F, w[p + cols]).fma(u, a1);
            b1 = FloatVector.broadcast(F, w[p + cols + 1]).fma(v, b1);
            a2 = FloatVector.broadcast(F, w[p + 2 * cols]).fma(u, a2);
            b2 = FloatVector.broadcast(F, w[p + 2 * cols + 1]).fma(v, b2);
            a3 = FloatVector.broadcast(F, w[p + 3 * cols]).fma(u, a3);
            b3 = FloatVector.broadcast(F, w[p + 3 * cols + 1]).fma(v, b3);
            a4 = FloatVector.broadcast(F, w[p + 4 * cols]).fma(u, a4);
            b4 = FloatVector.broadcast(F, w[p + 4 * cols + 1]).fma(v, b4);
            a5 = FloatVector.broadcast(F, w[p + 5 * cols]).fma(u, a5);
            b5 = FloatVector.broadcast(F, w[p + 5 * cols + 1]).fma(v, b5);
        }
        a0.add(b0).intoArray(res, at);
        a1.add(b1).intoArray(res, at + stride);
        a2.add(b2).intoArray(res, at + 2 * stride);
        a3.add(b3).intoArray(res, at + 3 * stride);
        a4.add(b4).intoArray(res, at + 4 * stride);
        a5.add(b5).intoArray(res, at + 5 * stride);
    }

    /**
     * Six weight rows at {@code w[wp ..]} ({@code cols} apart) times a panel of 64 tokens at
     * {@code x[xp ..]}, over {@code n} columns, added to the sums of row j and token k at
     * {@code res[at + j * stride + k]}. The 24 accumulators are named locals, not an array, so C2
     * keeps them in registers; the panel's fixed width lets C2 hoist every range check out of the
     * loop.
     */
    private static void tile(float[] w, int wp, int cols, int n, float[] x, int xp, float[] res, int at, int stride) {
        FloatVector a00 = FloatVector.fromArray(F, res, at), a01 = FloatVector.fromArray(F, res, at + 16);
        FloatVector a02 = FloatVector.fromArray(F, res, at + 32), a03 = FloatVector.fromArray(F, res, at + 48);
        FloatVector a10 = FloatVector.fromArray(F, res, at + stride), a11 = FloatVector.fromArray(F, res, at + stride + 16);
        FloatVector a12 = FloatVector.fromArray(F, res, at + stride + 32), a13 = FloatVector.fromArray(F, res, at + stride + 48);
        FloatVector a20 = FloatVector.fromArray(F, res, at + 2 * stride), a21 = FloatVector.fromArray(F, res, at + 2 * stride + 16);
        FloatVector a22 = FloatVector.fromArray(F, res, at + 2 * stride + 32), a23 = FloatVector.fromArray(F, res, at + 2 * stride + 48);
        FloatVector a30 = FloatVector.fromArray(F, res, at + 3 * stride), a31 = FloatVector.fromArray(F, res, at + 3 * stride + 16);
        FloatVector a32 = FloatVector.fromArray(F, res, at + 3 * stride + 32), a33 = FloatVector.fromArray(F, res, at + 3 * stride + 48);
        FloatVector a40 = FloatVector.fromArray(F, res, at + 4 * stride), a41 = FloatVector.fromArray(F, res, at + 4 * stride + 16);
        FloatVector a42 = FloatVector.fromArray(F, res, at + 4 * stride + 32), a43 = FloatVector.fromArray(F, res, at + 4 * stride + 48);
        FloatVector a50 = FloatVector.fromArray(F, res, at + 5 * stride), a51 = FloatVector.fromArray(F, res, at + 5 * stride + 16);
        FloatVector a52 = FloatVector.fromArray(F, res, at + 5 * stride + 32), a53 = FloatVector.fromArray(F, res, at + 5 * stride + 48);
        for (int c = 0; c < n; c++) {
            int v = xp + c * TOKENS;
            FloatVector x0 = FloatVector.fromArray(F, x, v);
            FloatVector x1 = FloatVector.fromArray(F, x, v + 16);
            FloatVector x2 = FloatVector.fromArray(F, x, v + 32);
            FloatVector x3 = FloatVector.fromArray(F, x, v + 48);
            FloatVector b = FloatVector.broadcast(F, w[wp + c]);
            a00 = b.fma(x0, a00);
            a01 = b.fma(x1, a01);
            a02 = b.fma(x2, a02);
            a03 = b.fma(x3, a03);
            b = FloatVector.broadcast(F, w[wp + cols + c]);
            a10 = b.fma(x0, a10);
            a11 = b.fma(x1, a11);
            a12 = b.fma(x2, a12);
            a13 = b.fma(x3, a13);
            b = FloatVector.broadcast(F, w[wp + 2 * cols + c]);
            a20 = b.fma(x0, a20);
            a21 = b.fma(x1, a21);
            a22 = b.fma(x2, a22);
            a23 = b.fma(x3, a23);
            b = FloatVector.broadcast(F, w[wp + 3 * cols + c]);
            a30 = b.fma(x0, a30);
            a31 = b.fma(x1, a31);
            a32 = b.fma(x2, a32);
            a33 = b.fma(x3, a33);
            b = FloatVector.broadcast(F, w[wp + 4 * cols + c]);
            a40 = b.fma(x0, a40);
            a41 = b.fma(x1, a41);
            a42 = b.fma(x2, a42);
            a43 = b.fma(x3, a43);
            b = FloatVector.broadcast(F, w[wp + 5 * cols + c]);
            a50 = b.fma(x0, a50);
            a51 = b.fma(x1, a51);
            a52 = b.fma(x2, a52);
            a53 = b.fma(x3, a53);
        }
        a00.intoArray(res, at);
        a01.intoArray(res, at + 16);
        a02.intoArray(res, at + 32);
        a03.intoArray(res, at + 48);
        a10.intoArray(res, at + stride);
        a11.intoArray(res, at + stride + 16);
        a12.intoArray(res, at + stride + 32);
        a13.intoArray(res, at + stride + 48);
        a20.intoArray(res, at + 2 * stride);
        a21.intoArray(res, at + 2 * stride + 16);
        a22.intoArray(res, at + 2 * stride + 32);
        a23.intoArray(res, at + 2 * stride + 48);
        a30.intoArray(res, at + 3 * stride);
        a31.intoArray(res, at + 3 * stride + 16);
        a32.intoArray(res, at + 3 * stride + 32);
        a33.intoArray(res, at + 3 * stride + 48);
        a40.intoArray(res, at + 4 * stride);
        a41.intoArray(res, at + 4 * stride + 16);
        a42.intoArray(res, at + 4 * stride + 32);
        a43.intoArray(res, at + 4 * stride + 48);
        a50.intoArray(res, at + 5 * stride);
        a51.intoArray(res, at + 5 * stride + 16);
        a52.intoArray(res, at + 5 * stride + 32);
        a53.intoArray(res, at + 5 * stride + 48);
    }
}
