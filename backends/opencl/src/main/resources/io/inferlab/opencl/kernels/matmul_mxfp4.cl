// matmul_mxfp4: the batched product for prefill of an MXFP4 matrix (quant_matmul.cl, over block_mxfp4.cl).
#include "block_mxfp4.cl"
#define TYPE mxfp4
#include "quant_matmul.cl"
