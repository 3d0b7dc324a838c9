package io.inferlab.engine.tokenizer;

/**
 * Text to token ids and back, built from a GGUF file's {@code tokenizer.ggml.*} metadata
 * ({@link Tokenizers#fromMetadata}).
 */
public interface Tokenizer {

    /** Number of tokens in the vocabulary. */
    int vocabularySize();

    /** Beginning-of-sequence id, or -1 when the vocabulary has none. */
    int bos();

    /** End-of-sequence id, or -1 when the vocabulary has none. */
    int eos();

    /** Whether generating {@code token} ends a sequence (EOS, and end-of-generation tokens such as EOT). */
    boolean isEndOfGeneration(int token);

    /**
     * Encodes a prompt: BOS first when the model asks for it ({@code tokenizer.ggml.add_bos_token},
     * or the tokenizer model's default), then the text. With {@code parseSpecial}, text spelling a
     * special (control) token such as {@code <|start|>} becomes that token; otherwise it is plain text.
     */
    int[] encode(String text, boolean addBos, boolean parseSpecial);

    /** {@link #encode} with the model's own BOS rule and no special-token parsing. */
    int[] encodePrompt(String text);

    /** Text of a token sequence, as a whole (control tokens render as nothing). */
    String decode(int[] tokens);

    /**
     * A decoder for streaming: feed tokens one at a time and get the text each one completes.
     * Bytes of a UTF-8 character split across byte tokens are held back until complete.
     */
    StreamingDecoder streamingDecoder();

    /** Incremental decoding state for one sequence. */
    interface StreamingDecoder {
        /** Text completed by {@code token} (may be empty while a UTF-8 sequence is incomplete). */
        String next(int token);

        /**
         * Ends the sequence: the text of any bytes still held back (an incomplete UTF-8 sequence
         * becomes U+FFFD, as in {@link Tokenizer#decode}), so that the outputs of {@link #next}
         * followed by this equal {@code decode} of the same tokens. The decoder starts afresh.
         */
        default String finish() {
            return "";
        }
    }
}
