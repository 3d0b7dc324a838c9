// Embedding lookup with Q8_0 weights: out[t * cols + c] = W[ids[t]][c] as f32 (dequantized on the
// fly). Grid: (tokens); block: any multiple of 32 threads, looping over the columns.
#include "common.cuh"

extern "C" __global__ void get_rows_q8_0(const uint8_t* __restrict__ w, const int* __restrict__ ids,
                                       float* __restrict__ out, int cols) {
    int t = blockIdx.x;
    size_t row = (size_t) ids[t];
    for (int c = threadIdx.x; c < cols; c += blockDim.x) {
        const uint8_t* blk = w + (row * (cols / QK) + c / QK) * Q8_0_BYTES;
        out[(size_t) t * cols + c] = q8_0_value(blk, c % QK);
    }
}
