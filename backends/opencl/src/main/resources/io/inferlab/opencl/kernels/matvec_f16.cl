// matvec_f16: out[outOff + r] = sum_c w[r * cols + c] * x[xOff + c] for every row r of an F16 matrix
// (dense_matvec.cl, over dense_f16.cl).
#include "dense_f16.cl"
#define TYPE f16
#include "dense_matvec.cl"
