package io.inferlab.engine.tokenizer;

import java.util.Arrays;

/**
 * What both GGUF tokenizer kinds share: the vocabulary, the BOS rule, end-of-generation ids and
 * decoding. Decoding concatenates each token's bytes and decodes the result as UTF-8 once, so a
 * character split across byte tokens comes out whole; the streaming decoder does the same
 * incrementally and therefore yields the same text.
 */
public abstract sealed class VocabularyTokenizer implements Tokenizer permits SentencePieceTokenizer, Gpt2Tokenizer {
    private static final byte[] NOTHING = new byte[0];

    final Vocabulary vocab;
    private final boolean addBos;

    VocabularyTokenizer(Vocabulary vocab, boolean addBos) {
        this.vocab = vocab;
        this.addBos = addBos;
        if (addBos && vocab.special().bos() < 0) {
            throw new IllegalArgumentException("the tokenizer adds BOS but the vocabulary has no BOS id");
        }
    }

    public Vocabulary vocabulary() {
        return vocab;
    }

    /** Whether {@link #encodePrompt} starts with BOS ({@code tokenizer.ggml.add_bos_token} or the model default). */
    public boolean addsBos() {
        return addBos;
    }

    @Override
    public int vocabularySize() {
        return vocab.size();
    }

    @Override
    public int bos() {
        return vocab.special().bos();
    }

    @Override
    public int eos() {
        return vocab.special().eos();
    }

    @Override
    public boolean isEndOfGeneration(int token) {
        return vocab.special().endsGeneration(token);
    }

    /** Starts an encoding: BOS first when asked for. */
    IntList startEncoding(int expectedTokens, boolean addBos) {
        IntList out = new IntList(expectedTokens + 1);
        if (addBos) {
            if (bos() < 0) {
                throw new IllegalArgumentException("BOS requested but the vocabulary has no BOS token");
            }
            out.add(bos());
        }
        return out;
    }

    @Override
    public int[] encodePrompt(String text) {
        return encode(text, addBos, false);
    }

    @Override
    public String decode(int[] tokens) {
        return decode(tokens, false);
    }

    /**
     * Text of {@code tokens}; with {@code renderSpecial}, control tokens render as their text
     * (e.g. {@code <|start|>}), which chat formats such as harmony need to see.
     */
    public String decode(int[] tokens, boolean renderSpecial) {
        byte[] buf = new byte[Math.max(16, tokens.length * 4)];
        int n = 0;
        int previous = -1;
        for (int token : tokens) {
            byte[] piece = pieceBytes(previous, token, renderSpecial);
            if (n + piece.length > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + piece.length));
            }
            System.arraycopy(piece, 0, buf, n, piece.length);
            n += piece.length;
            previous = token;
        }
        return Utf8Stream.decode(buf, n);
    }

    @Override
    public StreamingDecoder streamingDecoder() {
        return streamingDecoder(false);
    }

    /** A streaming decoder; {@code renderSpecial} as in {@link #decode(int[], boolean)}. */
    public StreamingDecoder streamingDecoder(boolean renderSpecial) {
        return new StreamingDecoder() {
            private final Utf8Stream utf8 = new Utf8Stream();
            private int previous = -1;

            @Override
            public String next(int token) {
                byte[] piece = pieceBytes(previous, token, renderSpecial);
                previous = token;
                return utf8.push(piece, 0, piece.length);
            }

            @Override
            public String finish() {
                previous = -1;
                return utf8.finish();
            }
        };
    }

    /**
     * The bytes {@code token} contributes after {@code previous} (-1 at the start). Callers must
     * not modify the returned array.
     *
     * @throws IllegalArgumentException when {@code token} is not in the vocabulary
     */
    abstract byte[] pieceBytes(int previous, int token, boolean renderSpecial);

    /** An empty piece, for tokens that render as nothing. */
    static byte[] nothing() {
        return NOTHING;
    }
}
