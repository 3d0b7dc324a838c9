/**
 * OpenAI's harmony response format, the chat format gpt-oss was trained on: conversations rendered
 * to tokens ({@link io.inferlab.engine.harmony.HarmonyEncoding#renderForCompletion}) and generated
 * tokens parsed back into messages by channel ({@link io.inferlab.engine.harmony.HarmonyParser}).
 *
 * <p>The format, as OpenAI's harmony guide specifies it (cookbook.openai.com/articles/openai-harmony):
 * a message is {@code <|start|>{header}<|message|>{content}<|end|>}; the header holds the author
 * (a role, or a tool's name), optionally {@code <|channel|>} and a channel ({@code analysis} for
 * chain of thought, {@code commentary} for tool calls and preambles, {@code final} for the
 * answer), a recipient {@code to=...} and a content type (e.g. {@code <|constrain|>json}). The
 * model ends its turn with {@code <|return|>} (done) or {@code <|call|>} (a tool call); {@code
 * <|end|>} only ends one of the messages it may write in a row.
 */
package io.inferlab.engine.harmony;
