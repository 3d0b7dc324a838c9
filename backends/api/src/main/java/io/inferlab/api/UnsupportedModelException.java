package io.inferlab.api;

/** A well-formed model that this backend cannot run (architecture, tensor type, size). */
public class UnsupportedModelException extends InferLabException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
