// attention_sinks: gpt-oss's attention of one query head of one token over the device KV cache:
// causal, grouped-query (query head h reads KV head h / (heads / kvHeads)), with
//   - a learned sink logit per head (sinks[h]): one more logit in the softmax that has no value,
//     so it takes probability mass from the real positions and adds nothing to the output
//     (llama.cpp's soft_max_ext with sinks; the engine's Attention.head);
//   - an optional sliding window: with window > 0 the token at position p sees positions
//     max(0, p - window + 1) .. p (LLAMA_SWA_TYPE_STANDARD: a key at p0 is masked from the query
//     at p1 when p1 - p0 >= window); window = 0 attends to every cached position 0 .. p.
// One work-group per (head h, token t); token t of the batch sits at position pos0 + t. Keys and
// values are laid out [position][kvHeads * headDim]. Three phases in one launch, as attention.cl:
//   1. scores s[p - first] = (q . k[p]) * scale, lanes taking positions first + lid, + L, ...;
//   2. softmax over the scores and the sink: the maximum (sink included) and the sum of
//      e^(s - max) as trees in local memory, the sink's e^(sink - max) added to the sum once;
//   3. weighted sum out[d] = sum_p s[p] v[p][d], positions ascending, lanes taking 8 consecutive
//      values (a head size that is not a multiple of 8 leaves its last values to a scalar loop).
// The scores row lives in global scratch (ctx floats per row).
#pragma OPENCL FP_CONTRACT OFF

kernel void attention_sinks(global const float* q, global const float* keys, global const float* values,
                            global const float* sinks, global float* scores, global float* out,
                            int heads, int kvHeads, int headDim, int ctx, int pos0, int window, float scale,
                            local float* partial) {
    const int h = get_group_id(1);
    const int t = get_group_id(2);
    const int lid = get_local_id(0);
    const int lanes = get_local_size(0);
    const int last = pos0 + t;
    const int first = window > 0 ? max(0, last - window + 1) : 0;
    const int len = last - first + 1;
    const int kvh = h / (heads / kvHeads);
    const size_t kvDim = (size_t)kvHeads * headDim;
    const float sink = sinks[h];
    global const float* qv = q + ((size_t)t * heads + h) * (size_t)headDim;
    global float* s = scores + ((size_t)t * heads + h) * (size_t)ctx;

    // 1. Scores, and each lane's maximum.
    float m = -INFINITY;
    for (int i = lid; i < len; i += lanes) {
        global const float* kv = keys + (size_t)(first + i) * kvDim + (size_t)kvh * headDim;
        float dotp = 0.0f;
        int d = 0;
        for (; d + 4 <= headDim; d += 4) {
            dotp += dot(vload4(0, qv + d), vload4(0, kv + d));
        }
        for (; d < headDim; d++) {
            dotp += qv[d] * kv[d];
        }
        const float x = dotp * scale;
        s[i] = x;
        m = fmax(m, x);
    }
    partial[lid] = m;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int k = lanes >> 1; k > 0; k >>= 1) {
        if (lid < k) {
            partial[lid] = fmax(partial[lid], partial[lid + k]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    m = fmax(partial[0], sink);
    barrier(CLK_LOCAL_MEM_FENCE);

    // 2. Softmax over the positions and the sink.
    float sum = 0.0f;
    for (int i = lid; i < len; i += lanes) {
        const float e = exp(s[i] - m);
        s[i] = e;
        sum += e;
    }
    partial[lid] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int k = lanes >> 1; k > 0; k >>= 1) {
        if (lid < k) {
            partial[lid] += partial[lid + k];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float inv = 1.0f / (partial[0] + exp(sink - m));
    for (int i = lid; i < len; i += lanes) {
        s[i] *= inv;
    }
    // Phase 3 reads every lane's probabilities from global memory.
    barrier(CLK_GLOBAL_MEM_FENCE);

    // 3. Weighted sum of the values of the window's positions.
    global const float* v = values + (size_t)first * kvDim + (size_t)kvh * headDim;
    global float* o = out + ((size_t)t * heads + h) * (size_t)headDim;
    for (int d = 8 * lid; d < headDim; d += 8 * lanes) {
        if (d + 8 <= headDim) {
            float8 acc = (float8)(0.0f);
            for (int i = 0; i < len; i++) {
                acc += s[i] * vload8(0, v + (size_t)i * kvDim + d);
            }
            vstore8(acc, 0, o + d);
        } else {
            for (int j = d; j < headDim; j++) {
                float acc = 0.0f;
                for (int i = 0; i < len; i++) {
                    acc += s[i] * v[(size_t)i * kvDim + j];
                }
                o[j] = acc;
            }
        }
    }
}
