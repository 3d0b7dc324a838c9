// matmul_bf16: the batched product for prefill. For each of `batch` input rows b:
// out[outOff + b * rows + r] = sum_c w[r * cols + c] * x[xOff + b * cols + c] (BF16 weights).
//
// Work-group (row r, batch tile t): L lanes split the row as matvec_bf16 does and each lane keeps
// TILE sums, one per input row of the tile, so every weight chunk read from memory is used TILE
// times. The TILE partial sums are then added in a tree in local memory (TILE * L floats).

/* bfloat16 bits to float: the bits are the upper half of the float's. */
inline float bf16(ushort v) {
    return as_float(((uint)v) << 16);
}

inline float8 bf16x8(ushort8 v) {
    return as_float8(convert_uint8(v) << (uint8)(16));
}

#define TILE 8

kernel void matmul_bf16(global const ushort* w, int cols, int rows,
                       global const float* x, int xOff, int batch,
                       global float* out, int outOff,
                       local float* partial) {
    const int row = get_group_id(0);
    const int b0 = get_group_id(1) * TILE;
    const int nb = min(TILE, batch - b0);
    const int lid = get_local_id(0);
    const int lanes = get_local_size(0);
    global const ushort* wr = w + (size_t)row * (size_t)cols;
    global const float* xb = x + xOff + (size_t)b0 * (size_t)cols;
    const int chunks = cols / 8;
    float8 acc[TILE];
    for (int b = 0; b < TILE; b++) {
        acc[b] = (float8)(0.0f);
    }
    for (int c = lid; c < chunks; c += lanes) {
        float8 wv = bf16x8(vload8(c, wr));
        // A constant trip count with a guard, not b < nb: the compiler keeps acc[] in registers.
        for (int b = 0; b < TILE; b++) {
            if (b < nb) {
                acc[b] += wv * vload8(c, xb + (size_t)b * (size_t)cols);
            }
        }
    }
    for (int b = 0; b < TILE; b++) {
        float4 a4 = acc[b].lo + acc[b].hi;
        float2 a2 = a4.lo + a4.hi;
        float sum = a2.x + a2.y;
        if (b < nb) {
            for (int c = chunks * 8 + lid; c < cols; c += lanes) {
                sum += bf16(wr[c]) * xb[(size_t)b * (size_t)cols + c];
            }
        }
        partial[b * lanes + lid] = sum;
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
