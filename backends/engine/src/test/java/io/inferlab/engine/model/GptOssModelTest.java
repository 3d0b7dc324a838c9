package io.inferlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.InferLabException;
import io.inferlab.api.ModelFormatException;
import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.SharedModels;
import io.inferlab.engine.gguf.GgufArray;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.gguf.GgufValueType;
import io.inferlab.engine.kernels.Rope;
import io.inferlab.engine.model.synthetic.GptOssShape;
import io.inferlab.engine.tensor.GgmlType;

/** Loading gpt-oss models: config from {@code gpt-oss.*} metadata, weights by llama.cpp's names, typed errors. */
class GptOssModelTest {
    @TempDir
    Path dir;

    @Test
    void readsTheSharedTinyModel() {
        try (GgufFile f = GgufFile.open(SharedModels.require(SharedModels.TINY_GPT_OSS))) {
            GptOssModel m = assertInstanceOf(GptOssModel.class, Models.load(f));
            GptOssConfig c = m.config();
            assertEquals(64, c.dim());
            assertEquals(4, c.layers());
            assertEquals(2, c.heads());
            assertEquals(1, c.kvHeads());
            assertEquals(64, c.headDim());
            assertEquals(128, c.qDim());
            assertEquals(4, c.experts());
            assertEquals(2, c.expertsUsed());
            assertEquals(128, c.expertFfnDim());
            assertEquals(201_088, c.vocabSize());
            assertEquals(150000f, c.ropeBase());
            assertEquals(32f, c.ropeScale());
            assertEquals(new Rope.Yarn(4096, 32f, 1f), c.yarn());
            assertEquals(16, c.slidingWindow());
            assertArrayEquals(new boolean[] {true, false, true, false}, c.slidingLayers());
            assertFalse(m.weights().tiedOutput());
            assertEquals(GgmlType.MXFP4, m.weights().layers().getFirst().gateExperts()[3].type());
            assertArrayEquals(new int[] {200002, 200012, 199999}, m.stopTokens());
            assertEquals("f32 weights, mxfp4 experts", m.weightsDescription());
        }
    }

    @Test
    void loadsTheFixtureTiedAndUntied() {
        for (boolean tied : new boolean[] {true, false}) {
            GptOssFixture fixture = new GptOssFixture().tiedOutput(tied);
            try (GgufFile f = GgufFile.open(fixture.write(dir.resolve("t" + tied + ".gguf")))) {
                GptOssModel m = GptOssModel.load(f);
                GptOssShape s = GptOssFixture.tinyShape();
                assertEquals(tied, m.weights().tiedOutput());
                assertEquals(s.dim(), m.config().dim());
                assertEquals(s.heads() * s.headDim(), m.config().qDim());
                assertEquals(s.slidingWindow(), m.config().slidingWindow());
                assertArrayEquals(new boolean[] {true, false, true, false}, m.config().slidingLayers());
                // Expert views: a [dim, ffn] matrix over 1/experts of the 3-D tensor's bytes, in order.
                GptOssWeights.Layer l = m.weights().layers().get(1);
                long expertBytes = l.experts().getFirst().data().byteSize() / s.experts();
                assertEquals(s.expertFfn(), l.gateExperts()[2].rows());
                assertEquals(s.dim(), l.downExperts()[2].rows());
                assertEquals(expertBytes, l.upExperts()[1].data().byteSize());
                assertEquals(l.experts().get(1).data().address() + 3 * expertBytes, l.upExperts()[3].data().address());
            }
        }
    }

    /** Dense matrices + one embedding row + expertsUsed/experts of the expert bytes: what decode reads. */
    @Test
    void bytesPerTokenCountOnlyTheActiveExperts() {
        try (GgufFile f = GgufFile.open(new GptOssFixture().write(dir.resolve("m.gguf")))) {
            GptOssModel m = GptOssModel.load(f);
            long dense = m.weights().denseMatrices().stream().mapToLong(t -> t.data().byteSize()).sum();
            long experts = m.weights().layers().stream()
                    .mapToLong(l -> l.experts().stream().mapToLong(t -> t.data().byteSize()).sum()).sum();
            long expected = dense + experts / 2 + m.weights().tokenEmbedding().rowBytes(); // 2 of 4 experts
            assertEquals(expected, m.weightBytesPerToken());
            assertTrue(m.weightBytesPerToken() < dense + experts);
        }
    }

    @Test
    void slidingWindowPatternFromMetadata() {
        GptOssConfig three = config(new GptOssFixture().set("gpt-oss.attention.sliding_window_pattern", GgufValueType.UINT32, 3L));
        assertArrayEquals(new boolean[] {true, true, false, true}, three.slidingLayers());
        GptOssConfig none = config(new GptOssFixture().set("gpt-oss.attention.sliding_window_pattern", GgufValueType.UINT32, 1L));
        assertArrayEquals(new boolean[] {false, false, false, false}, none.slidingLayers());
        GptOssConfig flags = config(new GptOssFixture().set("gpt-oss.attention.sliding_window_pattern", GgufValueType.ARRAY,
                new GgufArray(GgufValueType.BOOL, new boolean[] {false, true, true, false})));
        assertArrayEquals(new boolean[] {false, true, true, false}, flags.slidingLayers());
        String msg = loadError(new GptOssFixture().set("gpt-oss.attention.sliding_window_pattern", GgufValueType.ARRAY,
                new GgufArray(GgufValueType.BOOL, new boolean[] {true})), ModelFormatException.class);
        assertTrue(msg.contains("sliding_window_pattern") && msg.contains("4 bools"), msg);
    }

