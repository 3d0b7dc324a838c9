package io.inferlab.opencl;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.inferlab.api.BackendUnavailableException;

/**
 * Which OpenCL device a backend opens: {@code --device N} (the N-th device of the probe's list,
 * all platforms in order, as {@code inferlab detect} lists them), else the first GPU, else the
 * first device.
 */
final class DeviceSelection {
    private DeviceSelection() {
    }

    /** @param index the option's device index; -1 for the default */
    static OpenClDevice choose(List<OpenClDevice> devices, int index) {
        if (index >= devices.size()) {
            throw new BackendUnavailableException("backend 'opencl' has no device " + index + " (--device): "
                    + describe(devices));
        }
        if (index >= 0) {
            return devices.get(index);
        }
        return devices.stream().filter(d -> d.type().contains("GPU")).findFirst().orElse(devices.getFirst());
    }

    /** "devices are 0 = pthread-cpu (CPU), 1 = ...". */
    static String describe(List<OpenClDevice> devices) {
        return "devices are " + IntStream.range(0, devices.size())
                .mapToObj(i -> i + " = " + devices.get(i).name() + " (" + devices.get(i).type() + ")")
                .collect(Collectors.joining(", "));
    }
}
