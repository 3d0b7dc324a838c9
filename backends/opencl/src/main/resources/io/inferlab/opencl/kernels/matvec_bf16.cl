// matvec_bf16: out[outOff + r] = sum_c w[r * cols + c] * x[xOff + c] for every row r of a BF16 matrix
// (dense_matvec.cl, over dense_bf16.cl).
#include "dense_bf16.cl"
#define TYPE bf16
#include "dense_matvec.cl"
