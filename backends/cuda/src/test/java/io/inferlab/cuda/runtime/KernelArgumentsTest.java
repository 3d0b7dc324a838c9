package io.inferlab.cuda.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.Test;

/** The launch arguments as the driver reads them, and the addresses they are taken from (no GPU needed). */
class KernelArgumentsTest {

    @Test
    void aDevicePointerKeepsItsOffsetsThroughEveryStep() {
        DevicePointer base = new DevicePointer();
        assertEquals(0, base.address());
        DevicePointer at = base.withByteOffset(4096).withByteOffset(24);
        assertEquals(4120, at.address());
        assertEquals(0, base.address(), "offsets make new pointers");
    }

    @Test
    void eachArgumentLandsInItsOwnSlotAsTheKernelTakesIt() {
        try (KernelArguments a = new KernelArguments()) {
            DevicePointer p = new DevicePointer().withByteOffset(1L << 40);
            a.write("k", p, 7, -1.5f, null);
            assertEquals(1L << 40, a.slot(0).get(ValueLayout.JAVA_LONG, 0));
            assertEquals(7, a.slot(1).get(ValueLayout.JAVA_INT, 0));
            assertEquals(-1.5f, a.slot(2).get(ValueLayout.JAVA_FLOAT, 0));
            assertEquals(0L, a.slot(3).get(ValueLayout.JAVA_LONG, 0), "null is the null pointer");
        }
    }

    @Test
    void theDriversParameterArrayPointsAtTheSlots() {
        try (KernelArguments a = new KernelArguments()) {
            for (int i = 0; i < KernelArguments.MAX; i++) {
                assertEquals(a.slot(i).address(), a.pointers().getAtIndex(ValueLayout.ADDRESS, i).address(), "slot " + i);
            }
        }
    }

    @Test
    void launchesOfOneArityShareTheirParametersAndOverwriteTheSlots() {
        try (KernelArguments a = new KernelArguments()) {
            var first = a.write("k", 1, 2);
            var second = a.write("k", 3, 4);
            assertSame(first, second);
            assertEquals(3, a.slot(0).get(ValueLayout.JAVA_INT, 0));
            assertNotSame(first, a.write("k", 3, 4, 5));
        }
    }

    @Test
    void tooManyArgumentsOrAnUnknownTypeAreRefusedByName() {
        try (KernelArguments a = new KernelArguments()) {
            IllegalArgumentException many = assertThrows(IllegalArgumentException.class,
                    () -> a.write("wide", new Object[KernelArguments.MAX + 1]));
            assertTrue(many.getMessage().contains("wide"), many.getMessage());
            IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> a.write("k", 1, 2.0));
            assertTrue(type.getMessage().contains("argument 1 of k") && type.getMessage().contains("Double"),
                    type.getMessage());
        }
    }
}
