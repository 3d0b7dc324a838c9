// gpt-oss's clamped SwiGLU in place (llama.cpp's swiglu_oai): g = min(gate, limit),
// u = clamp(up, -limit, limit), gate = g / (1 + e^(-alpha g)) * (u + 1).
// Grid: ceil(n / blockDim.x); one element per thread.
extern "C" __global__ void swiglu_oai_f32(float* gate, const float* __restrict__ up, int n, float alpha,
                                          float limit) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float g = fminf(gate[i], limit);
        float u = fmaxf(-limit, fminf(up[i], limit));
        gate[i] = g / (1.f + expf(-alpha * g)) * (u + 1.f);
    }
}
