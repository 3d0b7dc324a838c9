package io.inferlab.datasets.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import io.inferlab.api.AtomicFiles;
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
        return getOrGenerate(preset, type, false);
    }

    /** {@link #getOrGenerate(SyntheticPreset, GgmlType)}; {@code force} writes a planning-only preset too. */
    public Path getOrGenerate(SyntheticPreset preset, GgmlType type, boolean force) {
        return find(preset, type).orElseGet(() -> {
            requireWritable(preset, type, force);
            return generate(preset, type, pathOf(preset, type));
        });
    }

    /**
     * Refuses to write a {@linkplain SyntheticPreset#planOnly() planning-only} preset (gpt-oss-20b:
     * 12 GB) unless {@code force}: it is for sizing, which needs no file.
     */
    public static void requireWritable(SyntheticPreset preset, GgmlType type, boolean force) {
        if (preset.planOnly() && !force) {
            throw new IllegalArgumentException("preset '" + preset.name() + "' is a memory-planning shape ("
                    + String.format(Locale.ROOT, "%.1f", preset.plan(type).weightBytes() / (double) (1L << 30))
                    + " GiB of weights): `inferlab models plan --preset " + preset.name() + "` sizes it without "
                    + "writing it; add --force to `inferlab models generate` to write it anyway");
        }
    }

    /** Generates the model at {@code out} (any path) and writes its checksum sidecar. */
    public static Path generate(SyntheticPreset preset, GgmlType type, Path out) {
        preset.write(type, out);
        try {
            Path sum = checksumFile(out);
            AtomicFiles.writeString(sum, sha256(out) + "\n");
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
