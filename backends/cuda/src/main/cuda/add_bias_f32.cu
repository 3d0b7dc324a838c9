// A bias broadcast over the tokens of a batch, in place: y[t * n + i] += b[i] (gpt-oss's attention
// biases; y may be K or V rows inside the KV cache). Grid: (ceil(n / blockDim.x), tokens).
extern "C" __global__ void add_bias_f32(float* y, const float* __restrict__ b, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[(size_t) blockIdx.y * n + i] += b[i];
}
