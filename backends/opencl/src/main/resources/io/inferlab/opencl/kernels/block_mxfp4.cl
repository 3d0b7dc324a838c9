// block_mxfp4 (GGML type 39, ggml-common.h; OCP Microscaling Formats spec v1.0): { uint8_t e;
// uint8_t qs[16]; }, 17 bytes. e is an E8M0 scale, 2^(e - 127) (e = 0 is read as 2^-127, as the
// engine's Formats.e8m0ToFloat does; 255 gives infinity). Each nibble is an E2M1 value (sign bit 3,
// then {0, 0.5, 1, 1.5, 2, 3, 4, 6}); value j of the block is in the low nibble of qs[j] and value
// j + 16 in the high nibble. 17-byte blocks are only byte-aligned, so every load here is a uchar
// load. The whole block decodes 16 nibbles at once with integer vector ops (e2m1x16); the split
// layout (lane s: bytes 2s, 2s + 1, as Q4_0's) looks its 4 values up in a constant table. The
// interface is quant_common.cl's.
#include "quant_common.cl"
#define BLOCK_BYTES 17

inline float e8m0(uchar e) {
    return e == 0 ? 0x1p-127f : as_float((uint)e << 23);
}

/* E2M1 for the split layout's scalar lookups (constant memory: a broadcast cache on GPUs). */
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

inline float block_scale(global const uchar* blk) {
    return e8m0(blk[0]);
}

inline values32 block_values(global const uchar* blk) {
    const uchar16 q = vload16(0, blk + 1);
    values32 v;
    v.lo = e2m1x16(q & (uchar16)(0x0F));
    v.hi = e2m1x16(q >> (uchar16)(4));
    return v;
}

inline float4 block_share(global const uchar* blk, int sub) {
    const uchar2 q = vload2(0, blk + 1 + 2 * sub);
    return (float4)(E2M1[q.x & 0x0F], E2M1[q.y & 0x0F], E2M1[q.x >> 4], E2M1[q.y >> 4]);
}

inline float share_dot(float4 share, global const float* xv, int sub) {
    return nibble_share_dot(share, xv, sub);
}
