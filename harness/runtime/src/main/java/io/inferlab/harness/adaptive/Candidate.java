package io.inferlab.harness.adaptive;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.inferlab.api.AccelerationType;
import io.inferlab.harness.detect.AccelerationStatus;
import io.inferlab.harness.detect.HardwareProfile;
import io.inferlab.harness.detect.ProviderStatus;

/** One installed backend as detection saw it; {@code reason} says why it cannot run (null when available). */
public record Candidate(String id, AccelerationType acceleration, boolean available, String reason) {
    public Candidate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(acceleration, "acceleration");
    }

    public static Candidate available(String id, AccelerationType acceleration) {
        return new Candidate(id, acceleration, true, null);
    }

    /** Every provider detection probed, in detection's order. */
    public static List<Candidate> from(HardwareProfile profile) {
        List<Candidate> out = new ArrayList<>();
        for (AccelerationStatus a : profile.accelerations()) {
            for (ProviderStatus p : a.providers()) {
                out.add(new Candidate(p.id(), a.acceleration(), p.available(), p.reason()));
            }
        }
        return out;
    }
}
