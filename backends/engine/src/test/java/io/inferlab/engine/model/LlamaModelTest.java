package io.inferlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.api.InferLabException;
import io.inferlab.api.ModelFormatException;
import io.inferlab.api.UnsupportedModelException;
import io.inferlab.engine.SharedModels;
import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.gguf.GgufValueType;
import io.inferlab.engine.kernels.Rope;

class LlamaModelTest {
    @TempDir
    Path dir;

    @Test
    void readsStoriesConfigFromMetadata() {
        try (GgufFile f = GgufFile.open(SharedModels.require(SharedModels.STORIES_F32))) {
            LlamaConfig c = LlamaModel.load(f).config();
            assertEquals(64, c.dim());
            assertEquals(5, c.layers());
            assertEquals(8, c.heads());
            assertEquals(4, c.kvHeads());
            assertEquals(8, c.headDim());
            assertEquals(172, c.ffnDim());
            assertEquals(512, c.vocabSize());
            assertEquals(512, c.contextLength());
            assertEquals(Rope.Layout.NORMAL, c.ropeLayout());
        }
    }

    @Test
    void loadsTheFixtureTiedAndUntied() {
        for (boolean tied : new boolean[] {true, false}) {
            Path p = new TinyLlamaFixture().tiedOutput(tied).write(dir.resolve("t" + tied + ".gguf"));
            try (GgufFile f = GgufFile.open(p)) {
                LlamaModel m = LlamaModel.load(f);
                assertEquals(tied, m.weights().tiedOutput());
                assertEquals(TinyLlamaFixture.VOCAB, m.config().vocabSize());
            }
        }
    }

    @Test
    void missingMetadataNamesTheKey() {
        String msg = loadError(new TinyLlamaFixture().drop("llama.embedding_length"), ModelFormatException.class);
        assertTrue(msg.contains("llama.embedding_length"), msg);
    }

    @Test
    void absurdDimensionsAreRejectedBeforeAllocating() {
        String msg = loadError(new TinyLlamaFixture().set("llama.embedding_length", GgufValueType.UINT32, 1L << 31),
                ModelFormatException.class);
        assertTrue(msg.contains("llama.embedding_length") && msg.contains("absurd"), msg);
        msg = loadError(new TinyLlamaFixture().set("llama.block_count", GgufValueType.UINT32, 4_000_000_000L),
                ModelFormatException.class);
        assertTrue(msg.contains("llama.block_count"), msg);
    }

    @Test
    void inconsistentHeadsNameTheKey() {
        String msg = loadError(new TinyLlamaFixture().set("llama.attention.head_count_kv", GgufValueType.UINT32, 3L),
                ModelFormatException.class);
        assertTrue(msg.contains("head_count_kv"), msg);
    }

    @Test
    void wrongTensorShapeNamesTheTensor() {
        String msg = loadError(new TinyLlamaFixture().reshape("blk.1.attn_k.weight", 64, 64), ModelFormatException.class);
        assertTrue(msg.contains("blk.1.attn_k.weight") && msg.contains("expected [64, 32]"), msg);
    }

    @Test
    void missingTensorNamesTheTensor() {
        String msg = loadError(new TinyLlamaFixture().dropTensor("blk.0.ffn_up.weight"), ModelFormatException.class);
        assertTrue(msg.contains("blk.0.ffn_up.weight"), msg);
    }

    @Test
    void unknownArchitectureIsUnsupported() {
        String msg = loadError(new TinyLlamaFixture().set("general.architecture", GgufValueType.STRING, "mamba"),
                UnsupportedModelException.class);
        assertTrue(msg.contains("mamba"), msg);
    }

    @Test
    void unsupportedRopeScalingIsNamed() {
        String msg = loadError(new TinyLlamaFixture().set("llama.rope.scaling.type", GgufValueType.STRING, "yarn"),
                UnsupportedModelException.class);
        assertTrue(msg.contains("yarn"), msg);
    }

    private String loadError(TinyLlamaFixture fixture, Class<? extends InferLabException> type) {
        Path p = fixture.write(dir.resolve("bad.gguf"));
        try (GgufFile f = GgufFile.open(p)) {
            return assertThrows(type, () -> LlamaModel.load(f)).getMessage();
        }
    }
}
