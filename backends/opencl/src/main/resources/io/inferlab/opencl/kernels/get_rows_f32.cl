// get_rows_f32: the embedding lookup. out[outOff + t * cols + c] = w[tokens[t]][c] for each token t
// of the batch, from an F32 matrix (GGML type 0). One work-item per value (c, t), the global size
// rounded up to whole work-groups; the host has checked every token id against the vocabulary.
kernel void get_rows_f32(global const float* w, int cols, global const int* tokens,
                         global float* out, int outOff) {
    const int c = get_global_id(0);
    const int t = get_global_id(1);
    if (c >= cols) {
        return;
    }
    out[outOff + t * cols + c] = w[(size_t)tokens[t] * (size_t)cols + c];
}
