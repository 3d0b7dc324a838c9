// matvec_f32: out[outOff + r] = sum_c w[r * cols + c] * x[xOff + c] for every row r of an F32 matrix
// (dense_matvec.cl, over dense_f32.cl).
#include "dense_f32.cl"
#define TYPE f32
#include "dense_matvec.cl"
