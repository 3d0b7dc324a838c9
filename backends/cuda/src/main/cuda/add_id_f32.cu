// Per-expert biases (GGML's add_id): y[s * n + i] += b[ids[s] * n + i], where ids[s] is slot s's
// expert as moe_topk_f32 chose it and b holds n biases per expert. Grid: (ceil(n / blockDim.x), slots).
extern "C" __global__ void add_id_f32(float* y, const float* __restrict__ b, const int* __restrict__ ids, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int s = blockIdx.y;
    if (i < n) y[(size_t) s * n + i] += b[(size_t) ids[s] * n + i];
}
