package io.inferlab.llamacpp.child;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.inferlab.llamacpp.protocol.Message;
import io.inferlab.llamacpp.protocol.Message.Cancel;
import io.inferlab.llamacpp.protocol.Message.Close;
import io.inferlab.llamacpp.protocol.Message.Closed;
import io.inferlab.llamacpp.protocol.Message.Detokenize;
import io.inferlab.llamacpp.protocol.Message.Device;
import io.inferlab.llamacpp.protocol.Message.ErrorKind;
import io.inferlab.llamacpp.protocol.Message.Generate;
import io.inferlab.llamacpp.protocol.Message.Hello;
import io.inferlab.llamacpp.protocol.Message.Load;
import io.inferlab.llamacpp.protocol.Message.Logits;
import io.inferlab.llamacpp.protocol.Message.Probe;
import io.inferlab.llamacpp.protocol.Message.ProbeInfo;
import io.inferlab.llamacpp.protocol.Message.Text;
import io.inferlab.llamacpp.protocol.Message.Tokenize;
import io.inferlab.llamacpp.protocol.Message.Tokens;
import io.inferlab.llamacpp.protocol.Wire;

/**
 * The child JVM's entry point: connects back to the parent's loopback port, then serves requests
 * until {@link Close} or until the parent goes away. The socket's reader (this main thread) only
 * decodes frames; one engine thread runs llama.cpp and writes every reply, so a {@link Cancel} is
 * seen while a generation runs. The process ends with {@link Runtime#halt}: the native library
 * may keep non-daemon threads alive after its model is freed (java-llama.cpp issue #116).
 *
 * <p>Arguments: {@code <port> <secret>}.
 */
public final class ChildMain {
    /** Exit status when the protocol broke (the parent reports it with the process's exit code). */
    static final int EXIT_PROTOCOL = 3;
    /**
     * Lines written around a model load on the child's stderr. GGML's GGUF parser reports why a
     * file is bad with a plain {@code fprintf(stderr)}, not through the log callback, so the parent
     * reads those lines from the child's output, between these markers (stdout and stderr share one
     * pipe, so the order is kept).
     */
    public static final String LOAD_OUTPUT_BEGIN = "-- inferlab: llama.cpp model load begins --";
    public static final String LOAD_OUTPUT_END = "-- inferlab: llama.cpp model load ended --";

