// block_q4_0 (GGML type 2, ggml-common.h): { half d; uint8_t qs[16]; }, 18 bytes; value j of the
// block is ((qs[j] & 0xF) - 8) * d and value j + 16 is ((qs[j] >> 4) - 8) * d. A block is 18
// bytes, so every block (and row) starts at an even offset of the buffer: its scale is 2-byte
// aligned and vload_half reads it in place (vload_half needs no cl_khr_fp16). In the split layout
// lane s takes byte pair 2s, 2s + 1 (values 2s, 2s + 1 in the low nibbles, 2s + 16, 2s + 17 in
// the high ones) with one 2-byte load. The interface is quant_common.cl's.
#include "quant_common.cl"
#define BLOCK_BYTES 18

inline float block_scale(global const uchar* blk) {
    return vload_half(0, (global const half*)blk);
}

inline values32 block_values(global const uchar* blk) {
    const uchar16 q = vload16(0, blk + 2);
    values32 v;
    v.lo = convert_float16(q & (uchar16)(0x0F)) - (float16)(8.0f);
    v.hi = convert_float16(q >> (uchar16)(4)) - (float16)(8.0f);
    return v;
}

inline float4 block_share(global const uchar* blk, int sub) {
    const uchar2 q = as_uchar2(*(global const ushort*)(blk + 2 + 2 * sub));
    const float2 lo = convert_float2(q & (uchar2)(0x0F)) - (float2)(8.0f);
    const float2 hi = convert_float2(q >> (uchar2)(4)) - (float2)(8.0f);
    return (float4)(lo, hi);
}

inline float share_dot(float4 share, global const float* xv, int sub) {
    return nibble_share_dot(share, xv, sub);
}
