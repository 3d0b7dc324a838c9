package io.inferlab.cuda.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The FFM launch's lookup of the driver: present where the driver is, and a reason where it is not. */
class DriverLaunchTest {

    @Test
    void availableExactlyWhereTheDriverLibraryIsAndSaysWhyNot() {
        boolean driverHere = List.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1", "/usr/lib64/libcuda.so.1",
                "/usr/local/nvidia/lib64/libcuda.so.1").stream().anyMatch(p -> Files.exists(Path.of(p)));
        if (!driverHere) {
            assertEquals(false, DriverLaunch.available());
        }
        if (!DriverLaunch.available()) {
            String why = DriverLaunch.unavailableReason().orElseThrow();
            assertTrue(why.contains("libcuda.so.1"), why);
        } else {
            assertTrue(DriverLaunch.unavailableReason().isEmpty());
        }
    }
}
