// matvec_mxfp4: out[outOff + r] = sum_c w[r][c] * x[xOff + c] for every row r of an MXFP4 matrix
// (quant_matvec.cl, over block_mxfp4.cl).
#include "block_mxfp4.cl"
#define TYPE mxfp4
#include "quant_matvec.cl"
