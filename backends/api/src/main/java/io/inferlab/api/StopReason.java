package io.inferlab.api;

/** Why a generation ended. */
public enum StopReason {
    /** The model produced an end-of-sequence token. */
    EOS,
    /** {@link GenerationRequest#maxTokens()} tokens were generated. */
    MAX_TOKENS,
    /** The KV cache (context length) is full. */
    CONTEXT_FULL,
    /** The request's timeout passed. */
    TIMEOUT,
    /** The request's {@link CancellationToken} was cancelled. */
    CANCELLED
}
