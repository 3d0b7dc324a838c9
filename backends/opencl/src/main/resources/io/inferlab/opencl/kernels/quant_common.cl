// What the products of 32-value quantized blocks share (quant_matvec.cl, quant_matmul.cl), and the
// interface each block_<type>.cl gives them:
//   BLOCK_BYTES                              bytes of a block;
//   float block_scale(blk)                   its scale;
//   values32 block_values(blk)               its 32 values without the scale (CPU layout: a lane takes
//                                            a whole block in 16-wide vectors);
//   float4 block_share(blk, sub)             lane sub's 4 of them (GPU layout: 8 lanes share a block,
//                                            so the lanes of a warp read consecutive bytes);
//   float share_dot(share, xv, sub)          those 4 times the matching activations of xv.
// Per block the products are summed first and the scale applied once, as GGML does.
#define QK 32

typedef struct {
    float16 lo; // values 0 .. 15
    float16 hi; // values 16 .. 31
} values32;

inline float hsum16(float16 v) {
    float8 a = v.lo + v.hi;
    float4 b = a.lo + a.hi;
    float2 c = b.lo + b.hi;
    return c.x + c.y;
}

/* sum_j values_j * x[j] over one block of activations. */
inline float values_dot(values32 v, global const float* x) {
    return hsum16(v.lo * vload16(0, x) + v.hi * vload16(1, x));
}

/* Lane sub's values 2sub, 2sub + 1 (share.xy) and 2sub + 16, 2sub + 17 (share.zw): nibble layouts. */
inline float nibble_share_dot(float4 share, global const float* xv, int sub) {
    return dot(share.xy, vload2(0, xv + 2 * sub)) + dot(share.zw, vload2(0, xv + 16 + 2 * sub));
}
