// The mixture's output added to the residual stream: y[t * n + i] += sum_j weights[t * k + j] *
// e[(t * k + j) * n + i], the k selected experts' outputs of token t mixed by their router weights
// (moe_topk_f32's softmax). Grid: (ceil(n / blockDim.x), tokens).
extern "C" __global__ void moe_weighted_sum_f32(float* y, const float* __restrict__ e,
                                                const float* __restrict__ weights, int n, int k) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int t = blockIdx.y;
    if (i >= n) return;
    float s = 0.f;
    for (int j = 0; j < k; j++) s += weights[(size_t) t * k + j] * e[((size_t) t * k + j) * n + i];
    y[(size_t) t * n + i] += s;
}
