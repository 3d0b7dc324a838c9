// The expert matmul (GGML's mul_mat_id) with Q8_0 weights read in place and f32 activations, f32
// accumulation: out[s * rows + r] = sum_c W_ids[s][r][c] * x[(s / xSlotDiv) * cols + c]. The
// contract, layout and launch geometry are in matmul_id.cuh. cols must be a multiple of 32.
#include "matmul_id.cuh"

extern "C" __global__ void matmul_id_q8_0(const uint8_t* __restrict__ w, const int* __restrict__ ids,
                                       const float* __restrict__ x, float* __restrict__ out, int rows, int cols,
                                       int xSlotDiv) {
    matmul_id<Q8_0_BYTES, q8_0_value>(w, ids, x, out, rows, cols, xSlotDiv);
}
