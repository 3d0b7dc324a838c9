// block_q8_0 (GGML type 8, ggml-common.h): { half d; int8_t qs[32]; }, 34 bytes; value j of the
// block is qs[j] * d. A block is 34 bytes, so every block (and row) starts at an even offset of
// the buffer: its scale is 2-byte aligned and vload_half reads it in place (vload_half needs no
// cl_khr_fp16). In the split layout lane s takes values 4s .. 4s + 3 with two 2-byte loads (the
// quants of a 34-byte block are only 2-byte aligned). The interface is quant_common.cl's.
#include "quant_common.cl"
#define BLOCK_BYTES 34

inline float block_scale(global const uchar* blk) {
    return vload_half(0, (global const half*)blk);
}

inline values32 block_values(global const uchar* blk) {
    values32 v;
    v.lo = convert_float16(as_char16(vload16(0, blk + 2)));
    v.hi = convert_float16(as_char16(vload16(1, blk + 2)));
    return v;
}

inline float4 block_share(global const uchar* blk, int sub) {
    return convert_float4(as_char4(vload2(0, (global const ushort*)(blk + 2 + 4 * sub))));
}

inline float share_dot(float4 share, global const float* xv, int sub) {
    return dot(share, vload4(0, xv + 4 * sub));
}
