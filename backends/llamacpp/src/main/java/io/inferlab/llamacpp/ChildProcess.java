package io.inferlab.llamacpp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.inferlab.llamacpp.child.ChildMain;
import io.inferlab.llamacpp.protocol.Message;
import io.inferlab.llamacpp.protocol.Wire;

/**
 * The child JVM that runs llama.cpp, seen from the parent: started with this JVM's java binary and
 * class path, connected over a loopback socket (the child's stdout belongs to llama.cpp's logging,
 * which goes to SLF4J at debug, never to our stdout), and always reaped: closing asks it to exit,
 * then destroys it, then kills it, each step with a bounded wait, and a shutdown hook kills it if
 * this JVM exits first. Every wait here is bounded; nothing blocks on the child indefinitely.
 */
final class ChildProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("io.inferlab.llamacpp.child");
    /** How long the child may take to exit after being asked to, and after each signal. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(5);
    /** Lines of the child's output kept for error messages. */
    private static final int OUTPUT_LINES_KEPT = 12;
    private static final int POLL_MS = 100;
    private static final String TEMP_PREFIX = "inferlab-llamacpp-";

    /** The child is gone or did not answer; the message says which and how it ended. */
    static final class ChildFailure extends Exception {
        ChildFailure(String message) {
            super(message);
        }
    }

    /** Put on the queue by the reader thread when the connection ends. */
    private record Gone(String why) {
    }

    /**
     * The child's last output lines (stdout and stderr merged), for error messages, and the lines
     * of the last model load (between {@link ChildMain#LOAD_OUTPUT_BEGIN} and its end marker).
     */
    private static final class OutputTail {
        private static final int SECTION_LINES_KEPT = 2000;
        private final Deque<String> lines = new ArrayDeque<>();
        private List<String> section;
        private List<String> lastSection;

        synchronized void add(String line) {
            if (line.equals(ChildMain.LOAD_OUTPUT_BEGIN)) {
                section = new ArrayList<>();
                return;
            }
            if (line.equals(ChildMain.LOAD_OUTPUT_END)) {
                lastSection = section != null ? section : List.of();
                section = null;
                notifyAll();
                return;
            }
            if (section != null && section.size() < SECTION_LINES_KEPT) {
                section.add(line);
            }
            lines.addLast(line);
            if (lines.size() > OUTPUT_LINES_KEPT) {
                lines.removeFirst();
            }
        }

        synchronized List<String> snapshot() {
            return List.copyOf(lines);
        }

        /** The output of the last load, waiting at most {@code ms} for its end marker; empty if none came. */
        synchronized List<String> takeLoadSection(long ms) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
            while (lastSection == null) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return List.of();
                }
                wait(left);
            }
            List<String> s = lastSection;
            lastSection = null;
            return s;
        }
    }

    private final Process process;
    private final Socket socket;
    private final DataOutputStream out;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final OutputTail output;
    private final Thread shutdownHook;
    private final Path tempDir;
    private boolean closed;

    private ChildProcess(Process process, Socket socket, OutputTail output, Thread shutdownHook, Path tempDir)
            throws IOException {
        this.process = process;
        this.output = output;
        this.socket = socket;
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        this.shutdownHook = shutdownHook;
        this.tempDir = tempDir;
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        Thread reader = new Thread(() -> readLoop(in), "llamacpp-child-" + process.pid() + "-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a child and waits (at most {@code limit}) until it has connected and proven who it is.
     *
     * @throws ChildFailure when it cannot be started, exits early or does not connect in time
     */
    static ChildProcess start(Duration limit) throws ChildFailure {
        Path tempDir = null;
        Process process = null;
        Thread hook = null;
        OutputTail output = new OutputTail();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(POLL_MS);
            byte[] token = new byte[16];
            new SecureRandom().nextBytes(token);
            String secret = HexFormat.of().formatHex(token);
            // A private folder for the extracted native library: java-llama.cpp's loader deletes
            // every "llama*"/"jllama*" file in its folder first, so children must not share one.
            // Named after this JVM, so folders of JVMs that were killed can be found and removed.
            sweepStaleTempDirs();
            tempDir = Files.createTempDirectory(TEMP_PREFIX + ProcessHandle.current().pid() + "-");
            List<String> command = command(javaBinary(), tempDir, server.getLocalPort(), secret);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            process = pb.start();
            process.getOutputStream().close();
            Process p = process;
            hook = new Thread(() -> kill(p), "llamacpp-child-" + p.pid() + "-reaper");
            Runtime.getRuntime().addShutdownHook(hook);
            startOutputPump(process, output);
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                Socket socket = acceptOne(server);
                if (socket != null) {
                    if (verify(socket, secret, process.pid())) {
                        return new ChildProcess(process, socket, output, hook, tempDir);
                    }
                    socket.close(); // someone else's connection: keep waiting for ours
                }
                if (!process.isAlive()) {
                    throw new ChildFailure("the llama.cpp child JVM exited with code " + process.exitValue()
                            + " before connecting" + outputSuffix(output.snapshot()));
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new ChildFailure("the llama.cpp child JVM did not connect within " + limit.toSeconds() + " s"
                            + outputSuffix(output.snapshot()));
                }
            }
        } catch (IOException e) {
            cleanUpFailedStart(process, hook, tempDir);
            throw new ChildFailure("cannot start the llama.cpp child JVM: " + e);
        } catch (ChildFailure | RuntimeException e) {
            cleanUpFailedStart(process, hook, tempDir);
            throw e;
        }
    }

    private static List<String> command(String java, Path tempDir, int port, String secret) {
        List<String> c = new ArrayList<>();
        c.add(java);
        c.add("--enable-native-access=ALL-UNNAMED");
        // The child does little Java work: a small heap and the quick compiler spare the cores
        // that llama.cpp and the parent use.
        c.add("-XX:+UseSerialGC");
        c.add("-XX:TieredStopAtLevel=1");
        c.add("-Dde.kherud.llama.tmpdir=" + tempDir);
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add(ChildMain.class.getName());
        c.add(Integer.toString(port));
        c.add(secret);
        return c;
    }

    /** The running JVM's own java binary, so the child runs on the same JDK. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static Socket acceptOne(ServerSocket server) throws IOException {
        try {
            return server.accept();
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private static boolean verify(Socket socket, String secret, long pid) {
        try {
            socket.setSoTimeout(5_000);
            socket.setTcpNoDelay(true);
            // Unbuffered: nothing beyond the hello may be consumed here (the child sends nothing more yet).
            Message first = Wire.read(new DataInputStream(socket.getInputStream()));
            socket.setSoTimeout(0);
            return first instanceof Message.Hello h && h.secret().equals(secret) && h.pid() == pid;
        } catch (IOException e) {
            return false;
        }
    }

    private static void startOutputPump(Process process, OutputTail output) {
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    LOG.debug("[llama.cpp child {}] {}", process.pid(), line);
                    output.add(line);
                }
            } catch (IOException e) {
                LOG.debug("llama.cpp child {} output ended: {}", process.pid(), e.toString());
            }
        }, "llamacpp-child-" + process.pid() + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    private void readLoop(DataInputStream in) {
        try {
            while (true) {
                inbox.add(Wire.read(in));
            }
        } catch (IOException e) {
            inbox.add(new Gone(e.toString()));
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * What the child printed during its last model load (llama.cpp's own messages, including those
     * that bypass its log callback), waiting at most {@code limit} for the output to arrive.
     */
    List<String> loadOutput(Duration limit) {
        try {
            return output.takeLoadSection(limit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void send(Message m) throws ChildFailure {
        try {
            Wire.write(out, m);
        } catch (IOException e) {
            throw gone("sending " + m.getClass().getSimpleName());
        }
    }

    /**
     * The next message, waiting at most {@code timeoutMs}; null when none came in that time.
     *
     * @throws ChildFailure when the child has gone (the message says how it ended)
     */
    Message poll(long timeoutMs, String doing) throws ChildFailure {
        Object o;
        try {
            o = inbox.poll(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new ChildFailure("interrupted while " + doing + "; the llama.cpp child process was killed");
        }
        if (o instanceof Gone) {
            throw gone(doing);
        }
        if (o == null && !process.isAlive()) {
            // The process ended but the socket close has not reached the reader yet.
            throw gone(doing);
        }
        return (Message) o;
    }

    /** Sends {@code request} and waits at most {@code limit} for its reply; kills the child on timeout. */
    Message request(Message request, Duration limit, String doing) throws ChildFailure {
        send(request);
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Message m = poll(POLL_MS, doing);
            if (m != null) {
                return m;
            }
            if (System.nanoTime() - deadline > 0) {
                kill();
                throw new ChildFailure("llama.cpp did not finish " + doing + " within " + limit.toSeconds()
                        + " s; its process (pid " + pid() + ") was killed");
            }
        }
    }

    /** Why the child is gone: its exit code (waited for, bounded) and its last output lines. */
    private ChildFailure gone(String doing) {
        boolean exited = waitFor(EXIT_GRACE);
        if (!exited) {
            kill(); // the connection is broken; a child we cannot talk to must not linger
        }
        String status = process.isAlive() ? "is unreachable" : "exited with " + exitStatus(process.exitValue());
        return new ChildFailure("the llama.cpp child process (pid " + pid() + ") " + status + " while " + doing
                + outputSuffix(output.snapshot()));
    }

    /** "code 1", or "code 137 (killed by signal 9)" for the shell convention 128 + signal on Unix. */
    static String exitStatus(int code) {
        return code > 128 && code < 160 ? "code " + code + " (killed by signal " + (code - 128) + ")" : "code " + code;
    }

    private static String outputSuffix(List<String> lines) {
        List<String> useful = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (useful.isEmpty()) {
            return "";
        }
        List<String> tail = useful.subList(Math.max(0, useful.size() - 4), useful.size());
        return "; its last output: " + String.join(" | ", tail);
    }

    private boolean waitFor(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Kills the child at once (SIGKILL on Unix) and waits, bounded, until it is gone. */
    void kill() {
        kill(process);
    }

    private static void kill(Process p) {
        // Anything the child started (GGML's crash handler can start a debugger) goes too.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the child: a {@link Message.Close} when it is still reachable (it frees the model and
     * halts), then destroy, then kill, each after a bounded wait; removes its temporary folder.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (process.isAlive()) {
                try {
                    request(new Message.Close(), EXIT_GRACE, "closing");
                } catch (ChildFailure e) {
                    LOG.debug("llama.cpp child {} did not close cleanly: {}", pid(), e.getMessage());
                }
                if (!waitFor(EXIT_GRACE)) {
                    process.destroy();
                    if (!waitFor(EXIT_GRACE)) {
                        kill();
                    }
                }
            }
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket whose peer is gone
            }
            removeHook(shutdownHook);
            deleteTree(tempDir);
        }
    }

    private static void cleanUpFailedStart(Process process, Thread hook, Path tempDir) {
        if (process != null) {
            kill(process);
        }
        removeHook(hook);
        deleteTree(tempDir);
    }

    private static void removeHook(Thread hook) {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    /**
     * Removes the temporary folders of JVMs that no longer run (a JVM killed with SIGKILL cannot
     * remove its own, and its child's copy of the library is 5 MB).
     */
    private static void sweepStaleTempDirs() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> entries = Files.list(tmp)) {
            entries.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).forEach(p -> {
                String rest = p.getFileName().toString().substring(TEMP_PREFIX.length());
                int dash = rest.indexOf('-');
                try {
                    long pid = Long.parseLong(dash > 0 ? rest.substring(0, dash) : rest);
                    if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                        deleteTree(p);
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", tmp, e.toString());
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", dir, e.toString());
        }
    }
}
