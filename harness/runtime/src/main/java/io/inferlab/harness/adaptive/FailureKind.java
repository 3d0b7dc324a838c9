package io.inferlab.harness.adaptive;

/** Why the runtime left a backend for the next one in the chain. */
public enum FailureKind {
    /** The backend cannot run here (its probe or open said unavailable). */
    UNAVAILABLE,
    /** Loading the model failed (format, unsupported model, native error). */
    LOAD_FAILED,
    /** Loading or generating ran out of host or device memory. */
    OUT_OF_MEMORY,
    /** Generation threw. */
    GENERATION_FAILED,
    /** Generation took longer than the runtime's attempt timeout. */
    TIMEOUT
}
