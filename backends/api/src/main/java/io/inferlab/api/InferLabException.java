package io.inferlab.api;

/** Base of InferLab's typed errors: each one's message names what was wrong and where. */
public abstract class InferLabException extends RuntimeException {
    protected InferLabException(String message) {
        super(message);
    }

    protected InferLabException(String message, Throwable cause) {
        super(message, cause);
    }
}
