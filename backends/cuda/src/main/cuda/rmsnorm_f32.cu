// RMSNorm of each token's row: out = x / sqrt(mean(x^2) + eps) * weight (f32). out may alias x.
// Grid: (tokens); block: a multiple of 32 threads up to 1024.
#include "common.cuh"

extern "C" __global__ void rmsnorm_f32(float* out, const float* x, const float* __restrict__ weight, int n,
                                       float eps) {
    __shared__ float red[32];
    const float* xr = x + (size_t) blockIdx.x * n;
    float* yr = out + (size_t) blockIdx.x * n;
    float ss = 0.f;
    for (int i = threadIdx.x; i < n; i += blockDim.x) ss += xr[i] * xr[i];
    ss = block_sum(ss, red);
    float scale = rsqrtf(ss / n + eps);
    for (int i = threadIdx.x; i < n; i += blockDim.x) yr[i] = xr[i] * scale * weight[i];
}
