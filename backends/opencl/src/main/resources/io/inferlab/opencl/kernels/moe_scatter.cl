// moe_scatter: one expert's outputs mixed into the tokens that chose it, with the expert's down
// bias: out[rows[rowsOff + i] * n + c] += weights[rowsOff + i] * (down[i * n + c] + bias[bOff + c])
// for the expert's m tokens i < m (c < n), as the engine's MixtureOfExperts does (bias added
// first, then the weighted sum, experts in ascending order: launches run in queue order, and a
// token appears at most once per expert, so no two work-items of a launch write the same value).
#pragma OPENCL FP_CONTRACT OFF

kernel void moe_scatter(global const float* down, global const float* bias, int bOff, global const int* rows,
                        global const float* weights, int rowsOff, int n, global float* out) {
    const int c = get_global_id(0);
    const int i = get_global_id(1);
    if (c >= n) {
        return;
    }
    const float d = down[(size_t)i * n + c] + bias[bOff + c];
    global float* o = out + (size_t)rows[rowsOff + i] * n + c;
    *o = *o + weights[rowsOff + i] * d;
}
