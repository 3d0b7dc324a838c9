// Expert selection of a mixture of experts on the device, per token of a batch, as the engine's
// MixtureOfExperts (llama.cpp's build_moe_ffn for gpt-oss: softmax weighting after top-k):
//   l = logits[t * experts ..] + bias; ids[t * k + j] = the j-th largest of l (largest first, the
//   lower index first among equals); weights[t * k + j] = softmax over the k selected logits.
// experts <= MOE_MAX_EXPERTS. Grid: (tokens); block: one warp (32 threads).
#include "common.cuh"

#define MOE_MAX_EXPERTS 4096

extern "C" __global__ void moe_topk_f32(const float* __restrict__ logits, const float* __restrict__ bias,
                                        int experts, int k, int* __restrict__ ids, float* __restrict__ weights) {
    __shared__ float l[MOE_MAX_EXPERTS];
    __shared__ unsigned char taken[MOE_MAX_EXPERTS];
    __shared__ float chosen[32];
    int t = blockIdx.x, lane = threadIdx.x;
    const float* lt = logits + (size_t) t * experts;
    for (int e = lane; e < experts; e += 32) {
        l[e] = lt[e] + bias[e];
        taken[e] = 0;
    }
    __syncwarp();
    for (int j = 0; j < k; j++) {
        // Each lane's best of its experts (ascending, so a strict > keeps the lowest index), then
        // the warp's best: larger value, or equal value and lower index.
        float bv = -INFINITY;
        int bi = experts;
        for (int e = lane; e < experts; e += 32) {
            if (!taken[e] && (bi == experts || l[e] > bv)) {
                bv = l[e];
                bi = e;
            }
        }
        for (int o = 16; o > 0; o >>= 1) {
            float ov = __shfl_xor_sync(0xffffffffu, bv, o);
            int oi = __shfl_xor_sync(0xffffffffu, bi, o);
            if (oi < experts && (bi == experts || ov > bv || (ov == bv && oi < bi))) {
                bv = ov;
                bi = oi;
            }
        }
        if (lane == 0) {
            taken[bi] = 1;
            ids[(size_t) t * k + j] = bi;
            chosen[j & 31] = bv;
        }
        __syncwarp();
    }
    if (lane == 0) {
        // k is small (gpt-oss: 4): one thread, in the reference's order (max, exp and sum, scale).
        float m = -INFINITY;
        for (int j = 0; j < k; j++) m = fmaxf(m, chosen[j]);
        float sum = 0.f;
        for (int j = 0; j < k; j++) {
            float e = expf(chosen[j] - m);
            chosen[j] = e;
            sum += e;
        }
        float inv = 1.f / sum;
        for (int j = 0; j < k; j++) weights[(size_t) t * k + j] = chosen[j] * inv;
    }
}
