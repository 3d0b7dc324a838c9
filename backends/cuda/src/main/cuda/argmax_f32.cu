// Index of the largest of n values (the lowest index on ties, like a scan in index order), for
// greedy decoding without copying the logits back. Grid: (1); block: 1024 threads.
#include "common.cuh"

extern "C" __global__ void argmax_f32(const float* __restrict__ x, int n, int* result) {
    __shared__ float bestV[1024];
    __shared__ int bestI[1024];
    float v = -INFINITY;
    int idx = n;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        float xi = x[i];
        if (xi > v || (xi == v && i < idx)) { v = xi; idx = i; }
    }
    bestV[threadIdx.x] = v;
    bestI[threadIdx.x] = idx;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            float o = bestV[threadIdx.x + s];
            int oi = bestI[threadIdx.x + s];
            if (o > bestV[threadIdx.x] || (o == bestV[threadIdx.x] && oi < bestI[threadIdx.x])) {
                bestV[threadIdx.x] = o;
                bestI[threadIdx.x] = oi;
            }
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) *result = bestI[0] < n ? bestI[0] : 0;
}
