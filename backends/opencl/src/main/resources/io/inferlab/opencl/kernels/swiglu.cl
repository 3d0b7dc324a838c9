// swiglu: the SwiGLU gate of llama's feed-forward block (Shazeer 2020), in place:
// gate[i] = silu(gate[i]) * up[i], silu(g) = g / (1 + e^-g) for i < n. One work-item per value;
// the host rounds the global size up to whole work-groups.
#pragma OPENCL FP_CONTRACT OFF

kernel void swiglu(global float* gate, global const float* up, int n) {
    const int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    const float g = gate[i];
    gate[i] = g / (1.0f + exp(-g)) * up[i];
}
