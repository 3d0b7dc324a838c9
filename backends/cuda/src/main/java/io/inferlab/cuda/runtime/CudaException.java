package io.inferlab.cuda.runtime;

import io.inferlab.api.BackendFailedException;

/** A CUDA driver call that failed, named with its result code. */
public final class CudaException extends BackendFailedException {
    private final int result;

    public CudaException(String message, int result) {
        super(message, null);
        this.result = result;
    }

    /** The driver's {@code CUresult}. */
    public int result() {
        return result;
    }
}
