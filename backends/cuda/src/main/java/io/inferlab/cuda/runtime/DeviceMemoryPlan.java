package io.inferlab.cuda.runtime;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.model.GptOssConfig;
import io.inferlab.engine.model.GptOssWeights;
import io.inferlab.engine.model.LlamaConfig;
import io.inferlab.engine.model.LlamaWeights;
import io.inferlab.engine.tensor.Tensor;

/**
 * Every device buffer a llama or gpt-oss forward pass needs, sized before anything is allocated, so that a
 * model that does not fit fails at load with the numbers instead of midway.
 *
 * @param entries in allocation order
 */
public record DeviceMemoryPlan(List<Entry> entries) {
    /** Kept free for the driver, the modules and fragmentation: 5% of the free memory, at least 256 MiB. */
    public static final long MIN_HEADROOM = 256L << 20;

    /** One buffer: what it holds and its bytes. */
    public record Entry(String what, long bytes) {
    }

    public DeviceMemoryPlan {
        entries = List.copyOf(entries);
    }

    public long totalBytes() {
        return entries.stream().mapToLong(Entry::bytes).sum();
    }

    /** Bytes of the buffers whose name starts with {@code prefix}. */
    public long bytesOf(String prefix) {
        return entries.stream().filter(e -> e.what().startsWith(prefix)).mapToLong(Entry::bytes).sum();
    }

    /**
     * The plan of a llama model's forward pass with a KV cache of {@code contextLength} positions
     * and batches of up to {@code maxBatch} tokens: the weights once each (a tied output shares the
     * embedding), norms, RoPE tables, KV cache and activations.
     */
    public static DeviceMemoryPlan forLlama(LlamaConfig c, LlamaWeights w, int contextLength, int maxBatch) {
        List<Entry> e = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        addTensor(e, seen, w.tokenEmbedding());
        addTensor(e, seen, w.output());
        e.add(new Entry("weights: output_norm", 4L * c.dim()));
        for (int l = 0; l < c.layers(); l++) {
            LlamaWeights.Layer layer = w.layers().get(l);
            for (Tensor t : List.of(layer.wq(), layer.wk(), layer.wv(), layer.wo(), layer.ffnGate(), layer.ffnUp(),
                    layer.ffnDown())) {
                addTensor(e, seen, t);
            }
            e.add(new Entry("weights: blk." + l + ".attn_norm", 4L * c.dim()));
            e.add(new Entry("weights: blk." + l + ".ffn_norm", 4L * c.dim()));
        }
        long table = 4L * contextLength * (c.ropeDim() / 2);
        e.add(new Entry("rope: cos", table));
        e.add(new Entry("rope: sin", table));
        long cache = 4L * c.layers() * contextLength * c.kvDim();
        e.add(new Entry("kv cache: keys", cache));
        e.add(new Entry("kv cache: values", cache));
        e.add(new Entry("activations: x", 4L * maxBatch * c.dim()));
        e.add(new Entry("activations: xb", 4L * maxBatch * c.dim()));
        e.add(new Entry("activations: q", 4L * maxBatch * c.qDim()));
        e.add(new Entry("activations: att", 4L * maxBatch * c.qDim()));
        e.add(new Entry("activations: hb", 4L * maxBatch * c.ffnDim()));
        e.add(new Entry("activations: hb2", 4L * maxBatch * c.ffnDim()));
        e.add(new Entry("activations: logits", 4L * maxBatch * c.vocabSize()));
        e.add(new Entry("activations: ids", 4L * maxBatch));
        e.add(new Entry("activations: argmax", 4L));
        return new DeviceMemoryPlan(e);
    }

