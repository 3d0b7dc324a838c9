// The batched product of a 32-value block type for prefill, as kernels matmul_<TYPE> and
// matmul_<TYPE>_split: for each of `batch` input rows b,
// out[outOff + b * rows + r] = sum_c w[r][c] * x[xOff + b * cols + c]. A block_<TYPE>.cl comes
// first (the interface is quant_common.cl's), and TYPE names it.
//
// Work-group (row r, batch tile t): each lane decodes its share of a block once and uses it for
// the TILE input rows of the tile; the TILE partial sums are then added in a tree in local memory
// (TILE * L floats). As in quant_matvec.cl, the plain kernel gives each lane whole blocks (CPU
// devices) and the _split kernel lets 8 lanes share a block (GPUs).
#include "reduce.cl"

kernel void PASTE(matmul_, TYPE)(global const uchar* w, int cols, int rows,
                                 global const float* x, int xOff, int batch,
                                 global float* out, int outOff,
                                 local float* partial) {
    const int row = get_group_id(0);
    const int b0 = get_group_id(1) * TILE;
    const int nb = min(TILE, batch - b0);
    const int lid = get_local_id(0);
    const int lanes = get_local_size(0);
    const int blocks = cols / QK;
    global const uchar* wr = w + (size_t)row * (size_t)blocks * BLOCK_BYTES;
    global const float* xb = x + xOff + (size_t)b0 * (size_t)cols;
    float acc[TILE];
    for (int b = 0; b < TILE; b++) {
        acc[b] = 0.0f;
    }
    for (int k = lid; k < blocks; k += lanes) {
        global const uchar* blk = wr + (size_t)k * BLOCK_BYTES;
        const float d = block_scale(blk);
        const values32 v = block_values(blk);
        // A constant trip count with a guard, not b < nb: the compiler keeps acc[] in registers.
        for (int b = 0; b < TILE; b++) {
            if (b < nb) {
                acc[b] += d * values_dot(v, xb + (size_t)b * (size_t)cols + k * QK);
            }
        }
    }
    for (int b = 0; b < TILE; b++) {
        partial[b * lanes + lid] = acc[b];
    }
    matmul_tile_sums(partial, lid, lanes, nb, out, outOff + (size_t)b0 * (size_t)rows + row, rows);
}

kernel void PASTE(PASTE(matmul_, TYPE), _split)(global const uchar* w, int cols, int rows,
                                                global const float* x, int xOff, int batch,
                                                global float* out, int outOff,
                                                local float* partial) {
    const int row = get_group_id(0);
    const int b0 = get_group_id(1) * TILE;
    const int nb = min(TILE, batch - b0);
    const int lid = get_local_id(0);
    const int lanes = get_local_size(0);
    const int blocks = cols / QK;
    const int sub = lid & 7;
    global const uchar* wr = w + (size_t)row * (size_t)blocks * BLOCK_BYTES;
    global const float* xb = x + xOff + (size_t)b0 * (size_t)cols;
    float acc[TILE];
    for (int b = 0; b < TILE; b++) {
        acc[b] = 0.0f;
    }
    for (int k = lid >> 3; k < blocks; k += lanes >> 3) {
        global const uchar* blk = wr + (size_t)k * BLOCK_BYTES;
        const float d = block_scale(blk);
        const float4 share = block_share(blk, sub);
        for (int b = 0; b < TILE; b++) {
            if (b < nb) {
                acc[b] += d * share_dot(share, xb + (size_t)b * (size_t)cols + k * QK, sub);
            }
        }
    }
    for (int b = 0; b < TILE; b++) {
        partial[b * lanes + lid] = acc[b];
    }
    matmul_tile_sums(partial, lid, lanes, nb, out, outOff + (size_t)b0 * (size_t)rows + row, rows);
}
