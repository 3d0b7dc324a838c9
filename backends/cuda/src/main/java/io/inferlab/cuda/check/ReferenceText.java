package io.inferlab.cuda.check;

/**
 * The stories260K reference: the greedy 100-token continuation of "Once upon a time" that the
 * engine's scalar and Vector API forward passes produce from stories260K.gguf (F32, and Q8_0),
 * the same constant as the engine's test helper SharedModels (copied because the check runs from
 * the runnable jar, without test jars).
 */
public final class ReferenceText {
    public static final String STORIES_F32 = "stories260K.gguf";
    public static final String STORIES_Q8_0 = "stories260K-q8_0.gguf";
    public static final String STORIES_Q4_0 = "stories260K-q4_0.gguf";
    public static final String PROMPT = "Once upon a time";
    public static final int MAX_TOKENS = 100;
    public static final String STORIES_REFERENCE_TEXT = "Once upon a time, there was a little girl named Lily. "
            + "She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it, "
            + "but it was too high.\nLily's mom said, \"Lily, let's go to the park.\" Lily was sad and didn't know "
            + "what to do";

    private ReferenceText() {
    }
}
