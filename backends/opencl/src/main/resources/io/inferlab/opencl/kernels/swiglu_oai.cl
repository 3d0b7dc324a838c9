// swiglu_oai: gpt-oss's clamped SwiGLU variant (llama.cpp's swiglu_oai; the engine's
// Kernels.swigluClamped), in place for i < n:
//   g = min(gate[i], limit), u = clamp(up[i], -limit, limit),
//   gate[i] = g / (1 + e^(-alpha g)) * (u + 1)
// with alpha = 1.702 and limit = 7 for gpt-oss (the host passes them). One work-item per value;
// the host rounds the global size up to whole work-groups.
#pragma OPENCL FP_CONTRACT OFF

kernel void swiglu_oai(global float* gate, global const float* up, int n, float alpha, float limit) {
    const int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    const float g = fmin(gate[i], limit);
    const float u = fmax(-limit, fmin(up[i], limit));
    gate[i] = g / (1.0f + exp(-alpha * g)) * (u + 1.0f);
}
