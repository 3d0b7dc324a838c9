package io.inferlab.llamacpp.protocol;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.inferlab.api.StopReason;
import io.inferlab.llamacpp.protocol.Message.Cancel;
import io.inferlab.llamacpp.protocol.Message.Close;
import io.inferlab.llamacpp.protocol.Message.Closed;
import io.inferlab.llamacpp.protocol.Message.Detokenize;
import io.inferlab.llamacpp.protocol.Message.Device;
import io.inferlab.llamacpp.protocol.Message.Done;
import io.inferlab.llamacpp.protocol.Message.Error;
import io.inferlab.llamacpp.protocol.Message.ErrorKind;
import io.inferlab.llamacpp.protocol.Message.Generate;
import io.inferlab.llamacpp.protocol.Message.Hello;
import io.inferlab.llamacpp.protocol.Message.Load;
import io.inferlab.llamacpp.protocol.Message.Loaded;
import io.inferlab.llamacpp.protocol.Message.LogitRows;
import io.inferlab.llamacpp.protocol.Message.Logits;
import io.inferlab.llamacpp.protocol.Message.Probe;
import io.inferlab.llamacpp.protocol.Message.ProbeInfo;
import io.inferlab.llamacpp.protocol.Message.Text;
import io.inferlab.llamacpp.protocol.Message.Token;
import io.inferlab.llamacpp.protocol.Message.Tokenize;
import io.inferlab.llamacpp.protocol.Message.Tokens;

/**
 * The binary framing of {@link Message}s: per frame a magic byte, a tag byte, then the record's
 * components in declaration order (big-endian primitives; strings as a length and UTF-8 bytes;
 * arrays as a length, -1 for null, and their elements). Binary rather than JSON lines because a
 * logits reply is vocabulary x positions floats, and because llama.cpp prints to the child's stdout
 * (so the protocol has a socket of its own and no text parser ever sees a stray log line).
 */
public final class Wire {
    /** First byte of every frame: a desynchronized stream fails at once instead of misreading. */
    static final int MAGIC = 0xA7;
    /** Upper bound of any length field (strings, arrays): a corrupt length fails instead of allocating. */
    static final int MAX_LENGTH = 1 << 28;

    private Wire() {
    }

    public static void write(DataOutputStream out, Message m) throws IOException {
        out.writeByte(MAGIC);
        switch (m) {
            case Hello h -> {
                out.writeByte(1);
                writeString(out, h.secret());
                out.writeLong(h.pid());
            }
            case Probe p -> out.writeByte(2);
            case Load l -> {
                out.writeByte(3);
                writeString(out, l.path());
                out.writeInt(l.threads());
                out.writeInt(l.contextLength());
                out.writeInt(l.gpuLayers());
                out.writeBoolean(l.mmap());
            }
            case Tokenize t -> {
                out.writeByte(4);
                writeString(out, t.text());
                out.writeBoolean(t.addSpecial());
            }
            case Detokenize d -> {
                out.writeByte(5);
                writeInts(out, d.tokens());
            }
            case Generate g -> {
                out.writeByte(6);
                writeString(out, g.prompt());
                writeInts(out, g.promptTokens());
                out.writeInt(g.maxTokens());
                out.writeFloat(g.temperature());
                out.writeInt(g.topK());
                out.writeFloat(g.topP());
                out.writeLong(g.seed());
                out.writeBoolean(g.stopAtEos());
                out.writeLong(g.timeoutNs());
                out.writeBoolean(g.interruptible());
            }
            case Cancel c -> out.writeByte(7);
            case Logits l -> {
                out.writeByte(8);
                writeInts(out, l.tokens());
            }
            case Close c -> out.writeByte(9);
            case ProbeInfo p -> {
                out.writeByte(20);
                out.writeInt(p.buildNumber());
                writeString(out, p.commit());
                writeString(out, p.systemInfo());
                out.writeBoolean(p.gpuOffload());
                out.writeInt(p.devices().size());
                for (Device d : p.devices()) {
                    writeString(out, d.name());
                    writeString(out, d.description());
                    out.writeInt(d.type());
                    out.writeLong(d.memoryTotal());
                    out.writeLong(d.memoryFree());
                }
            }
            case Loaded l -> {
                out.writeByte(21);
                out.writeInt(l.buildNumber());
                writeString(out, l.architecture());
                writeString(out, l.name());
                writeString(out, l.description());
                out.writeLong(l.parameterCount());
                out.writeLong(l.sizeBytes());
                out.writeInt(l.trainContextLength());
                out.writeInt(l.contextLength());
                out.writeInt(l.vocabularySize());
                out.writeInt(l.layers());
                out.writeInt(l.gpuLayers());
            }
            case Tokens t -> {
                out.writeByte(22);
                writeInts(out, t.tokens());
            }
            case Text t -> {
                out.writeByte(23);
                writeString(out, t.text());
            }
            case Token t -> {
                out.writeByte(24);
                out.writeInt(t.id());
                writeString(out, t.piece());
                out.writeLong(t.timeNs());
                out.writeBoolean(t.visible());
            }
            case Done d -> {
                out.writeByte(25);
                out.writeByte(d.stopReason().ordinal());
                writeInts(out, d.promptTokens());
                out.writeLong(d.prefillNs());
                out.writeLong(d.e2eNs());
                writeString(out, d.tail());
            }
            case LogitRows l -> {
                out.writeByte(26);
                out.writeInt(l.rows());
                out.writeInt(l.vocabulary());
                for (float v : l.values()) {
                    out.writeFloat(v);
                }
            }
            case Closed c -> out.writeByte(27);
            case Error e -> {
                out.writeByte(28);
                out.writeByte(e.kind().ordinal());
                writeString(out, e.message());
            }
        }
        out.flush();
    }

