// BF16 (GGML type 30): bfloat16, the upper 16 bits of an IEEE float, row-major; widened to float
// exactly by a shift. The loads of dense_matvec.cl.
#define ELEM ushort

inline float8 load8(int c, global const ushort* w) {
    return as_float8(convert_uint8(vload8(c, w)) << (uint8)(16));
}

inline float load1(int c, global const ushort* w) {
    return as_float(((uint)w[c]) << 16);
}
