package io.inferlab.engine.tokenizer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Incremental UTF-8 decoding of token bytes. Byte tokens ({@code <0xE2>}) and byte-level BPE
 * tokens can split a character across tokens, so bytes of an incomplete sequence are held back
 * until the rest arrives. Malformed bytes become U+FFFD. Whole-sequence decoding goes through the
 * same decoder, so streaming a sequence and decoding it at once give the same text (a
 * {@link CharsetDecoder} fed in chunks yields what it yields for the whole input).
 */
final class Utf8Stream {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(16);

    /** Text of {@code bytes} decoded at once; an incomplete final sequence becomes U+FFFD. */
    static String decode(byte[] bytes, int length) {
        Utf8Stream s = new Utf8Stream();
        return s.push(bytes, 0, length) + s.finish();
    }

    /** Text completed by these bytes; a trailing incomplete character is kept for later. */
    String push(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return "";
        }
        if (pending.remaining() < length) {
            ByteBuffer grown = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + length));
            grown.put(pending.flip());
            pending = grown;
        }
        pending.put(bytes, offset, length);
        pending.flip();
        String text = drain(false);
        pending.compact();
        return text;
    }

    /** Text of the bytes still held back (U+FFFD for a truncated character); resets for reuse. */
    String finish() {
        pending.flip();
        String text = drain(true);
        pending.clear();
        decoder.reset();
        return text;
    }

    private String drain(boolean endOfInput) {
        // At most one char per input byte (a 4-byte sequence gives a surrogate pair, 2 chars), so
        // the overflow branches are a safeguard rather than the usual path.
        CharBuffer out = CharBuffer.allocate(pending.remaining() + 2);
        StringBuilder spilled = new StringBuilder(0);
        while (decoder.decode(pending, out, endOfInput).isOverflow()) {
            spilled.append(out.flip());
            out.clear();
        }
        while (endOfInput && decoder.flush(out).isOverflow()) {
            spilled.append(out.flip());
            out.clear();
        }
        return spilled.append(out.flip()).toString();
    }
}
