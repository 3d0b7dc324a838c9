package io.inferlab.harness.detect;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.inferlab.api.AccelerationType;

/**
 * One row of detection: whether an acceleration type can run here.
 *
 * @param available whether at least one installed backend provider of this type can run here
 * @param reason    why not (the providers' reasons, or that none is installed); null when available
 * @param devices   the devices of the available providers; for an unavailable type, hardware that
 *                  was found but cannot be used yet (e.g. an Apple GPU without a Metal backend)
 * @param providers every provider of this type and what its probe said
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AccelerationStatus(AccelerationType acceleration, boolean available, String reason, List<Device> devices,
                                 List<ProviderStatus> providers) {
    public AccelerationStatus {
        Objects.requireNonNull(acceleration, "acceleration");
        devices = List.copyOf(devices);
        providers = List.copyOf(providers);
        if (available == (reason != null)) {
            throw new IllegalArgumentException(acceleration + ": a reason is given exactly when unavailable");
        }
    }
}
