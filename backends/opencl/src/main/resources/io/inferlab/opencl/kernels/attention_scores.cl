// attention_scores: the first step of scaled dot-product attention over the device KV cache,
// with grouped-query attention (query head h reads KV head h / (heads / kvHeads)).
// scores[(t * heads + h) * ctx + p] = (q[t][h] . k[p][kvh]) * scale for each cached position
// p <= pos0 + t (causal: token t of the batch sits at position pos0 + t). One work-item per
// (p, h, t), dimension 0 rounded up to whole work-groups; keys are laid out
// [position][kvHeads * headDim].
#pragma OPENCL FP_CONTRACT OFF

kernel void attention_scores(global const float* q, global const float* keys, global float* scores,
                             int heads, int kvHeads, int headDim, int ctx, int pos0, float scale) {
    const int p = get_global_id(0);
    const int h = get_global_id(1);
    const int t = get_global_id(2);
    if (p > pos0 + t) {
        return;
    }
    const int kvh = h / (heads / kvHeads);
    global const float* qv = q + ((size_t)t * heads + h) * (size_t)headDim;
    global const float* kv = keys + (size_t)p * (size_t)(kvHeads * headDim) + (size_t)kvh * headDim;
    float s = 0.0f;
    for (int d = 0; d < headDim; d++) {
        s += qv[d] * kv[d];
    }
    scores[((size_t)t * heads + h) * (size_t)ctx + p] = s * scale;
}
