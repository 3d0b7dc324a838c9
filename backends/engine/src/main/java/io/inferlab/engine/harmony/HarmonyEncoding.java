package io.inferlab.engine.harmony;

import java.util.ArrayList;
import java.util.List;

import io.inferlab.api.ChatMessage;
import io.inferlab.api.ChatRole;
import io.inferlab.engine.tokenizer.Tokenizer;
import io.inferlab.engine.tokenizer.VocabularyTokenizer;

/**
 * Harmony over a model's vocabulary (o200k_harmony): renders conversations to token ids and makes
 * parsers for what the model generates. Headers are encoded with special-token parsing (they are
 * built from the message's fields, so {@code <|channel|>} and {@code <|constrain|>} become their
 * tokens); contents never are (a user writing {@code <|end|>} writes text).
 */
public final class HarmonyEncoding {
    public static final String START = "<|start|>";
    public static final String END = "<|end|>";
    public static final String MESSAGE = "<|message|>";
    public static final String CHANNEL = "<|channel|>";
    public static final String CONSTRAIN = "<|constrain|>";
    public static final String RETURN = "<|return|>";
    public static final String CALL = "<|call|>";
    static final List<String> SPECIALS = List.of(START, END, MESSAGE, CHANNEL, CONSTRAIN, RETURN, CALL);

    private final VocabularyTokenizer tokenizer;
    final int start;
    final int end;
    final int message;
    final int channel;
    final int constrain;
    final int returnToken;
    final int call;

    private HarmonyEncoding(VocabularyTokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.start = id(tokenizer, START);
        this.end = id(tokenizer, END);
        this.message = id(tokenizer, MESSAGE);
        this.channel = id(tokenizer, CHANNEL);
        this.constrain = id(tokenizer, CONSTRAIN);
        this.returnToken = id(tokenizer, RETURN);
        this.call = id(tokenizer, CALL);
    }

    /** Whether {@code tokenizer}'s vocabulary has every harmony special token. */
    public static boolean supports(Tokenizer tokenizer) {
        return tokenizer instanceof VocabularyTokenizer v && SPECIALS.stream().allMatch(s -> v.vocabulary().id(s) >= 0);
    }

    /** @throws IllegalArgumentException naming the first harmony token the vocabulary lacks */
    public static HarmonyEncoding of(Tokenizer tokenizer) {
        if (!(tokenizer instanceof VocabularyTokenizer v)) {
            throw new IllegalArgumentException("harmony needs a GGUF vocabulary tokenizer, got " + tokenizer.getClass().getSimpleName());
        }
        return new HarmonyEncoding(v);
    }

    private static int id(VocabularyTokenizer t, String text) {
        int id = t.vocabulary().id(text);
        if (id < 0) {
            throw new IllegalArgumentException("the vocabulary has no harmony token " + text + ": not a harmony model");
        }
        return id;
    }

    public VocabularyTokenizer tokenizer() {
        return tokenizer;
    }

    /** The tokens that end the model's turn: {@code <|return|>} and {@code <|call|>} (not {@code <|end|>}). */
    public int[] stopTokens() {
        return new int[] {returnToken, call};
    }

    public boolean isStopToken(int token) {
        return token == returnToken || token == call;
    }

    /** The header text of {@code m}: author, recipient (after the channel for the assistant), channel, content type. */
    static String header(ChatMessage m) {
        StringBuilder h = new StringBuilder(m.role() == ChatRole.TOOL ? m.name() : m.role().wireName());
        boolean assistant = m.role() == ChatRole.ASSISTANT;
        if (m.recipient() != null && !assistant) {
            h.append(" to=").append(m.recipient());
        }
        if (m.channel() != null) {
            h.append(CHANNEL).append(m.channel());
        }
        if (m.recipient() != null && assistant) {
            h.append(" to=").append(m.recipient());
        }
        if (m.contentType() != null) {
            h.append(' ').append(m.contentType());
        }
        return h.toString();
    }

    /**
     * {@code <|start|>{header}<|message|>{content}} then {@code <|call|>} for an assistant tool
     * call (as the guide's function-calling example keeps it in the history) or {@code <|end|>}.
     */
    public int[] render(ChatMessage m) {
        return concat(List.of(tokenizer.encode(START + header(m) + MESSAGE, false, true),
                tokenizer.encode(m.content(), false, false), new int[] {m.isToolCall() ? call : end}));
    }

    /** {@link #renderForCompletion(Conversation, ChatRole, boolean)} dropping old chain of thought. */
    public int[] renderForCompletion(Conversation conversation, ChatRole next) {
        return renderForCompletion(conversation, next, true);
    }

    /**
     * The conversation's messages and then {@code <|start|>{next}}, the prompt the model completes.
     * With {@code dropAnalysis}, assistant {@code analysis} messages before the last assistant
     * {@code final} message are left out: the guide says to drop the chain of thought of turns
     * that ended in a final answer, and to keep it while a turn is still calling tools.
     */
    public int[] renderForCompletion(Conversation conversation, ChatRole next, boolean dropAnalysis) {
        List<ChatMessage> messages = conversation.messages();
        int lastFinal = -1;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (m.role() == ChatRole.ASSISTANT && ChatMessage.FINAL.equals(m.channel())) {
                lastFinal = i;
            }
        }
        List<int[]> parts = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            boolean oldThought = m.role() == ChatRole.ASSISTANT && ChatMessage.ANALYSIS.equals(m.channel()) && i < lastFinal;
            if (!(dropAnalysis && oldThought)) {
                parts.add(render(m));
            }
        }
        parts.add(new int[] {start});
        parts.add(tokenizer.encode(next.wireName(), false, false));
        return concat(parts);
    }

    private static int[] concat(List<int[]> parts) {
        int[] out = new int[parts.stream().mapToInt(p -> p.length).sum()];
        int n = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, n, p.length);
            n += p.length;
        }
        return out;
    }

    /** A streaming parser for a completion of {@link #renderForCompletion}: it starts inside {@code role}'s header. */
    public HarmonyParser parser(ChatRole role) {
        return new HarmonyParser(this, role);
    }

    /** The messages of a whole completion (which began after {@code <|start|>{role}}), the unfinished last one included. */
    public List<ChatMessage> parse(int[] completion, ChatRole role) {
        HarmonyParser p = parser(role);
        for (int t : completion) {
            p.process(t);
        }
        List<ChatMessage> out = new ArrayList<>(p.messages());
        p.current().ifPresent(out::add);
        return out;
    }
}
