package io.inferlab.llamacpp.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.inferlab.api.StopReason;
import io.inferlab.llamacpp.protocol.Message.Device;
import io.inferlab.llamacpp.protocol.Message.ErrorKind;

class WireTest {

    private static Message roundTrip(Message m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Wire.write(new DataOutputStream(bytes), m);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        Message back = Wire.read(in);
        assertEquals(-1, in.read(), "the frame is read to its end and no further");
        return back;
    }

    @Test
    void recordsWithoutArraysRoundTripEqual() throws IOException {
        List<Message> all = List.of(new Message.Hello("secret-\u00e9", 42L), new Message.Probe(),
                new Message.Load("/m/\u6a21\u578b.gguf", 2, 512, -1, true), new Message.Tokenize("Once upon a time", true),
                new Message.Cancel(), new Message.Close(), new Message.Closed(),
                new Message.ProbeInfo(4916, "c6af2161", "CPU : AVX2 = 1 |", false,
                        List.of(new Device("CPU", "AMD EPYC", 0, 0, 0), new Device("Metal", "Apple M2", 1, 1L << 34, 1L << 33))),
                new Message.Loaded(4916, "llama", "stories260K", "llama ?B all F32", 292_800, 1_171_200, 512, 512, 512, 5, 0),
                new Message.Text("a \ud83d\ude00 b"), new Message.Token(261, " time", 123_456_789L, true),
                new Message.Error(ErrorKind.MODEL_FORMAT, "invalid magic characters"));
        for (Message m : all) {
            assertEquals(m, roundTrip(m), m.getClass().getSimpleName());
        }
    }

    @Test
    void arraysRoundTripByContentAndNullStaysNull() throws IOException {
        var g = (Message.Generate) roundTrip(new Message.Generate("", new int[] {1, 403, 407}, 100, 0.8f, 40, 0.95f,
                -7L, false, 5_000_000_000L, true));
        assertArrayEquals(new int[] {1, 403, 407}, g.promptTokens());
        assertEquals(100, g.maxTokens());
        assertEquals(0.8f, g.temperature());
        assertEquals(40, g.topK());
        assertEquals(0.95f, g.topP());
        assertEquals(-7L, g.seed());
        assertEquals(5_000_000_000L, g.timeoutNs());
        assertTrue(g.interruptible());
        var text = (Message.Generate) roundTrip(new Message.Generate("Once", null, 1, 0, 0, 1, 0, true, 0, false));
        assertNull(text.promptTokens());
        assertEquals("Once", text.prompt());

        var done = (Message.Done) roundTrip(new Message.Done(StopReason.CONTEXT_FULL, new int[] {1, 2}, 10, 20, "\ufffd"));
        assertEquals(StopReason.CONTEXT_FULL, done.stopReason());
        assertArrayEquals(new int[] {1, 2}, done.promptTokens());
        assertEquals("\ufffd", done.tail());

        var rows = (Message.LogitRows) roundTrip(new Message.LogitRows(2, 3, new float[] {1, -2, 3.5f, Float.NEGATIVE_INFINITY, 0, -0f}));
        assertArrayEquals(new float[] {1, -2, 3.5f, Float.NEGATIVE_INFINITY, 0, -0f}, rows.values());
        assertArrayEquals(new int[] {5, 6}, ((Message.Tokens) roundTrip(new Message.Tokens(new int[] {5, 6}))).tokens());
        assertArrayEquals(new int[0], ((Message.Detokenize) roundTrip(new Message.Detokenize(new int[0]))).tokens());
        assertArrayEquals(new int[] {9}, ((Message.Logits) roundTrip(new Message.Logits(new int[] {9}))).tokens());
    }

    @Test
    void logitRowsMustMatchTheirShape() {
        assertThrows(IllegalArgumentException.class, () -> new Message.LogitRows(2, 3, new float[5]));
    }

    @Test
    void anEndedStreamIsEofAndGarbageIsAnError() {
        assertThrows(EOFException.class, () -> Wire.read(new DataInputStream(new ByteArrayInputStream(new byte[0]))));
        IOException magic = assertThrows(IOException.class,
                () -> Wire.read(new DataInputStream(new ByteArrayInputStream("llama_model_load: ...".getBytes()))));
        assertTrue(magic.getMessage().contains("desynchronized"), magic.getMessage());
        IOException tag = assertThrows(IOException.class,
                () -> Wire.read(new DataInputStream(new ByteArrayInputStream(new byte[] {(byte) Wire.MAGIC, 99}))));
        assertTrue(tag.getMessage().contains("unknown message tag 99"), tag.getMessage());
        // A Text frame announcing a 2 GiB string: refused before anything is allocated.
        byte[] huge = {(byte) Wire.MAGIC, 23, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        IOException length = assertThrows(IOException.class, () -> Wire.read(new DataInputStream(new ByteArrayInputStream(huge))));
        assertTrue(length.getMessage().contains("out of range"), length.getMessage());
        // Cut in the middle of a frame: EOF, not a half-built message.
        assertInstanceOf(EOFException.class, assertThrows(IOException.class,
                () -> Wire.read(new DataInputStream(new ByteArrayInputStream(new byte[] {(byte) Wire.MAGIC, 24, 0, 0})))));
    }
}
