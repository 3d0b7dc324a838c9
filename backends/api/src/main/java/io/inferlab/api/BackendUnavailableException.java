package io.inferlab.api;

/** The backend cannot run on this machine; the message carries the probe's reason. */
public class BackendUnavailableException extends InferLabException {
    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
