package io.inferlab.engine.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.inferlab.api.AccelerationType;
import io.inferlab.api.BackendOptions;
import io.inferlab.api.InferLabException;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.kernels.ScalarKernels;
import io.inferlab.engine.model.Models;
import io.inferlab.engine.model.TinyLlamaFixture;
import io.inferlab.engine.tensor.Tensor;

/**
 * Child process of {@link TruncatedModelTest}: maps a model, truncates the file on disk while it
 * is mapped, then touches the mapping the way the engine does. Touching pages past the new end
 * of a truncated mapping raises SIGBUS; HotSpot turns one inside a memory-segment access into an
 * asynchronous {@link InternalError} (or, in the worst case, dies), so this runs in its own JVM
 * and reports on stdout: "typed CLASS: MESSAGE" for a typed exception, "untyped ..." otherwise.
 * <ul>
 *   <li>{@code tensor FILE}: reads every byte of every tensor inside {@link GgufFile#guard}</li>
 *   <li>{@code load FILE}: loads the model ({@link Models#load}) from the truncated mapping</li>
 *   <li>{@code logits FILE}: opens an {@link EngineBackend}, truncates, then asks for logits</li>
 * </ul>
 */
public final class TruncatedModelChild {
    private TruncatedModelChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path file = Path.of(args[1]);
        new TinyLlamaFixture().write(file);
        try {
            switch (mode) {
                case "tensor" -> {
                    try (GgufFile f = GgufFile.open(file)) {
                        truncate(file, f.dataOffset());
                        long sum = f.guard(() -> {
                            long s = 0;
                            for (var info : f.tensorInfos()) {
                                Tensor t = f.tensor(info);
                                for (long i = 0; i < t.data().byteSize(); i++) {
                                    s += t.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, i);
                                }
                            }
                            return s;
                        });
                        System.out.println("read without error: " + sum);
                    }
                }
                case "load" -> {
                    try (GgufFile f = GgufFile.open(file)) {
                        truncate(file, f.dataOffset());
                        Models.load(f);
                        System.out.println("loaded without error");
                    }
                }
                case "logits" -> {
                    try (EngineBackend b = EngineBackend.open("truncated", AccelerationType.CPU, file,
                            BackendOptions.defaults(), n -> new ScalarKernels())) {
                        truncate(file, 4096);
                        b.logits(new int[] {1, 5, 7});
                        System.out.println("logits without error");
                    }
                }
                default -> throw new IllegalArgumentException(mode);
            }
        } catch (InferLabException e) {
            System.out.println("typed " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (Throwable e) {
            System.out.println("untyped " + e);
        }
        System.out.flush();
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }
}
