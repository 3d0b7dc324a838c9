package io.inferlab.cuda.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * A kernel launch's arguments, written into one block of native memory that every launch of a
 * context reuses: an 8-byte slot per argument, and per argument count one prebuilt array of
 * pointers to the slots, which is what {@code cuLaunchKernel} takes. The driver copies the values
 * at launch, so the next launch may overwrite them at once.
 *
 * <p>Why not JCuda's usual form, a fresh {@code Pointer.to(new int[] {v})} per argument: JCuda's
 * native side then asks each argument's buffer whether it is direct and whether it has an array
 * (calls back into Java) and copies the array in and out, at every launch. A slot here is a
 * pointer to plain native memory, which it reads as two fields. A decode step launches about 15
 * kernels per layer: on an H200 host a launch of 6 arguments took 6.0-6.3 us this way against
 * 9.4-10.5, and 1b Q4_0 decode ran at 455 against 316 tokens/s ({@code CudaLaunchProbe},
 * 2026-11-27). {@link DriverLaunch} passes the same slots to the driver directly.
 */
final class KernelArguments implements AutoCloseable {
    /** The most arguments a kernel here takes (moe_topk_f32 and attention_f32 take 11). */
    static final int MAX = 16;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment slots = arena.allocate(8L * MAX, 8);
    /** The slots' addresses in native memory: the {@code void**} of a launch through {@link DriverLaunch}. */
    private final MemorySegment pointers = arena.allocate(ValueLayout.ADDRESS, MAX);
    /** For n arguments, JCuda's pointer to the first n slots' addresses. */
    private final Pointer[] byCount = new Pointer[MAX + 1];

    KernelArguments() {
        Slot[] all = new Slot[MAX];
        for (int i = 0; i < MAX; i++) {
            all[i] = new Slot(slots.address() + 8L * i);
            pointers.setAtIndex(ValueLayout.ADDRESS, i, slots.asSlice(8L * i, 8));
        }
        for (int n = 0; n <= MAX; n++) {
            byCount[n] = Pointer.to(Arrays.copyOf(all, n));
        }
    }

    /**
     * Writes {@code args} into the slots and returns the kernel parameters that point to them, as
     * JCuda takes them ({@link #pointers} holds the same for the driver). Arguments are
     * {@link DevicePointer}s (null: a null pointer), Integers and Floats, in the kernel's
     * parameter order.
     */
    Pointer write(String kernel, Object... args) {
        if (args.length > MAX) {
            throw new IllegalArgumentException(kernel + " takes " + args.length + " arguments, more than " + MAX);
        }
        for (int i = 0; i < args.length; i++) {
            long at = 8L * i;
            switch (args[i]) {
                case null -> slots.set(ValueLayout.JAVA_LONG, at, 0L);
                case DevicePointer p -> slots.set(ValueLayout.JAVA_LONG, at, p.address());
                case Integer v -> slots.set(ValueLayout.JAVA_INT, at, v);
                case Float v -> slots.set(ValueLayout.JAVA_FLOAT, at, v);
                default -> throw new IllegalArgumentException("kernel argument " + i + " of " + kernel
                        + " has unsupported type " + args[i].getClass().getName());
            }
        }
        return byCount[args.length];
    }

    /**
     * The same parameters in JCuda's usual form, a fresh pointer to a fresh one-element array per
     * argument: what launches did before these slots, kept for the launch probe's A/B.
     */
    static Pointer jcudaForm(String kernel, Object... args) {
        NativePointerObject[] params = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = switch (args[i]) {
                case null -> Pointer.to(new CUdeviceptr());
                case CUdeviceptr p -> Pointer.to(p);
                case Integer v -> Pointer.to(new int[] {v});
                case Float v -> Pointer.to(new float[] {v});
                default -> throw new IllegalArgumentException("kernel argument " + i + " of " + kernel
                        + " has unsupported type " + args[i].getClass().getName());
            };
        }
        return Pointer.to(params);
    }

    /** The kernel parameters as the driver takes them: the addresses of the slots. */
    MemorySegment pointers() {
        return pointers;
    }

    /** Argument {@code i}'s slot, as the driver reads it (for tests). */
    MemorySegment slot(int i) {
        return slots.asSlice(8L * i, 8);
    }

    @Override
    public void close() {
        arena.close();
    }

    /** A pointer to one slot: plain native memory, no buffer behind it. */
    private static final class Slot extends Pointer {
        Slot(long address) {
            super(address);
        }
    }
}
