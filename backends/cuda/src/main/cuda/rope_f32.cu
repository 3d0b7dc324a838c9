// Rotary position embedding in place, over tokens at positions pos0, pos0+1, ... with a table of
// cos and sin per (position, pair) computed on the host (plain, linearly scaled or YaRN: the table
// carries it). neox = 0: NORMAL layout, pairs (2i, 2i+1); neox = 1: NEOX layout, pairs (i, i + d/2).
// Only the first rotDim values of each head rotate. Token t's heads start at x + t * tokenStride.
// Grid: (tokens, heads); block: any number of threads, looping over the pairs.
#include "common.cuh"

extern "C" __global__ void rope_f32(float* x, const float* __restrict__ cosTable,
                                    const float* __restrict__ sinTable, int tokenStride, int headDim,
                                    int rotDim, int pos0, int neox) {
    int t = blockIdx.x, h = blockIdx.y, half = rotDim / 2;
    float* head = x + (size_t) t * tokenStride + (size_t) h * headDim;
    size_t row = (size_t) (pos0 + t) * half;
    for (int i = threadIdx.x; i < half; i += blockDim.x) {
        int a = neox ? i : 2 * i;
        int b = neox ? i + half : 2 * i + 1;
        float c = cosTable[row + i], s = sinTable[row + i];
        float x0 = head[a], x1 = head[b];
        head[a] = x0 * c - x1 * s;
        head[b] = x0 * s + x1 * c;
    }
}
