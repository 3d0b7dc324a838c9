// matvec_q8_0: out[outOff + r] = sum_c w[r][c] * x[xOff + c] for every row r of a Q8_0 matrix.
//
// block_q8_0 (GGML type 8, ggml-common.h): { half d; int8_t qs[32]; }, 34 bytes; value j of the
// block is qs[j] * d. The blocks stay in the file's bytes on the device. A block is 34 bytes, so
// every block (and row) starts at an even offset of the buffer: its scale is 2-byte aligned and
// vload_half reads it in place (vload_half needs no cl_khr_fp16).
//
// One work-group per row, L lanes (L a power of two), the lanes' partial sums added in a tree in
// local memory. The plain kernel gives lane i blocks i, i + L, ...
// The _split kernel is the layout for GPUs: 8 lanes share a block, lane s taking values 4s ..
// 4s + 3 with two 2-byte loads (the quants of a 34-byte block are only 2-byte aligned), so the
// lanes of a warp read consecutive bytes; L lanes (a power of two, at least 8) take blocks
// lid / 8, lid / 8 + L / 8, ... The plain kernel, a whole block per lane in 16-wide vectors, is
// the layout for CPU devices, which run a work-item's loop on their vector unit.
#define QK 32
#define BLOCK_BYTES 34

inline float hsum16(float16 v) {
    float8 a = v.lo + v.hi;
    float4 b = a.lo + a.hi;
    float2 c = b.lo + b.hi;
    return c.x + c.y;
}

/* d * sum_j qs[j] * x[j] over one block: the scale applied once per block, as GGML does. */
inline float dot_q8_0(global const uchar* blk, global const float* x) {
    const float d = vload_half(0, (global const half*)blk);
    const float16 q0 = convert_float16(as_char16(vload16(0, blk + 2)));
    const float16 q1 = convert_float16(as_char16(vload16(1, blk + 2)));
    return d * hsum16(q0 * vload16(0, x) + q1 * vload16(1, x));
}

kernel void matvec_q8_0(global const uchar* w, int cols,
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
        sum += dot_q8_0(wr + (size_t)b * BLOCK_BYTES, x + xOff + b * QK);
    }
    partial[lid] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = lanes >> 1; s > 0; s >>= 1) {
        if (lid < s) {
            partial[lid] += partial[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        out[outOff + row] = partial[0];
    }
}

kernel void matvec_q8_0_split(global const uchar* w, int cols,
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
        const float d = vload_half(0, (global const half*)blk);
        const float4 q = convert_float4(as_char4(vload2(0, (global const ushort*)(blk + 2 + 4 * sub))));
        sum += d * dot(q, vload4(0, x + xOff + b * QK + 4 * sub));
    }
    partial[lid] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = lanes >> 1; s > 0; s >>= 1) {
        if (lid < s) {
            partial[lid] += partial[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        out[outOff + row] = partial[0];
    }
}
