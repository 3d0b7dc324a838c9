// The expert matmul of a mixture of experts (GGML's mul_mat_id), shared by the matmul_id_<type>
// kernels (included, never compiled alone). The weights of all experts sit in one buffer, expert
// e's [rows x cols] matrix at e * rows * (cols / QK) * BLOCK_BYTES bytes (a GGUF [cols, rows,
// experts] tensor as stored); ids[s] names the expert of slot s, as moe_topk_f32 wrote it on the
// device, so no expert id crosses the bus. Slot s = token * k + j (the token's j-th expert):
//   out[s * rows + r] = sum_c W_ids[s][r][c] * x[(s / xSlotDiv) * cols + c]
// xSlotDiv = k when the k slots of a token share its input row (gate, up), 1 when every slot has
// its own (down). One warp per (row, slot); lane j decodes value j of each block in place, so the
// weights are read in their GGML type. A batch re-reads an expert's row once per slot that chose
// it (no grouping of tokens per expert: correctness first; decode, one token, reads each selected
// row exactly once). Grid: (ceil(rows / warpsPerBlock), slots); block: warpsPerBlock * 32 threads.
#pragma once
#include "common.cuh"

template <int BLOCK_BYTES, float (*VALUE)(const uint8_t*, int)>
__device__ __forceinline__ void matmul_id(const uint8_t* __restrict__ w, const int* __restrict__ ids,
                                          const float* __restrict__ x, float* __restrict__ out, int rows,
                                          int cols, int xSlotDiv) {
    int lane = threadIdx.x & 31;
    int row = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
    int slot = blockIdx.y;
    if (row >= rows) return;
    size_t rowBytes = (size_t) (cols / QK) * BLOCK_BYTES;
    const uint8_t* wr = w + ((size_t) ids[slot] * rows + row) * rowBytes;
    const float* xs = x + (size_t) (slot / xSlotDiv) * cols;
    float acc = 0.f;
#pragma unroll 8
    for (int blk = 0; blk < cols / QK; blk++) {
        acc += VALUE(wr + (size_t) blk * BLOCK_BYTES, lane) * xs[blk * QK + lane];
    }
    acc = warp_sum(acc);
    if (lane == 0) out[(size_t) slot * rows + row] = acc;
}
