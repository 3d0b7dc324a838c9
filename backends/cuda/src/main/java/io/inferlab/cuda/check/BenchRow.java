package io.inferlab.cuda.check;

/**
 * One backend's llama-bench-style numbers on one model.
 *
 * @param pp128TokensPerSecond  prefill of 128 tokens
 * @param tg64TokensPerSecond   decode of 64 tokens through the engine's generation loop (logits to the host, sampler there)
 * @param tg64ArgmaxTokensPerSecond decode with the argmax on the device (cuda only; NaN elsewhere)
 * @param bytesPerToken         weight bytes one decode step reads
 * @param bandwidthFraction     bytesPerToken * tg64 / the device's peak memory bandwidth (NaN when unknown)
 */
public record BenchRow(String backend, String model, String weightType, double pp128TokensPerSecond,
                       double tg64TokensPerSecond, double tg64ArgmaxTokensPerSecond, long bytesPerToken,
                       double bandwidthFraction, String computeMode) {
}
