package io.inferlab.harness.adaptive;

import io.inferlab.api.InferLabException;

/** A selection configuration (file or option) that is invalid; the message names the field. */
public final class AdaptiveConfigException extends InferLabException {
    public AdaptiveConfigException(String message) {
        super(message);
    }

    public AdaptiveConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
