package io.inferlab.harness.cli;

import io.inferlab.api.BackendOptions;
import picocli.CommandLine.Option;

/** Options shared by commands that open a backend. */
final class BackendOptionsMixin {
    @Option(names = "--backend", defaultValue = "cpu", description = "Backend id (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = {"-t", "--threads"}, defaultValue = "0", description = "Compute threads (0 = all cores).")
    int threads;

    @Option(names = "--context", defaultValue = "0",
            description = "KV cache length in tokens (0 = the model's context, capped at 4096).")
    int context;

    @Option(names = "--device", defaultValue = "-1", description = "Device index for GPU backends (-1 = default).")
    int device;

    @Option(names = "--mmap", description = "Read the weights in place from the mapped model file (llama.cpp's default) "
            + "instead of copying them into memory first: less memory, slower decode (cpu and llamacpp backends).")
    boolean mmap;

    BackendOptions toOptions() {
        if (threads < 0 || context < 0 || device < -1) {
            throw new IllegalArgumentException("--threads and --context must be >= 0, --device >= -1");
        }
        return new BackendOptions(threads, device, context, mmap);
    }
}
