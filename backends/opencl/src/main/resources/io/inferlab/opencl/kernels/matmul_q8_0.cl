// matmul_q8_0: the batched product for prefill. For each of `batch` input rows b:
// out[outOff + b * rows + r] = sum_c w[r][c] * x[xOff + b * cols + c] (Q8_0 weights).
//
// block_q8_0 (GGML type 8): { half d; int8_t qs[32]; }, 34 bytes, value j = qs[j] * d; blocks
// start 2-byte aligned, so vload_half reads the scale in place (see matvec_q8_0.cl).
//
// Work-group (row r, batch tile t): each lane decodes its share of a block once and uses it for
// the TILE input rows of the tile; the TILE partial sums are then added in a tree in local memory
// (TILE * L floats). As in matvec_q8_0.cl, the plain kernel gives each lane whole blocks (CPU
// devices) and the _split kernel lets 8 lanes share a block (GPUs).
#define QK 32
#define BLOCK_BYTES 34
#define TILE 8

inline float hsum16(float16 v) {
    float8 a = v.lo + v.hi;
    float4 b = a.lo + a.hi;
    float2 c = b.lo + b.hi;
    return c.x + c.y;
}

kernel void matmul_q8_0(global const uchar* w, int cols, int rows,
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
        const float d = vload_half(0, (global const half*)blk);
        const float16 q0 = convert_float16(as_char16(vload16(0, blk + 2)));
        const float16 q1 = convert_float16(as_char16(vload16(1, blk + 2)));
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

kernel void matmul_q8_0_split(global const uchar* w, int cols, int rows,
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
        const float d = vload_half(0, (global const half*)blk);
        const float4 q = convert_float4(as_char4(vload2(0, (global const ushort*)(blk + 2 + 4 * sub))));
        for (int b = 0; b < TILE; b++) {
            if (b < nb) {
                global const float* xv = xb + (size_t)b * (size_t)cols + k * QK;
                acc[b] += d * dot(q, vload4(0, xv + 4 * sub));
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
