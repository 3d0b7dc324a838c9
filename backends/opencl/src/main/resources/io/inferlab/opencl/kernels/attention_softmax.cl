// attention_softmax: the second step of attention: a numerically stable softmax, in place, over
// the pos0 + t + 1 scores of each (query head h, token t) row: subtract the row's maximum,
// exponentiate, divide by the sum. One work-group per row; maximum and sum are trees in local
// memory.
#pragma OPENCL FP_CONTRACT OFF

kernel void attention_softmax(global float* scores, int heads, int ctx, int pos0, local float* partial) {
    const int h = get_group_id(1);
    const int t = get_group_id(2);
    const int lid = get_local_id(0);
    const int lanes = get_local_size(0);
    const int len = pos0 + t + 1;
    global float* s = scores + ((size_t)t * heads + h) * (size_t)ctx;
    float m = -INFINITY;
    for (int i = lid; i < len; i += lanes) {
        m = fmax(m, s[i]);
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
    const float inv = 1.0f / partial[0];
    for (int i = lid; i < len; i += lanes) {
        s[i] *= inv;
    }
}
