package io.inferlab.engine.tokenizer;

/**
 * A token's kind from {@code tokenizer.ggml.token_type}. The ordinal is the GGUF code (llama.cpp's
 * {@code llama_token_type}: 0 undefined, 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused,
 * 6 byte), so keep the constants in this order.
 */
public enum TokenType {
    UNDEFINED, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    private static final TokenType[] BY_CODE = values();

    /** The type with GGUF code {@code code}, or null when the code is not one. */
    static TokenType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Ordinary vocabulary text: what the merge algorithms may produce from input text. */
    boolean isText() {
        return this == NORMAL || this == UNDEFINED;
    }
}
