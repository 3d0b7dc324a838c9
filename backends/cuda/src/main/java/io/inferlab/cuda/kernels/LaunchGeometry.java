package io.inferlab.cuda.kernels;

/**
 * Grid and block of one kernel launch, and its dynamic shared memory; the factories encode each
 * kernel's launch contract as its {@code .cu} file states it.
 */
public record LaunchGeometry(int gridX, int gridY, int gridZ, int blockX, int sharedBytes) {
    /** Threads per block for the element-wise and row-reduction kernels. */
    public static final int BLOCK = 256;
    /** Warps per block of the matmul kernels: each warp owns one weight row. */
    public static final int MATMUL_WARPS = 4;
    /** Tokens one matmul warp multiplies by its row (BATCH_TILE in common.cuh). */
    public static final int BATCH_TILE = 8;
    /** Max dynamic shared memory a block may use without opting in (48 KiB on every CUDA GPU). */
    public static final int MAX_DEFAULT_SHARED = 48 * 1024;
    /** CUDA's limit on a grid's y and z dimensions (CUDA C++ Programming Guide, "Technical Specifications"). */
    public static final int MAX_GRID_YZ = 65535;

    public LaunchGeometry {
        if (gridX < 1 || gridY < 1 || gridZ < 1 || blockX < 1 || blockX > 1024 || sharedBytes < 0) {
            throw new IllegalArgumentException("bad launch geometry: grid " + gridX + "x" + gridY + "x" + gridZ
                    + ", block " + blockX + ", shared " + sharedBytes);
        }
        if (gridY > MAX_GRID_YZ || gridZ > MAX_GRID_YZ) {
            throw new IllegalArgumentException("grid " + gridX + "x" + gridY + "x" + gridZ + " exceeds CUDA's "
                    + MAX_GRID_YZ + " blocks in y and z");
        }
        if (sharedBytes > MAX_DEFAULT_SHARED) {
            throw new IllegalArgumentException(sharedBytes + " bytes of dynamic shared memory exceed the "
                    + MAX_DEFAULT_SHARED + " a kernel gets without opting in");
        }
    }

    /** matmul_*: one warp per (row, tile of {@link #BATCH_TILE} tokens). */
    public static LaunchGeometry matmul(int rows, int batch) {
        return new LaunchGeometry(ceilDiv(rows, MATMUL_WARPS), ceilDiv(batch, BATCH_TILE), 1, MATMUL_WARPS * 32, 0);
    }

    /** One block per token row (get_rows_*, rmsnorm_f32). */
    public static LaunchGeometry perToken(int tokens) {
        return new LaunchGeometry(tokens, 1, 1, BLOCK, 0);
    }

    /** One thread per element (swiglu, add). */
    public static LaunchGeometry elementwise(int n) {
        return new LaunchGeometry(ceilDiv(n, BLOCK), 1, 1, BLOCK, 0);
    }

    /** rope_f32: one block per (token, head), threads over the pairs. */
    public static LaunchGeometry rope(int tokens, int heads, int rotDim) {
        return new LaunchGeometry(tokens, heads, 1, Math.min(BLOCK, Math.max(32, ceilDiv(rotDim / 2, 32) * 32)), 0);
    }

    /** attention_f32: one block per (head, token), a score per cached position in shared memory. */
    public static LaunchGeometry attention(int heads, int tokens, int contextLength) {
        return new LaunchGeometry(heads, tokens, 1, 128, contextLength * Float.BYTES);
    }

    /** matmul_id_*: one warp per (row, slot); a slot is one (token, selected expert). */
    public static LaunchGeometry matmulId(int rows, int slots) {
        return new LaunchGeometry(ceilDiv(rows, MATMUL_WARPS), slots, 1, MATMUL_WARPS * 32, 0);
    }

    /** add_bias_f32, add_id_f32, moe_weighted_sum_f32: one thread per value of a row, one grid row per token (or slot). */
    public static LaunchGeometry perRow(int n, int rowCount) {
        return new LaunchGeometry(ceilDiv(n, BLOCK), rowCount, 1, BLOCK, 0);
    }

    /** moe_topk_f32: one warp per token. */
    public static LaunchGeometry moeTopK(int tokens) {
        return new LaunchGeometry(tokens, 1, 1, 32, 0);
    }

    /** argmax_f32: one block of 1024 threads. */
    public static LaunchGeometry argmax() {
        return new LaunchGeometry(1, 1, 1, 1024, 0);
    }

    /** The longest KV cache the attention kernel's shared-memory scores allow. */
    public static int maxAttentionContext() {
        return MAX_DEFAULT_SHARED / Float.BYTES - 256; // leave room for the kernel's static reduction scratch
    }

    /** The most experts moe_topk_f32 ranks (its shared-memory copy of a token's logits: MOE_MAX_EXPERTS). */
    public static final int MAX_MOE_EXPERTS = 4096;
    /** The most experts per token moe_topk_f32 selects (one warp's lanes). */
    public static final int MAX_MOE_USED = 32;

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
