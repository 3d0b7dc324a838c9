// attention_values: the last step of attention: the weighted sum of the cached values,
// out[t][h][d] = sum_{p <= pos0 + t} scores[t][h][p] * v[p][kvh][d], positions in ascending order
// (as the scalar reference adds them), with grouped-query attention (kvh = h / (heads / kvHeads)).
// One work-item per (d, h, t), dimension 0 rounded up to whole work-groups: adjacent work-items
// read adjacent values of a cached position.
#pragma OPENCL FP_CONTRACT OFF

kernel void attention_values(global const float* scores, global const float* values, global float* out,
                             int heads, int kvHeads, int headDim, int ctx, int pos0) {
    const int d = get_global_id(0);
    const int h = get_global_id(1);
    const int t = get_global_id(2);
    if (d >= headDim) {
        return;
    }
    const int kvh = h / (heads / kvHeads);
    const int len = pos0 + t + 1;
    const size_t kvDim = (size_t)kvHeads * headDim;
    global const float* s = scores + ((size_t)t * heads + h) * (size_t)ctx;
    global const float* v = values + (size_t)kvh * headDim + d;
    float acc = 0.0f;
    for (int p = 0; p < len; p++) {
        acc += s[p] * v[(size_t)p * kvDim];
    }
    out[((size_t)t * heads + h) * (size_t)headDim + d] = acc;
}
