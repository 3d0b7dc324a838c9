package io.inferlab.api;

/** A backend failed while running; once failed it stays failed and every call says why. */
public class BackendFailedException extends InferLabException {
    public BackendFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
