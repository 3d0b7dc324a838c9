// SwiGLU in place: gate[i] = silu(gate[i]) * up[i], silu(g) = g / (1 + e^-g).
// Grid: ceil(n / blockDim.x); one element per thread.
extern "C" __global__ void swiglu_f32(float* gate, const float* __restrict__ up, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float g = gate[i];
        gate[i] = g / (1.f + expf(-g)) * up[i];
    }
}
