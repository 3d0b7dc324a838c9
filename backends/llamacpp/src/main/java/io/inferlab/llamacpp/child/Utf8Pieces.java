package io.inferlab.llamacpp.child;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the byte pieces of successive tokens into text as it streams: a token may carry only part
 * of a UTF-8 character (byte-fallback tokens, byte-level BPE), so the bytes of an incomplete
 * character at the end are held back until the token that completes it. Invalid bytes become
 * U+FFFD, as does a character cut off at {@link #finish}.
 */
final class Utf8Pieces {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** Appends a token's bytes; returns the text that is now complete ("" when none). */
    String next(byte[] piece) {
        pending.writeBytes(piece);
        byte[] all = pending.toByteArray();
        int complete = completePrefix(all);
        pending.reset();
        pending.write(all, complete, all.length - complete);
        return new String(all, 0, complete, StandardCharsets.UTF_8);
    }

    /** The bytes still held back, decoded (each incomplete character as U+FFFD), and a reset. */
    String finish() {
        String rest = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        return rest;
    }

    /**
     * Length of the longest prefix that does not end inside a character: only a trailing lead byte
     * and its continuation bytes, fewer than the lead byte announces, are held back (RFC 3629
     * section 3: the lead byte's high bits give the sequence length).
     */
    static int completePrefix(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int c = b[n - back] & 0xFF;
            if ((c & 0xC0) == 0x80) {
                continue; // continuation byte: look further back for its lead byte
            }
            int need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }

    @Override
    public String toString() {
        return "Utf8Pieces[pending=" + Arrays.toString(pending.toByteArray()) + "]";
    }
}
