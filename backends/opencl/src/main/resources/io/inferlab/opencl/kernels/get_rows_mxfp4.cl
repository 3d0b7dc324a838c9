// get_rows_mxfp4: the embedding lookup. out[outOff + t * cols + c] = w[tokens[t]][c] for each token
// t of the batch, from an MXFP4 matrix: block_mxfp4 (GGML type 39) is { uint8_t e; uint8_t qs[16]; },
// 17 bytes; value j = 2^(e - 127) * e2m1(qs[j] & 0xF), value j + 16 = 2^(e - 127) * e2m1(qs[j] >> 4)
// (e = 0 read as 2^-127; E2M1: sign bit 3, then {0, 0.5, 1, 1.5, 2, 3, 4, 6}). One work-item per
// value (c, t), the global size rounded up to whole work-groups; the host has checked every token
// id against the vocabulary.
#define QK 32
#define BLOCK_BYTES 17

constant float E2M1[16] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f,
                           -0.0f, -0.5f, -1.0f, -1.5f, -2.0f, -3.0f, -4.0f, -6.0f};

kernel void get_rows_mxfp4(global const uchar* w, int cols, global const int* tokens,
                           global float* out, int outOff) {
    const int c = get_global_id(0);
    const int t = get_global_id(1);
    if (c >= cols) {
        return;
    }
    global const uchar* blk = w + ((size_t)tokens[t] * (size_t)(cols / QK) + c / QK) * BLOCK_BYTES;
    const uchar e = blk[0];
    const float d = e == 0 ? 0x1p-127f : as_float((uint)e << 23);
    const int j = c % QK;
    const uchar q = blk[1 + (j & 15)];
    out[outOff + t * cols + c] = d * E2M1[j < 16 ? (q & 0x0F) : (q >> 4)];
}
