package io.inferlab.opencl;

import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.model.GptOssModel;
import io.inferlab.engine.model.LlamaModel;
import io.inferlab.engine.model.Model;
import io.inferlab.engine.runtime.DeviceForwardPass;

/**
 * Builds the OpenCL forward pass of a loaded model on one device. The limits are the device's
 * own; the tests lower them (and can make the n-th allocation fail as on a full device) through
 * the package-private constructor, on the real device.
 *
 * @param failAtAllocation the n-th buffer allocation fails as on a full device (0 = never)
 */
record OpenClPassFactory(OpenClDevice device, DeviceLimits limits, int failAtAllocation)
        implements DeviceForwardPass.Factory {

    OpenClPassFactory(OpenClDevice device) {
        this(device, DeviceLimits.of(device), 0);
    }

    @Override
    public DeviceForwardPass open(Model model, int contextLength, int maxBatch) {
        return switch (model) {
            case LlamaModel llama -> OpenClLlamaPass.load(llama, DeviceContext.of(device), contextLength, maxBatch, limits,
                    failAtAllocation);
            case GptOssModel oss -> OpenClGptOssPass.load(oss, DeviceContext.of(device), contextLength, maxBatch, limits,
                    failAtAllocation);
            default -> throw new UnsupportedModelException(model.architecture()
                    + " models do not run on backend 'opencl' (it runs llama and gpt-oss)");
        };
    }
}
