// F32 (GGML type 0): little-endian IEEE floats, row-major, cols contiguous. The loads of dense_matvec.cl.
#define ELEM float

inline float8 load8(int c, global const float* w) {
    return vload8(c, w);
}

inline float load1(int c, global const float* w) {
    return w[c];
}
