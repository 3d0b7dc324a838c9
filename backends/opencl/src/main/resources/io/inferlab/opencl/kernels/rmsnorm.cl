// rmsnorm: out = x / sqrt(mean(x^2) + eps) * weight over each row of n values (llama's RMSNorm,
// Zhang & Sennrich 2019). One work-group per row t of the batch: the lanes add squares in a tree
// in local memory, then scale their share of the row.
#pragma OPENCL FP_CONTRACT OFF

kernel void rmsnorm(global const float* x, int xOff, global const float* weight, int n, float eps,
                    global float* out, int outOff, local float* partial) {
    const int t = get_group_id(0);
    const int lid = get_local_id(0);
    const int lanes = get_local_size(0);
    global const float* xr = x + xOff + (size_t)t * (size_t)n;
    global float* orow = out + outOff + (size_t)t * (size_t)n;
    float ss = 0.0f;
    for (int i = lid; i < n; i += lanes) {
        ss += xr[i] * xr[i];
    }
    partial[lid] = ss;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = lanes >> 1; s > 0; s >>= 1) {
        if (lid < s) {
            partial[lid] += partial[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float scale = 1.0f / sqrt(partial[0] / (float)n + eps);
    for (int i = lid; i < n; i += lanes) {
        orow[i] = xr[i] * scale * weight[i];
    }
}
