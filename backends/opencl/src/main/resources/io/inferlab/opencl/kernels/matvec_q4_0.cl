// matvec_q4_0: out[outOff + r] = sum_c w[r][c] * x[xOff + c] for every row r of a Q4_0 matrix.
//
// block_q4_0 (GGML type 2, ggml-common.h): { half d; uint8_t qs[16]; }, 18 bytes; value j of the
// block is ((qs[j] & 0xF) - 8) * d and value j + 16 is ((qs[j] >> 4) - 8) * d. The blocks stay
// in the file's bytes on the device. A block is 18 bytes, so every block (and row) starts at an
// even offset of the buffer: its scale is 2-byte aligned and vload_half reads it in place
// (vload_half needs no cl_khr_fp16).
//
// One work-group per row, L lanes (L a power of two), the lanes' partial sums added in a tree in
// local memory. The plain kernel gives lane i blocks i, i + L, ...
// The _split kernel is the layout for GPUs: 8 lanes share a block, lane s taking byte pair
// 2s, 2s + 1 (values 2s, 2s + 1 in the low nibbles, 2s + 16, 2s + 17 in the high ones) with one
// 2-byte load, so the lanes of a warp read consecutive bytes; L lanes (a power of two, at least 8)
// take blocks lid / 8, lid / 8 + L / 8, ... The plain kernel, a whole block per lane in 16-wide
// vectors, is the layout for CPU devices, which run a work-item's loop on their vector unit.
#define QK 32
#define BLOCK_BYTES 18

inline float hsum16(float16 v) {
    float8 a = v.lo + v.hi;
    float4 b = a.lo + a.hi;
    float2 c = b.lo + b.hi;
    return c.x + c.y;
}

/* d * sum_j q_j * x[j] over one block: the scale applied once per block, as GGML does. */
inline float dot_q4_0(global const uchar* blk, global const float* x) {
    const float d = vload_half(0, (global const half*)blk);
    const uchar16 q = vload16(0, blk + 2);
    const float16 lo = convert_float16(q & (uchar16)(0x0F)) - (float16)(8.0f);
    const float16 hi = convert_float16(q >> (uchar16)(4)) - (float16)(8.0f);
    return d * hsum16(lo * vload16(0, x) + hi * vload16(1, x));
}

kernel void matvec_q4_0(global const uchar* w, int cols,
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
        sum += dot_q4_0(wr + (size_t)b * BLOCK_BYTES, x + xOff + b * QK);
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

kernel void matvec_q4_0_split(global const uchar* w, int cols,
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
        const uchar2 q = as_uchar2(*(global const ushort*)(blk + 2 + 2 * sub));
        const float2 lo = convert_float2(q & (uchar2)(0x0F)) - (float2)(8.0f);
        const float2 hi = convert_float2(q >> (uchar2)(4)) - (float2)(8.0f);
        global const float* xv = x + xOff + b * QK;
        sum += d * (dot(lo, vload2(0, xv + 2 * sub)) + dot(hi, vload2(0, xv + 16 + 2 * sub)));
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
