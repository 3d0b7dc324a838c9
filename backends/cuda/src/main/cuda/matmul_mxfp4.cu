// Batched matrix-vector product with MXFP4 weights (read in place, block by block) and f32
// activations, f32 accumulation: out[b * rows + r] = sum_c W[r][c] * x[b * cols + c]. The contract,
// layout and launch geometry are in matmul.cuh.
#include "matmul.cuh"

extern "C" __global__ void matmul_mxfp4(const uint8_t* __restrict__ w, const float* __restrict__ x,
                                        float* __restrict__ out, int rows, int cols, int batch) {
    matmul<MXFP4_BYTES, mxfp4_value, mxfp4_dot4>(w, x, out, rows, cols, batch);
}