    /**
     * The plan of a gpt-oss model's forward pass: the dense matrices and each layer's three expert
     * tensors (all experts, as stored: which ones a token reads is decided on the device), norms,
     * biases (per expert for the experts), sinks, the YaRN table, the KV cache of every layer (the
     * sliding-window layers keep the full context too: positions are addressed directly), and
     * activations for batches of up to {@code maxBatch} tokens with {@code expertsUsed} slots each.
     */
    public static DeviceMemoryPlan forGptOss(GptOssConfig c, GptOssWeights w, int contextLength, int maxBatch) {
        List<Entry> e = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        addTensor(e, seen, w.tokenEmbedding());
        addTensor(e, seen, w.output());
        e.add(new Entry("weights: output_norm", 4L * c.dim()));
        for (int l = 0; l < c.layers(); l++) {
            GptOssWeights.Layer layer = w.layers().get(l);
            for (Tensor t : List.of(layer.wq(), layer.wk(), layer.wv(), layer.wo(), layer.router())) {
                addTensor(e, seen, t);
            }
            for (Tensor t : layer.experts()) {
                addTensor(e, seen, t);
            }
            String p = "weights: blk." + l + ".";
            e.add(new Entry(p + "attn_norm", 4L * c.dim()));
            e.add(new Entry(p + "attn_q.bias", 4L * c.qDim()));
            e.add(new Entry(p + "attn_k.bias", 4L * c.kvDim()));
            e.add(new Entry(p + "attn_v.bias", 4L * c.kvDim()));
            e.add(new Entry(p + "attn_output.bias", 4L * c.dim()));
            e.add(new Entry(p + "attn_sinks", 4L * c.heads()));
            e.add(new Entry(p + "post_attention_norm", 4L * c.dim()));
            e.add(new Entry(p + "ffn_gate_inp.bias", 4L * c.experts()));
            e.add(new Entry(p + "ffn_gate_exps.bias", 4L * c.experts() * c.expertFfnDim()));
            e.add(new Entry(p + "ffn_up_exps.bias", 4L * c.experts() * c.expertFfnDim()));
            e.add(new Entry(p + "ffn_down_exps.bias", 4L * c.experts() * c.dim()));
        }
        long table = 4L * contextLength * (c.ropeDim() / 2);
        e.add(new Entry("rope: cos", table));
        e.add(new Entry("rope: sin", table));
        long cache = 4L * c.layers() * contextLength * c.kvDim();
        e.add(new Entry("kv cache: keys", cache));
        e.add(new Entry("kv cache: values", cache));
        long slots = (long) maxBatch * c.expertsUsed();
        e.add(new Entry("activations: x", 4L * maxBatch * c.dim()));
        e.add(new Entry("activations: xb", 4L * maxBatch * c.dim()));
        e.add(new Entry("activations: q", 4L * maxBatch * c.qDim()));
        e.add(new Entry("activations: att", 4L * maxBatch * c.qDim()));
        e.add(new Entry("activations: router logits", 4L * maxBatch * c.experts()));
        e.add(new Entry("activations: expert ids", 4L * slots));
        e.add(new Entry("activations: expert weights", 4L * slots));
        e.add(new Entry("activations: gate", 4L * slots * c.expertFfnDim()));
        e.add(new Entry("activations: up", 4L * slots * c.expertFfnDim()));
        e.add(new Entry("activations: down", 4L * slots * c.dim()));
        e.add(new Entry("activations: logits", 4L * maxBatch * c.vocabSize()));
        e.add(new Entry("activations: ids", 4L * maxBatch));
        e.add(new Entry("activations: argmax", 4L));
        return new DeviceMemoryPlan(e);
    }

    private static void addTensor(List<Entry> e, Map<Tensor, Boolean> seen, Tensor t) {
        if (seen.put(t, Boolean.TRUE) == null) {
            e.add(new Entry("weights: " + t.name(), t.data().byteSize()));
        }
    }

    /** Headroom left free on a device with {@code freeBytes} free. */
    public static long headroom(long freeBytes) {
        return Math.max(MIN_HEADROOM, freeBytes / 20);
    }

    /**
     * @throws UnsupportedModelException saying how much the model needs and how much the device has
     */
    public void checkFits(String model, String device, long freeBytes, long totalDeviceBytes) {
        long need = totalBytes();
        long usable = freeBytes - headroom(freeBytes);
        if (need > usable) {
            throw new UnsupportedModelException(String.format(Locale.ROOT,
                    "%s does not fit on %s: it needs %.1f MiB of device memory (weights %.1f MiB, KV cache %.1f MiB, "
                            + "activations %.1f MiB) but only %.1f MiB of the %.1f MiB are free after %.0f MiB headroom; "
                            + "use a smaller context length or a smaller/quantized model",
                    model, device, mib(need), mib(bytesOf("weights")), mib(bytesOf("kv cache")),
                    mib(bytesOf("activations") + bytesOf("rope")), mib(Math.max(0, usable)), mib(totalDeviceBytes),
                    mib(headroom(freeBytes))));
        }
    }

    static double mib(long bytes) {
        return bytes / 1048576.0;
    }
}
