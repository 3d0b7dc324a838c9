// F16 (GGML type 1): IEEE half floats, row-major; read with vload_half, which needs no
// cl_khr_fp16, and converted to float exactly. The loads of dense_matvec.cl.
#define ELEM half

inline float8 load8(int c, global const half* w) {
    return vload_half8(c, w);
}

inline float load1(int c, global const half* w) {
    return vload_half(c, w);
}
