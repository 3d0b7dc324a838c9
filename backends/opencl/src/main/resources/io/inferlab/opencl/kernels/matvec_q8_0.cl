// matvec_q8_0: out[outOff + r] = sum_c w[r][c] * x[xOff + c] for every row r of a Q8_0 matrix
// (quant_matvec.cl, over block_q8_0.cl).
#include "block_q8_0.cl"
#define TYPE q8_0
#include "quant_matvec.cl"
