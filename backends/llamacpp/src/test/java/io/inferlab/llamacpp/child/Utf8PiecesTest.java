package io.inferlab.llamacpp.child;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class Utf8PiecesTest {

    @Test
    void asciiPassesThroughAtOnce() {
        Utf8Pieces p = new Utf8Pieces();
        assertEquals(" Lily", p.next(" Lily".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("", p.finish());
    }

    @Test
    void aCharacterSplitOverByteTokensAppearsWithItsLastByte() {
        byte[] emoji = "\ud83d\ude00".getBytes(StandardCharsets.UTF_8); // 4 bytes: F0 9F 98 80
        Utf8Pieces p = new Utf8Pieces();
        assertEquals("a", p.next(new byte[] {'a', emoji[0]}));
        assertEquals("", p.next(new byte[] {emoji[1]}));
        assertEquals("", p.next(new byte[] {emoji[2]}));
        assertEquals("\ud83d\ude00b", p.next(new byte[] {emoji[3], 'b'}));
        assertEquals("", p.finish());
    }

    @Test
    void invalidBytesBecomeReplacementCharactersAndACutCharacterTooAtTheEnd() {
        Utf8Pieces p = new Utf8Pieces();
        assertEquals("x\ufffdy", p.next(new byte[] {'x', (byte) 0x80, 'y'}));
        assertEquals("", p.next(new byte[] {(byte) 0xE6, (byte) 0xA8}));
        assertEquals("\ufffd", p.finish());
        assertEquals("z", p.next(new byte[] {'z'}), "finish resets");
    }

    @Test
    void completePrefixFollowsTheLeadByte() {
        assertEquals(0, Utf8Pieces.completePrefix(new byte[] {(byte) 0xC3}));
        assertEquals(2, Utf8Pieces.completePrefix(new byte[] {(byte) 0xC3, (byte) 0xA9}));
        assertEquals(1, Utf8Pieces.completePrefix(new byte[] {'a', (byte) 0xE2, (byte) 0x82}));
        assertEquals(4, Utf8Pieces.completePrefix(new byte[] {'a', (byte) 0xE2, (byte) 0x82, (byte) 0xAC}));
        assertEquals(0, Utf8Pieces.completePrefix(new byte[0]));
    }
}
