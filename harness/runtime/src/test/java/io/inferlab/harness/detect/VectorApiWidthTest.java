package io.inferlab.harness.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import jdk.incubator.vector.FloatVector;

/** The Vector API width is read reflectively: the JVM's answer with the module, empty without it. */
class VectorApiWidthTest {

    @Test
    void matchesTheVectorApiWhenTheModuleIsPresent() {
        assertEquals(FloatVector.SPECIES_PREFERRED.vectorBitSize(), VectorApiWidth.preferredBits().orElseThrow());
    }

    @Test
    void isEmptyInAJvmWithoutTheIncubatorModule() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                PrintVectorWidth.class.getName())).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        assertEquals("Optional.empty", out.lines().reduce((a, b) -> b).orElse(""));
    }

    /** Run in a child JVM started without --add-modules jdk.incubator.vector. */
    public static final class PrintVectorWidth {
        public static void main(String[] args) {
            System.out.println(VectorApiWidth.preferredBits());
        }
    }
}
