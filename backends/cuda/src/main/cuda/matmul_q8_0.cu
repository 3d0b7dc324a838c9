// Batched matrix-vector product with Q8_0 weights (read in place, block by block) and f32
// activations, f32 accumulation: out[b * rows + r] = sum_c W[r][c] * x[b * cols + c]. The contract,
// layout and launch geometry are in matmul.cuh.
#include "matmul.cuh"

extern "C" __global__ void matmul_q8_0(const uint8_t* __restrict__ w, const float* __restrict__ x,
                                       float* __restrict__ out, int rows, int cols, int batch) {
    matmul<Q8_0_BYTES, q8_0_value, q8_0_dot4>(w, x, out, rows, cols, batch);
}
