// get_rows_q8_0: the embedding lookup. out[outOff + t * cols + c] = w[tokens[t]][c] for each token
// t of the batch, from a Q8_0 matrix: block_q8_0 (GGML type 8) is { half d; int8_t qs[32]; }, 34
// bytes, value j = qs[j] * d (blocks start 2-byte aligned, so vload_half reads d in place). One
// work-item per value (c, t), the global size rounded up to whole work-groups; the host has checked
// every token id against the vocabulary.
#define QK 32
#define BLOCK_BYTES 34

kernel void get_rows_q8_0(global const uchar* w, int cols, global const int* tokens,
                          global float* out, int outOff) {
    const int c = get_global_id(0);
    const int t = get_global_id(1);
    if (c >= cols) {
        return;
    }
    global const uchar* blk = w + ((size_t)tokens[t] * (size_t)(cols / QK) + c / QK) * BLOCK_BYTES;
    const float d = vload_half(0, (global const half*)blk);
    out[outOff + t * cols + c] = d * (float)as_char(blk[2 + c % QK]);
}
