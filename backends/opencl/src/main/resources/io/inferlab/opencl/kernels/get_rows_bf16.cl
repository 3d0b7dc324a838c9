// get_rows_bf16: the embedding lookup. out[outOff + t * cols + c] = w[tokens[t]][c] for each token
// t of the batch, from a BF16 matrix (GGML type 30: the upper 16 bits of an IEEE float, widened
// exactly by a shift). One work-item per value (c, t), the global size rounded up to whole
// work-groups; the host has checked every token id.
kernel void get_rows_bf16(global const ushort* w, int cols, global const int* tokens,
                          global float* out, int outOff) {
    const int c = get_global_id(0);
    const int t = get_global_id(1);
    if (c >= cols) {
        return;
    }
    out[outOff + t * cols + c] = as_float(((uint)w[(size_t)tokens[t] * (size_t)cols + c]) << 16);
}
