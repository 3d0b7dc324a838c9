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
//
// Decode (batch 1) of a quantized type goes another way when x is 16-byte aligned (every buffer
// of the forward pass is): four lanes share a block, each taking a quarter of it with DOT4, so a
// warp reads 8 consecutive blocks per step and each lane two float4 of activations. Lane j taking
// value j of every block, as the batched loop does, left each load of the warp 18 or 34 bytes and
// decode at 3-5% of an H200's bandwidth.
#pragma once
#include "common.cuh"

template <int BLOCK_BYTES, float (*VALUE)(const uint8_t*, int),
          float (*DOT4)(const uint8_t*, int, const float*) = nullptr>
__device__ __forceinline__ void matmul(const uint8_t* __restrict__ w, const float* __restrict__ x,
                                       float* __restrict__ out, int rows, int cols, int batch) {
    int lane = threadIdx.x & 31;
    int row = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
    int b0 = blockIdx.y * BATCH_TILE;
    if (row >= rows) return;
    if constexpr (DOT4 != nullptr) {
        if (batch == 1 && (reinterpret_cast<uintptr_t>(x) & 15) == 0) {
            const uint8_t* wr = w + (size_t) row * (cols / QK) * BLOCK_BYTES;
            int part = lane & 3;
            float acc = 0.f;
#pragma unroll 4
            for (int blk = lane >> 2; blk < cols / QK; blk += 8) {
                acc += DOT4(wr + (size_t) blk * BLOCK_BYTES, part, x + (size_t) blk * QK);
            }
            acc = warp_sum(acc);
            if (lane == 0) out[row] = acc;
            return;
        }
    }
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
