package io.inferlab.harness.detect;

import java.util.Optional;

/**
 * The Vector API's preferred species width as this JVM sees it, read reflectively so that
 * harness/runtime does not need {@code jdk.incubator.vector} to compile or to run: an application
 * that embeds it without {@code --add-modules jdk.incubator.vector} gets an empty answer, not an
 * error.
 */
public final class VectorApiWidth {
    private VectorApiWidth() {
    }

    /** {@code FloatVector.SPECIES_PREFERRED.vectorBitSize()}, or empty when the module is not in the module graph. */
    public static Optional<Integer> preferredBits() {
        try {
            Class<?> floatVector = Class.forName("jdk.incubator.vector.FloatVector");
            Object species = floatVector.getField("SPECIES_PREFERRED").get(null);
            Class<?> vectorSpecies = Class.forName("jdk.incubator.vector.VectorSpecies");
            return Optional.of((Integer) vectorSpecies.getMethod("vectorBitSize").invoke(species));
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return Optional.empty();
        }
    }
}
