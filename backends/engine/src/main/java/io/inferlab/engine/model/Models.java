package io.inferlab.engine.model;

import java.util.List;

import io.inferlab.api.ModelFormatException;
import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.gguf.GgufFile;

/** Loads the {@link Model} for a GGUF file's {@code general.architecture}. */
public final class Models {
    /** The architectures this engine runs. */
    public static final List<String> SUPPORTED = List.of(LlamaModel.ARCHITECTURE, GptOssModel.ARCHITECTURE);

    private Models() {
    }

    /**
     * @throws UnsupportedModelException for an architecture this engine does not run
     * @throws ModelFormatException      naming the key or tensor when the file is inconsistent, or the
     *                                   file when it was truncated on disk while loading
     */
    public static Model load(GgufFile file) {
        String arch = file.metadata().getString("general.architecture");
        // Loading reads mapped tensor data (norms, statistics): guard it against the file being
        // truncated on disk meanwhile.
        return file.guard(() -> switch (arch) {
            case LlamaModel.ARCHITECTURE -> LlamaModel.load(file);
            case GptOssModel.ARCHITECTURE -> GptOssModel.load(file);
            default -> throw new UnsupportedModelException(file.path() + ": architecture '" + arch
                    + "' is not supported by this engine (supported: " + String.join(", ", SUPPORTED) + ")");
        });
    }
}
