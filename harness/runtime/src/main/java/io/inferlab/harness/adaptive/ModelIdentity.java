package io.inferlab.harness.adaptive;

import java.util.Map;
import java.util.Objects;

import io.inferlab.harness.results.RunMetadata;

/**
 * Decides whether a stored run measured the same model: by sha256 when both sides know it,
 * otherwise by architecture, tensor types (with counts, i.e. shapes of the file's layout) and the
 * weight bytes a token reads (a proxy for the shapes when the file was re-written).
 */
public final class ModelIdentity {
    private ModelIdentity() {
    }

    /** Why {@code stored} is not {@code wanted}, or null when it is the same model. */
    public static String mismatch(RunMetadata.Model wanted, RunMetadata.Model stored) {
        if (stored == null) {
            return "the run names no model";
        }
        if (notBlank(wanted.sha256()) && notBlank(stored.sha256())) {
            return wanted.sha256().equalsIgnoreCase(stored.sha256()) ? null
                    : "model sha256 " + abbreviate(stored.sha256()) + " is not " + abbreviate(wanted.sha256());
        }
        if (!Objects.equals(wanted.architecture(), stored.architecture())) {
            return "architecture " + stored.architecture() + " is not " + wanted.architecture();
        }
        Map<String, Integer> a = wanted.tensorTypes() == null ? Map.of() : wanted.tensorTypes();
        Map<String, Integer> b = stored.tensorTypes() == null ? Map.of() : stored.tensorTypes();
        if (!a.equals(b)) {
            return "tensor types " + b + " are not " + a;
        }
        if (wanted.weightBytesPerToken() != null && stored.weightBytesPerToken() != null
                && !wanted.weightBytesPerToken().equals(stored.weightBytesPerToken())) {
            return "weight bytes per token " + stored.weightBytesPerToken() + " is not " + wanted.weightBytesPerToken();
        }
        return null;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String abbreviate(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