    /**
     * Reads one frame.
     *
     * @throws EOFException when the stream ends (the other side is gone)
     * @throws IOException  on a malformed frame
     */
    public static Message read(DataInputStream in) throws IOException {
        int magic = in.readUnsignedByte();
        if (magic != MAGIC) {
            throw new IOException("protocol desynchronized: frame starts with 0x" + Integer.toHexString(magic));
        }
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case 1 -> new Hello(readString(in), in.readLong());
            case 2 -> new Probe();
            case 3 -> new Load(readString(in), in.readInt(), in.readInt(), in.readInt(), in.readBoolean());
            case 4 -> new Tokenize(readString(in), in.readBoolean());
            case 5 -> new Detokenize(readInts(in));
            case 6 -> new Generate(readString(in), readInts(in), in.readInt(), in.readFloat(), in.readInt(), in.readFloat(),
                    in.readLong(), in.readBoolean(), in.readLong(), in.readBoolean());
            case 7 -> new Cancel();
            case 8 -> new Logits(readInts(in));
            case 9 -> new Close();
            case 20 -> {
                int build = in.readInt();
                String commit = readString(in);
                String info = readString(in);
                boolean gpu = in.readBoolean();
                int n = length(in.readInt());
                List<Device> devices = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    devices.add(new Device(readString(in), readString(in), in.readInt(), in.readLong(), in.readLong()));
                }
                yield new ProbeInfo(build, commit, info, gpu, devices);
            }
            case 21 -> new Loaded(in.readInt(), readString(in), readString(in), readString(in), in.readLong(), in.readLong(), in.readInt(),
                    in.readInt(), in.readInt(), in.readInt(), in.readInt());
            case 22 -> new Tokens(readInts(in));
            case 23 -> new Text(readString(in));
            case 24 -> new Token(in.readInt(), readString(in), in.readLong(), in.readBoolean());
            case 25 -> new Done(enumAt(StopReason.values(), in.readUnsignedByte()), readInts(in), in.readLong(), in.readLong(),
                    readString(in));
            case 26 -> {
                int rows = length(in.readInt());
                int vocab = length(in.readInt());
                if ((long) rows * vocab > MAX_LENGTH) {
                    throw new IOException("logits frame of " + rows + " x " + vocab + " values is too large");
                }
                float[] values = new float[rows * vocab];
                for (int i = 0; i < values.length; i++) {
                    values[i] = in.readFloat();
                }
                yield new LogitRows(rows, vocab, values);
            }
            case 27 -> new Closed();
            case 28 -> new Error(enumAt(ErrorKind.values(), in.readUnsignedByte()), readString(in));
            default -> throw new IOException("unknown message tag " + tag);
        };
    }

    private static <E> E enumAt(E[] values, int ordinal) throws IOException {
        if (ordinal >= values.length) {
            throw new IOException("enum ordinal " + ordinal + " out of range (" + values.length + " values)");
        }
        return values[ordinal];
    }

    private static int length(int n) throws IOException {
        if (n < 0 || n > MAX_LENGTH) {
            throw new IOException("length " + n + " out of range");
        }
        return n;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[length(in.readInt())];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeInts(DataOutputStream out, int[] a) throws IOException {
        if (a == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(a.length);
        for (int v : a) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        int[] a = new int[length(n)];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readInt();
        }
        return a;
    }
}
