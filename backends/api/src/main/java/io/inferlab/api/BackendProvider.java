package io.inferlab.api;

/**
 * A backend implementation, found through {@link java.util.ServiceLoader}. {@link #probe()} is the
 * only place that may touch a native binding before {@link #open}; it never throws.
 */
public interface BackendProvider {

    /** Stable id used on the command line and in results ("cpu", "opencl", "cuda", "llamacpp"). */
    String id();

    AccelerationType acceleration();

    /** Whether this backend can run here, with the devices found or the reason it cannot. */
    ProbeResult probe();

    /**
     * Loads {@code model}.
     *
     * @throws BackendUnavailableException when {@link #probe()} says unavailable
     * @throws ModelFormatException        when the model file is malformed
     * @throws UnsupportedModelException   when the model is valid but this backend cannot run it
     */
    InferenceBackend open(ModelSource model, BackendOptions options);
}
