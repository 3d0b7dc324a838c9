package io.inferlab.api;

import java.nio.file.Path;

/** A model file is malformed; the message names the file and the offset, key or tensor at fault. */
public class ModelFormatException extends InferLabException {
    private final transient Path file;
    private final long offset;

    public ModelFormatException(Path file, long offset, String problem) {
        super(file + (offset >= 0 ? " at offset " + offset : "") + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    public ModelFormatException(Path file, String problem) {
        this(file, -1, problem);
    }

    public Path file() {
        return file;
    }

    /** Byte offset of the problem in the file, or -1 when it is not about one place. */
    public long offset() {
        return offset;
    }
}