    @Test
    void ropeScalingVariants() {
        GptOssConfig plain = config(new GptOssFixture().drop("gpt-oss.rope.scaling.type"));
        assertNull(plain.yarn());
        GptOssConfig yarn = config(new GptOssFixture().drop("gpt-oss.rope.scaling.original_context_length")
                .set("gpt-oss.rope.scaling.yarn_beta_fast", GgufValueType.FLOAT32, 16f));
        assertNotNull(yarn.yarn());
        assertEquals(GptOssFixture.tinyShape().contextLength(), yarn.yarn().originalContext(), "defaults to the trained context");
        assertEquals(16f, yarn.yarn().betaFast());
        String msg = loadError(new GptOssFixture().set("gpt-oss.rope.scaling.type", GgufValueType.STRING, "longrope"),
                UnsupportedModelException.class);
        assertTrue(msg.contains("longrope") && msg.contains("yarn"), msg);
    }

    @Test
    void inconsistentMetadataNamesTheKey() {
        String msg = loadError(new GptOssFixture().set("gpt-oss.expert_used_count", GgufValueType.UINT32, 5L),
                ModelFormatException.class);
        assertTrue(msg.contains("gpt-oss.expert_used_count"), msg);
        msg = loadError(new GptOssFixture().drop("gpt-oss.attention.sliding_window"), ModelFormatException.class);
        assertTrue(msg.contains("gpt-oss.attention.sliding_window"), msg);
        msg = loadError(new GptOssFixture().set("gpt-oss.attention.value_length", GgufValueType.UINT32, 16L),
                UnsupportedModelException.class);
        assertTrue(msg.contains("value_length"), msg);
    }

    @Test
    void missingOrMisshapenTensorsAreNamed() {
        String msg = loadError(new GptOssFixture().dropTensor("blk.2.attn_sinks.weight"), ModelFormatException.class);
        assertTrue(msg.contains("blk.2.attn_sinks.weight"), msg);
        msg = loadError(new GptOssFixture().dropTensor("blk.0.ffn_down_exps.bias"), ModelFormatException.class);
        assertTrue(msg.contains("blk.0.ffn_down_exps.bias"), msg);
        // Four experts in the metadata, five in the file's expert tensors.
        msg = loadError(new GptOssFixture().set("gpt-oss.expert_count", GgufValueType.UINT32, 5L), ModelFormatException.class);
        assertTrue(msg.contains("blk.0.ffn_gate_exps.weight") && msg.contains("expected [64, 96, 5]"), msg);
    }

    @Test
    void modelsDispatchesByArchitecture(@TempDir Path other) {
        try (GgufFile f = GgufFile.open(new TinyLlamaFixture().write(other.resolve("llama.gguf")))) {
            assertInstanceOf(LlamaModel.class, Models.load(f));
        }
        try (GgufFile f = GgufFile.open(new GptOssFixture().write(other.resolve("oss.gguf")))) {
            assertInstanceOf(GptOssModel.class, Models.load(f));
        }
        Path mamba = new TinyLlamaFixture().set("general.architecture", GgufValueType.STRING, "mamba")
                .write(other.resolve("mamba.gguf"));
        try (GgufFile f = GgufFile.open(mamba)) {
            String msg = assertThrows(UnsupportedModelException.class, () -> Models.load(f)).getMessage();
            assertTrue(msg.contains("mamba") && msg.contains("llama, gpt-oss"), msg);
        }
    }

    /** No BOS for gpt-oss, even where the file asks for one; harmony's stop tokens end a generation, <|end|> does not. */
    @Test
    void promptsAndStopTokens() {
        GptOssFixture fixture = new GptOssFixture().set("tokenizer.ggml.add_bos_token", GgufValueType.BOOL, true);
        try (GgufFile f = GgufFile.open(fixture.write(dir.resolve("bos.gguf")))) {
            GptOssModel m = GptOssModel.load(f);
            int[] tokens = m.encodePrompt("hello world");
            assertEquals(m.tokenizer().encode("hello world", false, false).length, tokens.length);
            assertTrue(tokens[0] != fixture.tokenId("<|startoftext|>"));
            assertEquals(fixture.tokenId("hell"), tokens[0]); // h e -> he, l l -> ll, he ll -> hell
            for (String stop : GptOssModel.STOP_TOKEN_NAMES) {
                assertTrue(m.isEndOfGeneration(fixture.tokenId(stop)), stop);
            }
            assertFalse(m.isEndOfGeneration(fixture.tokenId("<|end|>")));
            assertFalse(m.isEndOfGeneration(fixture.tokenId("<|message|>")));
        }
    }

    private GptOssConfig config(GptOssFixture fixture) {
        try (GgufFile f = GgufFile.open(fixture.write(dir.resolve("c" + System.nanoTime() + ".gguf")))) {
            return GptOssModel.load(f).config();
        }
    }

    private String loadError(GptOssFixture fixture, Class<? extends InferLabException> type) {
        Path p = fixture.write(dir.resolve("bad" + System.nanoTime() + ".gguf"));
        try (GgufFile f = GgufFile.open(p)) {
            return assertThrows(type, () -> Models.load(f)).getMessage();
        }
    }
}
