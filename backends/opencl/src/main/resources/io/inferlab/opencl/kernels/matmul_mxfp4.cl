// matmul_mxfp4: the batched product for prefill. For each of `batch` input rows b:
// out[outOff + b * rows + r] = sum_c w[r][c] * x[xOff + b * cols + c] (MXFP4 weights).
//
// block_mxfp4 (GGML type 39): { uint8_t e; uint8_t qs[16]; }, 17 bytes; scale 2^(e - 127) (e = 0
// read as 2^-127), value j = e2m1(qs[j] & 0xF), value j + 16 = e2m1(qs[j] >> 4), E2M1 = sign bit 3
// then {0, 0.5, 1, 1.5, 2, 3, 4, 6} (see matvec_mxfp4.cl). Blocks are byte-aligned: uchar loads.
//
// Work-group (row r, batch tile t): each lane decodes its share of a block once and uses it for
// the TILE input rows of the tile; the TILE partial sums are then added in a tree in local memory
// (TILE * L floats). As in matvec_mxfp4.cl, the plain kernel gives each lane whole blocks (CPU
// devices) and the _split kernel lets 8 lanes share a block (GPUs).
#define QK 32
#define BLOCK_BYTES 17
#define TILE 8

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

kernel void matmul_mxfp4(global const uchar* w, int cols, int rows,
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
        const float d = e8m0(blk[0]);
        const uchar16 q = vload16(0, blk + 1);
        const float16 q0 = e2m1x16(q & (uchar16)(0x0F));
        const float16 q1 = e2m1x16(q >> (uchar16)(4));
        // A constant trip count with a guard, not b < nb: the compiler keeps acc[] in registers.
        for (int b = 0; b < TILE; b++) {
            if (b < nb) {
                global const float* xv = xb + (size_t)b * (size_t)cols + k * QK;
                acc[b] += d * hsum16(q0 * vload16(0, xv) + q1 * vload16(1, xv));
            }
        }
    }
    for (int b = 0; b < TILE; b++) {
        partial[b * lanes + lid] = acc[b];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = lanes >> 1; s > 0; s >>= 1) {
        if (lid < s) {
            for (int b = 0; b < TILE; b++) {
                partial[b * lanes + lid] += partial[b * lanes + lid + s];
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int b = lid; b < nb; b += lanes) {
        out[outOff + (size_t)(b0 + b) * (size_t)rows + row] = partial[b * lanes];
    }
}

kernel void matmul_mxfp4_split(global const uchar* w, int cols, int rows,
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
        const float d = e8m0(blk[0]);
        const uchar2 q = vload2(0, blk + 1 + 2 * sub);
        const float2 lo = (float2)(E2M1[q.x & 0x0F], E2M1[q.y & 0x0F]);
        const float2 hi = (float2)(E2M1[q.x >> 4], E2M1[q.y >> 4]);
        for (int b = 0; b < TILE; b++) {
            if (b < nb) {
                global const float* xv = xb + (size_t)b * (size_t)cols + k * QK;
                acc[b] += d * (dot(lo, vload2(0, xv + 2 * sub)) + dot(hi, vload2(0, xv + 16 + 2 * sub)));
            }
        }
    }
    for (int b = 0; b < TILE; b++) {
        partial[b * lanes + lid] = acc[b];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = lanes >> 1; s > 0; s >>= 1) {
        if (lid < s) {
            for (int b = 0; b < TILE; b++) {
                partial[b * lanes + lid] += partial[b * lanes + lid + s];
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int b = lid; b < nb; b += lanes) {
        out[outOff + (size_t)(b0 + b) * (size_t)rows + row] = partial[b * lanes];
    }
}