    private final DataOutputStream out;
    private final ExecutorService engine = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "llamacpp-engine");
        t.setDaemon(true);
        return t;
    });
    private final LogCapture logs = new LogCapture(System.err);
    /** Owned by the engine thread. */
    private LlamaNative api;
    private Throwable apiFailure;
    private NativeModel model;
    /** The most recently submitted generation's cancel flag (set by the reader thread). */
    private volatile NativeModel.CancelFlag currentCancel = new NativeModel.CancelFlag();

    private ChildMain(DataOutputStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ChildMain <port> <secret>");
            Runtime.getRuntime().halt(2);
        }
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 30_000);
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            Wire.write(out, new Hello(args[1], ProcessHandle.current().pid()));
            new ChildMain(out).serve(in);
        } catch (EOFException e) {
            // The parent closed the connection (or died): nothing else to do.
            Runtime.getRuntime().halt(0);
        } catch (Throwable e) {
            System.err.println("llama.cpp child: " + e);
            Runtime.getRuntime().halt(EXIT_PROTOCOL);
        }
        Runtime.getRuntime().halt(0);
    }

    private void serve(DataInputStream in) throws IOException {
        while (true) {
            Message m = Wire.read(in);
            switch (m) {
                case Cancel c -> currentCancel.cancel();
                case Generate g -> {
                    NativeModel.CancelFlag flag = new NativeModel.CancelFlag();
                    currentCancel = flag;
                    engine.execute(() -> reply(() -> generate(g, flag)));
                }
                case Close c -> engine.execute(this::close);
                default -> engine.execute(() -> reply(() -> handle(m)));
            }
        }
    }

    /** A request's work; returns its final reply. */
    private interface Work {
        Message run() throws Throwable;
    }

    private void reply(Work work) {
        Message result;
        try {
            result = work.run();
        } catch (NativeModel.Failure f) {
            result = new Message.Error(f.kind, f.getMessage());
        } catch (UnsatisfiedLinkError | IllegalStateException e) {
            result = new Message.Error(ErrorKind.LIBRARY_UNAVAILABLE, String.valueOf(e.getMessage()));
        } catch (Throwable e) {
            result = new Message.Error(ErrorKind.ENGINE_FAILURE, e.toString());
        }
        send(result);
    }

    private void send(Message m) {
        try {
            Wire.write(out, m);
        } catch (IOException e) {
            // The parent is gone: end now rather than compute for nobody.
            Runtime.getRuntime().halt(0);
        }
    }

    private Message handle(Message m) throws Throwable {
        return switch (m) {
            case Probe p -> probe();
            case Load l -> {
                if (model != null) {
                    throw new NativeModel.Failure(ErrorKind.INVALID_ARGUMENT, "a model is already loaded in this process");
                }
                LlamaNative library = api();
                System.err.println(LOAD_OUTPUT_BEGIN);
                try {
                    model = NativeModel.load(library, logs, l);
                } finally {
                    System.err.println(LOAD_OUTPUT_END);
                }
                yield model.info();
            }
            case Tokenize t -> new Tokens(loaded().tokenize(t.text(), t.addSpecial()));
            case Detokenize d -> new Text(loaded().detokenize(d.tokens()));
            case Logits l -> loaded().logits(l.tokens());
            default -> throw new NativeModel.Failure(ErrorKind.INVALID_ARGUMENT, "unexpected request " + m);
        };
    }

    private Message generate(Generate g, NativeModel.CancelFlag flag) throws Throwable {
        return loaded().generate(g, flag, this::send);
    }

    private NativeModel loaded() throws NativeModel.Failure {
        if (model == null) {
            throw new NativeModel.Failure(ErrorKind.INVALID_ARGUMENT, "no model loaded");
        }
        return model;
    }

    /** The library, loaded once; a failure is remembered and reported again. */
    private LlamaNative api() throws Throwable {
        if (api == null && apiFailure == null) {
            try {
                LlamaNative loaded = LlamaNative.load();
                loaded.backendInit.invokeExact();
                logs.install(loaded, Arena.global());
                api = loaded;
            } catch (Throwable t) {
                apiFailure = t;
            }
        }
        if (apiFailure != null) {
            throw apiFailure instanceof UnsatisfiedLinkError || apiFailure instanceof IllegalStateException ? apiFailure
                    : new IllegalStateException("llama.cpp's library failed to initialize: " + apiFailure, apiFailure);
        }
        return api;
    }

    private Message probe() throws Throwable {
        LlamaNative a = api();
        try (Arena scratch = Arena.ofConfined()) {
            a.checkAbi(scratch);
            List<Device> devices = new ArrayList<>();
            long n = (long) a.devCount.invokeExact();
            MemorySegment free = scratch.allocate(JAVA_LONG);
            MemorySegment total = scratch.allocate(JAVA_LONG);
            for (long i = 0; i < n; i++) {
                MemorySegment dev = (MemorySegment) a.devGet.invokeExact(i);
                a.devMemory.invokeExact(dev, free, total);
                devices.add(new Device(LlamaNative.cString((MemorySegment) a.devName.invokeExact(dev)),
                        LlamaNative.cString((MemorySegment) a.devDescription.invokeExact(dev)),
                        (int) a.devType.invokeExact(dev), total.get(JAVA_LONG, 0), free.get(JAVA_LONG, 0)));
            }
            String info = LlamaNative.cString((MemorySegment) a.printSystemInfo.invokeExact()).strip();
            return new ProbeInfo(a.buildNumber(), a.commit(), info, (boolean) a.supportsGpuOffload.invokeExact(), devices);
        }
    }

    private void close() {
        if (model != null) {
            model.close();
            model = null;
        }
        send(new Closed());
        PrintStream err = System.err;
        err.flush();
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
