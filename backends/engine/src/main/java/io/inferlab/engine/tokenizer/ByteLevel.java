package io.inferlab.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * GPT-2's reversible byte-to-character mapping ({@code bytes_to_unicode} in OpenAI's GPT-2
 * encoder): byte-level BPE vocabularies spell every byte as one visible character. Bytes that are
 * printable Latin-1 ('!'..'~', '¡'..'¬', '®'..'ÿ') map to the character with the same code;
 * the other 68 bytes, in increasing order, map to U+0100, U+0101, ... (so a space is 'Ġ' U+0120
 * and a newline 'Ċ' U+010A).
 */
final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[256 + 68];

    static {
        Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = (char) (printable ? b : next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte a character stands for, or -1 when it is not one of the 256 byte characters. */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The byte-level spelling of raw bytes. */
    static String encode(byte[] bytes) {
        char[] cs = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            cs[i] = charOf(bytes[i]);
        }
        return new String(cs);
    }

    /**
     * The bytes a byte-level spelling stands for. Characters outside the mapping (only in
     * malformed vocabularies) are kept as their own UTF-8 bytes rather than dropped.
     */
    static byte[] decode(String spelled) {
        byte[] out = new byte[spelled.length()];
        int n = 0;
        for (int i = 0; i < spelled.length(); i++) {
            int b = byteOf(spelled.charAt(i));
            if (b < 0) {
                return decodeLenient(spelled);
            }
            out[n++] = (byte) b;
        }
        return out;
    }

    private static byte[] decodeLenient(String spelled) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(spelled.length() + 8);
        spelled.codePoints().forEach(cp -> {
            int b = cp < Character.MIN_SUPPLEMENTARY_CODE_POINT ? byteOf((char) cp) : -1;
            if (b >= 0) {
                out.write(b);
            } else {
                out.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
            }
        });
        return out.toByteArray();
    }
}
