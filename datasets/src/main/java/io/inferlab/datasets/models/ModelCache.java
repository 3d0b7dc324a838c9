package io.inferlab.datasets.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import io.inferlab.engine.tensor.GgmlType;

/**
 * Generated models cached under the user's cache directory ({@code $INFERLAB_CACHE}, else
 * {@code $XDG_CACHE_HOME/inferlab/models}, else {@code ~/.cache/inferlab/models}), keyed by
 * preset and type ({@code synthetic-PRESET-TYPE.gguf}). Each model has a {@code .sha256} sidecar
 * written after the model; a model whose sidecar is missing or whose checksum does not match
 * (a crash mid-write, a corrupted disk) is generated again.
 */
public final class ModelCache {
    private final Path dir;

    public ModelCache(Path dir) {
        this.dir = dir;
    }

    public static ModelCache standard() {
        String explicit = System.getenv("INFERLAB_CACHE");
        if (explicit != null && !explicit.isBlank()) {
            return new ModelCache(Path.of(explicit).resolve("models"));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new ModelCache(base.resolve("inferlab").resolve("models"));
    }

    public Path dir() {
        return dir;
    }

    public Path pathOf(SyntheticPreset preset, GgmlType type) {
        return dir.resolve("synthetic-" + preset.name() + "-" + type.name().toLowerCase(Locale.ROOT) + ".gguf");
    }

    /** The cached model if present and intact. */
    public Optional<Path> find(SyntheticPreset preset, GgmlType type) {
        Path model = pathOf(preset, type);
        Path sum = checksumFile(model);
        try {
            if (Files.isRegularFile(model) && Files.isRegularFile(sum)
                    && Files.readString(sum, StandardCharsets.US_ASCII).trim().equals(sha256(model))) {
                return Optional.of(model);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The cached model, generated first when missing or damaged.
     *
     * @throws IllegalArgumentException for a {@linkplain SyntheticPreset#planOnly() planning-only}
     *                                  preset that is not cached: it is written only on request
     */
    public Path getOrGenerate(SyntheticPreset preset, GgmlType type) {
        return find(preset, type).orElseGet(() -> {
            if (preset.planOnly()) {
                throw new IllegalArgumentException("preset '" + preset.name() + "' is a memory-planning shape ("
                        + (preset.plan(type).weightBytes() >> 30) + " GiB of weights): see `inferlab models plan --preset "
                        + preset.name() + "`, or write it with `inferlab models generate --preset " + preset.name()
                        + " --force`");
            }
            return generate(preset, type, pathOf(preset, type));
        });
    }

    /** Generates the model at {@code out} (any path) and writes its checksum sidecar. */
    public static Path generate(SyntheticPreset preset, GgmlType type, Path out) {
        preset.write(type, out);
        try {
            Path sum = checksumFile(out);
            Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), sum.getFileName().toString(), ".tmp");
            Files.writeString(tmp, sha256(out) + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, sum, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checksum of " + out + ": " + e.getMessage(), e);
        }
        return out;
    }

    static Path checksumFile(Path model) {
        return model.resolveSibling(model.getFileName() + ".sha256");
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
