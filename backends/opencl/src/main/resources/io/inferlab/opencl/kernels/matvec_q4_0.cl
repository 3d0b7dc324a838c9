// matvec_q4_0: out[outOff + r] = sum_c w[r][c] * x[xOff + c] for every row r of a Q4_0 matrix
// (quant_matvec.cl, over block_q4_0.cl).
#include "block_q4_0.cl"
#define TYPE q4_0
#include "quant_matvec.cl"
