package io.inferlab.api;

/** Receives generated tokens as they are produced, with the text each one adds. */
@FunctionalInterface
public interface TokenListener {
    TokenListener NONE = (token, piece) -> { };

    void onToken(int token, String piece);
}
