package io.inferlab.llamacpp.child;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Receives llama.cpp's and GGML's log lines ({@code llama_log_set}, {@code ggml_log_set}), writes them to the child's
 * stderr (which the parent turns into debug log lines, never onto its stdout) and keeps the recent
 * warnings and errors, so a failed load can say why in llama.cpp's own words.
 */
@SuppressWarnings("restricted") // calling into llama.cpp through FFM is this class's purpose
final class LogCapture {
    private static final int KEPT = 16;

    private final PrintStream sink;
    private final Deque<String> problems = new ArrayDeque<>();
    private final StringBuilder line = new StringBuilder();
    private int lineLevel;

    LogCapture(PrintStream sink) {
        this.sink = sink;
    }

    /** Installs this capture as llama.cpp's log callback; the stub lives as long as {@code arena}. */
    void install(LlamaNative api, Arena arena) throws Throwable {
        var target = MethodHandles.lookup().findVirtual(LogCapture.class, "onLog",
                MethodType.methodType(void.class, int.class, MemorySegment.class, MemorySegment.class)).bindTo(this);
        MemorySegment stub = api.linker().upcallStub(target, LlamaNative.LOG_CALLBACK, arena);
        api.logSet.invokeExact(stub, MemorySegment.NULL);
        // GGML's own messages (the GGUF parser's reasons among them) have a logger of their own.
        api.ggmlLogSet.invokeExact(stub, MemorySegment.NULL);
    }

    /** The callback: must never throw (an exception in an upcall ends the JVM). */
    @SuppressWarnings("unused")
    private void onLog(int level, MemorySegment text, MemorySegment userData) {
        try {
            String s = text.equals(MemorySegment.NULL) ? "" : LlamaNative.cString(text);
            sink.print(s);
            synchronized (this) {
                if (level != LlamaNative.LOG_CONT) {
                    lineLevel = level;
                }
                line.append(s);
                int nl;
                while ((nl = line.indexOf("\n")) >= 0) {
                    String complete = line.substring(0, nl).strip();
                    line.delete(0, nl + 1);
                    if (lineLevel >= LlamaNative.LOG_WARN && !complete.isEmpty()) {
                        problems.addLast(complete);
                        if (problems.size() > KEPT) {
                            problems.removeFirst();
                        }
                    }
                }
            }
        } catch (Throwable ignored) {
            // Logging must not take the process down.
        }
    }

    /** Forgets earlier problems (called before an operation whose failure should be explained). */
    synchronized void mark() {
        problems.clear();
    }

    /** llama.cpp's warnings and errors since the last {@link #mark}, joined; "" when none. */
    synchronized String problemsSinceMark() {
        StringBuilder all = new StringBuilder();
        if (lineLevel >= LlamaNative.LOG_WARN && !line.isEmpty()) {
            problems.addLast(line.toString().strip());
            line.setLength(0);
        }
        for (String p : problems) {
            if (!all.isEmpty()) {
                all.append("; ");
            }
            all.append(p);
        }
        return all.toString();
    }
}
