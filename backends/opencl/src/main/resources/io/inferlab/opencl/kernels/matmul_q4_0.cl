// matmul_q4_0: the batched product for prefill of a Q4_0 matrix (quant_matmul.cl, over block_q4_0.cl).
#include "block_q4_0.cl"
#define TYPE q4_0
#include "quant_matmul.cl"
