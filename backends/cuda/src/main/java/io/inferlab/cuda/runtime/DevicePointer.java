package io.inferlab.cuda.runtime;

import jcuda.driver.CUdeviceptr;

/**
 * A device address that can say what it is. JCuda keeps a {@link CUdeviceptr}'s value to itself
 * (protected), which leaves a launch nothing but JCuda's own marshalling of each argument (see
 * {@link KernelArguments}); every allocation of a {@link CudaContext} is one of these, and so is
 * every address taken inside one.
 */
public final class DevicePointer extends CUdeviceptr {
    /** A null address, until {@code cuMemAlloc} writes one into it. */
    DevicePointer() {
    }

    private DevicePointer(DevicePointer base, long byteOffset) {
        super(base, byteOffset);
    }

    @Override
    public DevicePointer withByteOffset(long byteOffset) {
        return new DevicePointer(this, byteOffset);
    }

    /** The device address, as a kernel receives it. */
    public long address() {
        return getNativePointer() + getByteOffset();
    }
}
