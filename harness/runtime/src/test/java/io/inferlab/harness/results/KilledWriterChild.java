package io.inferlab.harness.results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.inferlab.api.AtomicFiles;

/**
 * Child process of {@link KilledWriterTest}: writes results through the production writers in an
 * endless loop with large content, printing "writing N" before and "written N" after each write,
 * until the test kills it.
 * <ul>
 *   <li>{@code atomic DIR}: {@link AtomicFiles#writeString} of a ~16 MB JSON document to
 *       {@code DIR/run-metadata.json} (what {@code inferlab bench} writes beside its results)</li>
 *   <li>{@code store DIR}: {@link ResultStore#save} of a ~16 MB JMH result into the store at DIR</li>
 * </ul>
 */
public final class KilledWriterChild {
    /**
     * Characters of filler per document: large enough that a write takes tens of milliseconds,
     * under Jackson's 20 MB limit on one string value so the reader accepts a complete document.
     */
    static final int PAYLOAD_CHARS = 16 << 20;

    private KilledWriterChild() {
    }

    /** The document of generation {@code n}: its number at both ends, so a truncated one is detectable. */
    static String document(long n, String payload) {
        return "{\"generation\":" + n + ",\"payload\":\"" + payload + "\",\"end\":" + n + "}";
    }

    static RunMetadata metadata(long n) {
        return new RunMetadata(RunMetadata.SCHEMA_VERSION, Instant.ofEpochSecond(1_700_000_000L + n).toString(), null,
                "quick", new RunMetadata.Host("host-kill-test", "cpu", 2, 2, 1L << 30, List.of(), "Linux", "25", null),
                null, Map.of("cpu", "test"));
    }

    /** Printed right before the production write starts, after the content is prepared. */
    private static void announce(long n) {
        System.out.println("writing " + n);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dir = Path.of(args[1]);
        String payload = "x".repeat(PAYLOAD_CHARS);
        ResultStore store = new ResultStore(dir);
        Path source = Files.createTempFile(Path.of(args[2]), "killed-writer", ".json");
        for (long n = 1; ; n++) {
            switch (mode) {
                case "atomic" -> {
                    String doc = document(n, payload);
                    announce(n);
                    AtomicFiles.writeString(dir.resolve(ResultStore.METADATA_FILE), doc);
                }
                case "store" -> {
                    Files.writeString(source, "[" + document(n, payload) + "]");
                    announce(n);
                    store.save(source, metadata(n), Instant.ofEpochSecond(1_700_000_000L + n));
                }
                default -> throw new IllegalArgumentException("mode " + mode);
            }
            System.out.println("written " + n);
            System.out.flush();
        }
    }
}
