package io.inferlab.engine.model.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.inferlab.engine.gguf.GgufFile;
import io.inferlab.engine.model.GptOssModel;
import io.inferlab.engine.tensor.GgmlType;

/** The one gpt-oss writer: deterministic bytes, files our engine loads, and its size arithmetic. */
class SyntheticGptOssTest {
    /** The real vocabulary's rows on a model small enough to write in a moment. */
    static final GptOssShape SMALL_O200K = new GptOssShape(32, 2, 2, 1, 32, 4, 2, 64,
            GptOssShape.O200K_HARMONY_ROWS, 8, 512);

    @TempDir
    Path dir;

    private static SyntheticGptOss writer(GptOssShape shape, GgmlType dense, boolean tied, long seed) {
        return new SyntheticGptOss("test", shape, HarmonyVocabulary.o200kSized(), dense, dense, tied, seed);
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    /** A small vocabulary of plain letter merges: everything but the real vocabulary's size. */
    static final GptOssShape SMALL = new GptOssShape(32, 2, 2, 1, 32, 4, 2, 64, 1024, 8, 512);

    private static SyntheticGptOss smallWriter(GgmlType dense, boolean tied, long seed) {
        HarmonyVocabulary v = HarmonyVocabulary.of(HarmonyVocabulary.letterMerges(500), 1024);
        return new SyntheticGptOss("small", SMALL, v, dense, GgmlType.Q8_0, tied, seed);
    }

    @Test
    void sameSettingsGiveTheSameBytesAndAnotherSeedOtherBytes() throws Exception {
        Path a = writer(SMALL_O200K, GgmlType.Q8_0, false, 1).write(dir.resolve("a.gguf"));
        Path b = writer(SMALL_O200K, GgmlType.Q8_0, false, 1).write(dir.resolve("b.gguf"));
        assertEquals(sha256(a), sha256(b));
        Path c = smallWriter(GgmlType.Q8_0, false, 1).write(dir.resolve("c.gguf"));
        Path d = smallWriter(GgmlType.Q8_0, false, 2).write(dir.resolve("d.gguf"));
        assertFalse(sha256(c).equals(sha256(d)));
    }

    @Test
    void theEngineLoadsWhatItWritesWithTheComputedSizes() {
        List<SyntheticGptOss> writers = List.of(writer(SMALL_O200K, GgmlType.Q8_0, false, 3),
                smallWriter(GgmlType.F16, true, 3), smallWriter(GgmlType.F32, false, 3));
        for (SyntheticGptOss w : writers) {
            SyntheticTensors contents = w.contents();
            Path p = contents.write(dir.resolve(w.denseType() + "-" + w.tiedOutput() + ".gguf"));
            try (GgufFile f = GgufFile.open(p)) {
                GptOssModel m = GptOssModel.load(f);
                GptOssShape s = w.shape();
                assertEquals(s.dim(), m.config().dim());
                assertEquals(s.expertsUsed(), m.config().expertsUsed());
                assertEquals(s.vocabRows(), m.vocabSize());
                assertEquals(GgmlType.MXFP4, m.weights().layers().getFirst().experts().getFirst().type());
                assertEquals(w.denseType(), m.weights().layers().getFirst().wq().type());
                assertEquals(w.tiedOutput(), m.weights().tiedOutput());
                long elements = f.tensorInfos().stream().mapToLong(t -> t.elementCount()).sum();
                assertEquals(s.parameters(w.tiedOutput()), elements);
                assertEquals(contents.parameters(), elements);
                assertEquals(contents.tensorBytes(), f.tensorBytes());
                assertEquals(w.bytesPerToken(), m.weightBytesPerToken(), w.toString());
                assertTrue(m.encodePrompt("hello world").length > 1, "text tokenizes");
            }
        }
    }

    @Test
    void theO200kSizedVocabularyHasTheRealSpecialIds() {
        HarmonyVocabulary v = HarmonyVocabulary.o200kSized();
        assertEquals(201_088, v.size());
        assertEquals(199_998, v.bos());
        assertEquals(199_999, v.padding());
        assertEquals(200_002, v.eos());
        // o200k_harmony's ids (openai/harmony): <|constrain|> 200003, <|channel|> 200005, <|start|> 200006,
        // <|end|> 200007, <|message|> 200008, <|call|> 200012.
        assertEquals(List.of(200_003, 200_005, 200_006, 200_007, 200_008, 200_012),
                List.of("<|constrain|>", "<|channel|>", "<|start|>", "<|end|>", "<|message|>", "<|call|>").stream()
                        .map(v::id).toList());
        assertEquals(5, v.tokenTypes()[200_001]); // reserved
        assertEquals(1, v.tokenTypes()[199_997]);
        assertEquals("Ġthe", v.tokens()[v.id("Ġthe")]);
    }

    @Test
    void mergesMustBuildOnKnownTokens() {
        assertThrows(IllegalArgumentException.class, () -> HarmonyVocabulary.of(List.of("he llo"), 300));
        assertThrows(IllegalArgumentException.class, () -> HarmonyVocabulary.of(List.of("h e", "h e"), 300));
        assertThrows(IllegalArgumentException.class, () -> HarmonyVocabulary.of(List.of("h e"), 271));
        assertEquals(272, HarmonyVocabulary.of(List.of("h e"), 272).size());
    }

    @Test
    void byteCharactersFollowGpt2() {
        assertEquals('!', HarmonyVocabulary.byteChar('!'));
        assertEquals('Ġ', HarmonyVocabulary.byteChar(' ')); // U+0120: the 33rd non-printable byte
        assertEquals('Ā', HarmonyVocabulary.byteChar(0));
        assertTrue(HarmonyVocabulary.letterMerges(1000).stream().distinct().count() == 1000);
    }

    @Test
    void kvCacheBytesFollowTheShape() {
        SyntheticGptOss w = writer(GptOssShape.twentyB(), GgmlType.Q8_0, false, 0);
        // 24 layers x 2 (k, v) x 8 heads x 64 x 4 bytes per position
        assertEquals(24L * 2 * 512 * 4 * 1024, w.kvCacheBytes(1024, 4, false));
        // F16, 12 sliding layers keep 128 positions
        assertEquals(12L * 2 * 512 * 2 * 1024 + 12L * 2 * 512 * 2 * 128, w.kvCacheBytes(1024, 2, true));
    }
}
