// matvec_mxfp4: out[outOff + r] = sum_c w[r][c] * x[xOff + c] for every row r of an MXFP4 matrix.
//
// block_mxfp4 (GGML type 39, ggml-common.h; OCP Microscaling Formats spec v1.0): { uint8_t e;
// uint8_t qs[16]; }, 17 bytes. e is an E8M0 scale, 2^(e - 127) (e = 0 is read as 2^-127, as the
// engine's Formats.e8m0ToFloat does; 255 gives infinity). Each nibble is an E2M1 value (sign bit 3,
// then {0, 0.5, 1, 1.5, 2, 3, 4, 6}); value j of the block is in the low nibble of qs[j] and value
// j + 16 in the high nibble. The blocks stay in the file's bytes on the device; 17-byte blocks
// are only byte-aligned, so every load here is a uchar load.
//
// The whole-block kernel decodes 16 nibbles at once with integer vector ops (e2m1x16); the _split
// kernel looks its 4 values up in a constant table. Per block the nibble products are summed
// first and the scale applied once, as the scalar reference does.
//
// One work-group per row, L lanes (a power of two), the lanes' partial sums added in a tree in
// local memory. The plain kernel gives lane i blocks i, i + L, ... (a whole block per lane in
// 16-wide vectors: CPU devices). The _split kernel lets 8 lanes share a block, lane s taking
// bytes 2s, 2s + 1 (values 2s, 2s + 1 low, 2s + 16, 2s + 17 high), so the lanes of a warp read
// consecutive bytes (GPUs).
#define QK 32
#define BLOCK_BYTES 17

inline float hsum16(float16 v) {
    float8 a = v.lo + v.hi;
    float4 b = a.lo + a.hi;
    float2 c = b.lo + b.hi;
    return c.x + c.y;
}

inline float e8m0(uchar e) {
    return e == 0 ? 0x1p-127f : as_float((uint)e << 23);
}

/* E2M1 for the _split kernels' scalar lookups (constant memory: a broadcast cache on GPUs). */
constant float E2M1[16] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f,
                           -0.0f, -0.5f, -1.0f, -1.5f, -2.0f, -3.0f, -4.0f, -6.0f};

/*
 * Sixteen E2M1 nibbles decoded with integer vector ops (no lookup, so a CPU device keeps them in
 * vector registers): for a magnitude code c = n & 7 >= 2 the float's bits are (c << 22) + bits(0.5)
 * (exponent 126 + (c >> 1), top mantissa bit c & 1: 1, 1.5, 2, 3, 4, 6); codes 0 and 1 are
 * c * 0.5; the sign bit 3 moves to bit 31.
 */
inline float16 e2m1x16(uchar16 nibbles) {
    const uint16 n = convert_uint16(nibbles);
    const uint16 c = n & (uint16)(7u);
    const float16 normal = as_float16((c << (uint16)(22u)) + (uint16)(0x3F000000u));
    const float16 mag = select(normal, convert_float16(c) * 0.5f, c < (uint16)(2u));
    return as_float16(as_uint16(mag) | ((n & (uint16)(8u)) << (uint16)(28u)));
}

/* 2^(e-127) * sum_j e2m1(q_j) * x[j] over one block. */
inline float dot_mxfp4(global const uchar* blk, global const float* x) {
    const uchar16 q = vload16(0, blk + 1);
    const float16 lo = e2m1x16(q & (uchar16)(0x0F));
    const float16 hi = e2m1x16(q >> (uchar16)(4));
    return e8m0(blk[0]) * hsum16(lo * vload16(0, x) + hi * vload16(1, x));
}

kernel void matvec_mxfp4(global const uchar* w, int cols,
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
        sum += dot_mxfp4(wr + (size_t)b * BLOCK_BYTES, x + xOff + b * QK);
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

kernel void matvec_mxfp4_split(global const uchar* w, int cols,
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
        const uchar2 q = vload2(0, blk + 1 + 2 * sub);
        const float2 lo = (float2)(E2M1[q.x & 0x0F], E2M1[q.y & 0x0F]);
        const float2 hi = (float2)(E2M1[q.x >> 4], E2M1[q.y >> 4]);
        global const float* xv = x + xOff + b * QK;
        sum += e8m0(blk[0]) * (dot(lo, vload2(0, xv + 2 * sub)) + dot(hi, vload2(0, xv + 16 + 2 * sub)));
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
