package io.inferlab.llamacpp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;

import io.inferlab.api.ProbeResult;
import io.inferlab.llamacpp.child.ChildMain;

/** Shared by the tests that need llama.cpp's native library: skip without it, find leftover children. */
final class LlamaCppTestSupport {
    private LlamaCppTestSupport() {
    }

    /** Skips the test with the probe's reason when the library cannot run here. */
    static void requireLibrary() {
        ProbeResult probe = new LlamaCppBackendProvider().probe();
        assumeTrue(probe.isAvailable(), () -> "skipped: llama.cpp's native library is unavailable here: "
                + ((ProbeResult.Unavailable) probe).reason());
    }

    /** This JVM's live llama.cpp child processes. */
    static List<ProcessHandle> liveChildren() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains(ChildMain.class.getName())).orElse(false))
                .toList();
    }
}
