// The matvec of a 32-value block type: out[outOff + r] = sum_c w[r][c] * x[xOff + c] for every row
// r, as kernels matvec_<TYPE> and matvec_<TYPE>_split. A block_<TYPE>.cl comes first (the
// interface is quant_common.cl's), and TYPE names it. The blocks stay in the file's bytes on the
// device.
//
// One work-group per row, L lanes (L a power of two), the lanes' partial sums added in a tree in
// local memory. The plain kernel gives lane i blocks i, i + L, ..., a whole block per lane in
// 16-wide vectors: the layout for CPU devices, which run a work-item's loop on their vector unit.
// The _split kernel is the layout for GPUs: 8 lanes share a block (block_share), so the lanes of a
// warp read consecutive bytes; L lanes (at least 8) take blocks lid / 8, lid / 8 + L / 8, ...
#include "reduce.cl"

kernel void PASTE(matvec_, TYPE)(global const uchar* w, int cols,
                                 global const float* x, int xOff,
                                 global float* out, int outOff,
                                 local float* partial) {
    const int row = get_group_id(0);
    const int lid = get_local_id(0);
    const int lanes = get_local_size(0);
    const int blocks = cols / QK;
    global const uchar* wr = w + (size_t)row * (size_t)blocks * BLOCK_BYTES;
    float sum = 0.0f;
    for (int b = lid; b < blocks; b += lanes) {
        global const uchar* blk = wr + (size_t)b * BLOCK_BYTES;
        sum += block_scale(blk) * values_dot(block_values(blk), x + xOff + b * QK);
    }
    matvec_row_sum(sum, partial, lid, lanes, out, outOff + row);
}

kernel void PASTE(PASTE(matvec_, TYPE), _split)(global const uchar* w, int cols,
                                                global const float* x, int xOff,
                                                global float* out, int outOff,
                                                local float* partial) {
    const int row = get_group_id(0);
    const int lid = get_local_id(0);
    const int lanes = get_local_size(0);
    const int blocks = cols / QK;
    const int sub = lid & 7;
    global const uchar* wr = w + (size_t)row * (size_t)blocks * BLOCK_BYTES;
    float sum = 0.0f;
    for (int b = lid >> 3; b < blocks; b += lanes >> 3) {
        global const uchar* blk = wr + (size_t)b * BLOCK_BYTES;
        sum += block_scale(blk) * share_dot(block_share(blk, sub), x + xOff + b * QK, sub);
    }
    matvec_row_sum(sum, partial, lid, lanes, out, outOff + row);
}
