// Causal scaled dot-product attention over the device KV cache, grouped-query heads: query head h
// reads KV head h / (heads / kvHeads). Token t (position pos0 + t) attends to cached positions
// first..last, last = pos0 + t and first = max(0, last - window + 1) when window > 0 (sliding
// window), else 0. An optional per-head sink logit (gpt-oss; sinks == nullptr: none) joins the
// softmax with no value, taking probability mass from the real positions.
// Cache layout: position p's kvDim values at p * kvDim. q and out: token t's heads at t * qDim.
// Grid: (heads, tokens); block: a multiple of 32 threads; dynamic shared memory: (contextLength)
// floats of scores.
#include "common.cuh"

extern "C" __global__ void attention_f32(float* __restrict__ out, const float* __restrict__ q,
                                         const float* __restrict__ keys, const float* __restrict__ values,
                                         const float* __restrict__ sinks, int heads, int kvHeads,
                                         int headDim, int pos0, int window, float scale) {
    extern __shared__ float scores[];
    __shared__ float red[32];
    int h = blockIdx.x, t = blockIdx.y;
    int qDim = heads * headDim, kvDim = kvHeads * headDim;
    int kvOff = (h / (heads / kvHeads)) * headDim;
    int last = pos0 + t;
    int first = window > 0 ? max(0, last - window + 1) : 0;
    int n = last - first + 1;
    const float* qh = q + (size_t) t * qDim + (size_t) h * headDim;

    // One warp per position: lanes split the head's dot product.
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    for (int i = warp; i < n; i += warps) {
        const float* k = keys + (size_t) (first + i) * kvDim + kvOff;
        float s = 0.f;
        for (int d = lane; d < headDim; d += 32) s += qh[d] * k[d];
        s = warp_sum(s);
        if (lane == 0) scores[i] = s * scale;
    }
    __syncthreads();
    float sink = sinks != nullptr ? sinks[h] : -INFINITY;
    float m = sink;
    for (int i = threadIdx.x; i < n; i += blockDim.x) m = fmaxf(m, scores[i]);
    m = block_max(m, red);
    float sum = 0.f;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        float e = __expf(scores[i] - m);
        scores[i] = e;
        sum += e;
    }
    sum = block_sum(sum, red);
    if (sinks != nullptr) sum += __expf(sink - m);
    float inv = 1.f / sum;
    __syncthreads();
    float* o = out + (size_t) t * qDim + (size_t) h * headDim;
    for (int d = threadIdx.x; d < headDim; d += blockDim.x) {
        float acc = 0.f;
        const float* v = values + (size_t) first * kvDim + kvOff + d;
        for (int i = 0; i < n; i++) acc += scores[i] * v[(size_t) i * kvDim];
        o[d] = acc * inv;
    }
}
