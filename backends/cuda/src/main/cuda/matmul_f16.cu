// Batched matrix-vector product with F16 weights and f32 activations, f32 accumulation:
// out[b * rows + r] = sum_c W[r][c] * x[b * cols + c]. One warp per (row, tile of BATCH_TILE
// tokens): the warp reads its weight row once per tile, so decode (batch 1) is the matvec and
// prefill reuses each row for up to BATCH_TILE tokens. Grid: (ceil(rows / warpsPerBlock),
// ceil(batch / BATCH_TILE)); block: warpsPerBlock * 32 threads.
#include "common.cuh"

extern "C" __global__ void matmul_f16(const uint8_t* __restrict__ w, const float* __restrict__ x,
                                     float* __restrict__ out, int rows, int cols, int batch) {
    int lane = threadIdx.x & 31;
    int row = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
    int b0 = blockIdx.y * BATCH_TILE;
    if (row >= rows) return;
    int nb = min(BATCH_TILE, batch - b0);
    float acc[BATCH_TILE];
#pragma unroll
    for (int t = 0; t < BATCH_TILE; t++) acc[t] = 0.f;
    const float* xb = x + (size_t) b0 * cols;
    const __half* wr = (const __half*) (w + (size_t) row * cols * 2);
#pragma unroll 4
    for (int c = lane; c < cols; c += 32) {
        float v = __half2float(wr[c]);
#pragma unroll
        for (int t = 0; t < BATCH_TILE; t++) if (t < nb) acc[t] += v * xb[(size_t) t * cols + c];
    }
#pragma unroll
    for (int t = 0; t < BATCH_TILE; t++) {
        float s = warp_sum(acc[t]);
        if (lane == 0 && t < nb) out[(size_t) (b0 + t) * rows + row] = s;
    }
}
