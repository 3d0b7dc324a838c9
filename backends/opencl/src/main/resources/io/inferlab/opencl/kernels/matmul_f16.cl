// matmul_f16: the batched product for prefill of an F16 matrix (dense_matmul.cl, over dense_f16.cl).
#include "dense_f16.cl"
#define TYPE f16
#include "dense_matmul.cl"
