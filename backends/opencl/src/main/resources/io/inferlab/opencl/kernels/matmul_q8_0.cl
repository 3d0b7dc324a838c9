// matmul_q8_0: the batched product for prefill of a Q8_0 matrix (quant_matmul.cl, over block_q8_0.cl).
#include "block_q8_0.cl"
#define TYPE q8_0
#include "quant_matmul.cl"
