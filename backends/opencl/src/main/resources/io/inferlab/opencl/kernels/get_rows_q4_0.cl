// get_rows_q4_0: the embedding lookup. out[outOff + t * cols + c] = w[tokens[t]][c] for each token
// t of the batch, from a Q4_0 matrix: block_q4_0 (GGML type 2) is { half d; uint8_t qs[16]; }, 18
// bytes; value j = ((qs[j] & 0xF) - 8) * d, value j + 16 = ((qs[j] >> 4) - 8) * d (blocks start
// 2-byte aligned, so vload_half reads d in place). One work-item per value (c, t), the global size
// rounded up to whole work-groups; the host has checked every token id against the vocabulary.
#define QK 32
#define BLOCK_BYTES 18

kernel void get_rows_q4_0(global const uchar* w, int cols, global const int* tokens,
                          global float* out, int outOff) {
    const int c = get_global_id(0);
    const int t = get_global_id(1);
    if (c >= cols) {
        return;
    }
    global const uchar* blk = w + ((size_t)tokens[t] * (size_t)(cols / QK) + c / QK) * BLOCK_BYTES;
    const float d = vload_half(0, (global const half*)blk);
    const int j = c % QK;
    const uchar q = blk[2 + (j & 15)];
    const int nibble = j < 16 ? (q & 0x0F) : (q >> 4);
    out[outOff + t * cols + c] = d * (float)(nibble - 8);
}
