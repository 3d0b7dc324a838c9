// get_rows_f16: the embedding lookup. out[outOff + t * cols + c] = w[tokens[t]][c] for each token t
// of the batch, from an F16 matrix (GGML type 1), widened exactly with vload_half. One work-item
// per value (c, t); the host has checked every token id against the vocabulary.
kernel void get_rows_f16(global const half* w, int cols, global const int* tokens,
                         global float* out, int outOff) {
    const int c = get_global_id(0);
    const int t = get_global_id(1);
    if (c >= cols) {
        return;
    }
    out[outOff + t * cols + c] = vload_half((size_t)tokens[t] * (size_t)cols + c, w);
}
