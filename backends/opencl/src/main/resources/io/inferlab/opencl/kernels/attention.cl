// attention: causal scaled dot-product attention of one query head of one token over the device
// KV cache, with grouped-query attention (query head h reads KV head h / (heads / kvHeads)). One
// work-group per (head h, token t); token t of the batch sits at position pos0 + t and sees the
// cached positions 0 .. pos0 + t. Keys and values are laid out [position][kvHeads * headDim].
// Three phases in one launch (one work-group per row keeps the number of work-groups, which a
// CPU device pays for one by one, at heads x tokens):
//   1. scores: s[p] = (q . k[p]) * scale, lanes taking positions lid, lid + L, ...;
//   2. softmax over s[0 .. pos0 + t]: the maximum and the sum as trees in local memory, each lane
//      normalizing its own positions (s[p] = e^(s[p] - max) / sum, as the scalar reference);
//   3. weighted sum: out[d] = sum_p s[p] * v[p][d], positions in ascending order, lanes taking
//      8 consecutive values d .. d + 7 (a vector unit on a CPU, adjacent 32-byte loads on a GPU);
//      a head size that is not a multiple of 8 leaves its last values to a scalar loop.
// The scores row lives in global scratch (ctx floats per row), so any context length fits.
#pragma OPENCL FP_CONTRACT OFF

kernel void attention(global const float* q, global const float* keys, global const float* values,
                      global float* scores, global float* out,
                      int heads, int kvHeads, int headDim, int ctx, int pos0, float scale,
                      local float* partial) {
    const int h = get_group_id(1);
    const int t = get_group_id(2);
    const int lid = get_local_id(0);
    const int lanes = get_local_size(0);
    const int len = pos0 + t + 1;
    const int kvh = h / (heads / kvHeads);
    const size_t kvDim = (size_t)kvHeads * headDim;
    global const float* qv = q + ((size_t)t * heads + h) * (size_t)headDim;
    global float* s = scores + ((size_t)t * heads + h) * (size_t)ctx;

    // 1. Scores, and each lane's maximum.
    float m = -INFINITY;
    for (int p = lid; p < len; p += lanes) {
        global const float* kv = keys + (size_t)p * kvDim + (size_t)kvh * headDim;
        float dotp = 0.0f;
        int d = 0;
        for (; d + 4 <= headDim; d += 4) {
            dotp += dot(vload4(0, qv + d), vload4(0, kv + d));
        }
        for (; d < headDim; d++) {
            dotp += qv[d] * kv[d];
        }
        const float x = dotp * scale;
        s[p] = x;
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
    m = partial[0];
    barrier(CLK_LOCAL_MEM_FENCE);

    // 2. Softmax: each lane exponentiates and later normalizes the positions it scored.
    float sum = 0.0f;
    for (int p = lid; p < len; p += lanes) {
        const float e = exp(s[p] - m);
        s[p] = e;
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
    const float inv = 1.0f / partial[0];
    for (int p = lid; p < len; p += lanes) {
        s[p] *= inv;
    }
    // Phase 3 reads every lane's probabilities from global memory.
    barrier(CLK_GLOBAL_MEM_FENCE);

    // 3. Weighted sum of the values.
    global const float* v = values + (size_t)kvh * headDim;
    global float* o = out + ((size_t)t * heads + h) * (size_t)headDim;
    for (int d = 8 * lid; d < headDim; d += 8 * lanes) {
        if (d + 8 <= headDim) {
            float8 acc = (float8)(0.0f);
            for (int p = 0; p < len; p++) {
                acc += s[p] * vload8(0, v + (size_t)p * kvDim + d);
            }
            vstore8(acc, 0, o + d);
        } else {
            for (int j = d; j < headDim; j++) {
                float acc = 0.0f;
                for (int p = 0; p < len; p++) {
                    acc += s[p] * v[(size_t)p * kvDim + j];
                }
                o[j] = acc;
            }
        }
    }
}
