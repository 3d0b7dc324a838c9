// The batched matrix-vector product, shared by the matmul_<type> kernels (included, never
// compiled alone): out[b * rows + r] = sum_c W[r][c] * x[b * cols + c], the weights read in their
// GGML type block by block, f32 activations, f32 accumulation. One warp per (row, tile of
// BATCH_TILE tokens): the warp reads its weight row once per tile, so decode (batch 1) is the
// matvec and prefill reuses each row for up to BATCH_TILE tokens. Lane j decodes value j of each
// block, so the warp's loads of one block are contiguous. Grid: (ceil(rows / warpsPerBlock),
// ceil(batch / BATCH_TILE)); block: warpsPerBlock * 32 threads.
//
// Quantized rows are whole blocks (cols a multiple of 32); F32 and F16 rows may end in a partial
// "block" (see f32_value), which the tail loop takes.
#pragma once
#include "common.cuh"

template <int BLOCK_BYTES, float (*VALUE)(const uint8_t*, int)>
__device__ __forceinline__ void matmul(const uint8_t* __restrict__ w, const float* __restrict__ x,
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
    int blocks = cols / QK;
    // A row's bytes: whole blocks, then (F32 and F16 only) the partial one.
    const uint8_t* wr = w + (size_t) row * ((size_t) cols * BLOCK_BYTES / QK);
    // Unrolled so that each warp keeps several blocks' loads in flight: decode is bound by memory
    // latency as much as by bandwidth at one warp per row.
#pragma unroll 8
    for (int blk = 0; blk < blocks; blk++) {
        float v = VALUE(wr + (size_t) blk * BLOCK_BYTES, lane);
        int c = blk * QK + lane;
#pragma unroll
        for (int t = 0; t < BATCH_TILE; t++) if (t < nb) acc[t] += v * xb[(size_t) t * cols + c];
    }
    int c = blocks * QK + lane;
    if (c < cols) {
        float v = VALUE(wr + (size_t) blocks * BLOCK_BYTES, lane);
#pragma unroll
        for (int t = 0; t < BATCH_TILE; t++) if (t < nb) acc[t] += v * xb[(size_t) t * cols + c];
    }
#pragma unroll
    for (int t = 0; t < BATCH_TILE; t++) {
        float s = warp_sum(acc[t]);
        if (lane == 0 && t < nb) out[(size_t) (b0 + t) * rows + row] = s;
    }
}
