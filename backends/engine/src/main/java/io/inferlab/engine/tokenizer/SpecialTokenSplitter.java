package io.inferlab.engine.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts text at literal spellings of special tokens before the merge algorithm sees it, as
 * llama.cpp's tokenizer does ({@code tokenizer_st_partition}). Control and unknown tokens (such as
 * {@code <|start|>}) are recognised only when the caller asks for special-token parsing;
 * user-defined tokens always are, because llama.cpp treats them as words added to the vocabulary.
 * At each position the longest matching token wins.
 */
final class SpecialTokenSplitter {

    /** A piece of the input: plain text for the merge algorithm, or a token found literally. */
    sealed interface Fragment permits Text, Token { }

    record Text(String text) implements Fragment { }

    record Token(int id) implements Fragment { }

    /** Trie node over UTF-16 chars; {@code id >= 0} where a special token ends. */
    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        int id = -1;
        boolean alwaysMatched;
    }

    private final Node root = new Node();
    private final boolean hasAlwaysMatched;
    private final boolean empty;

    SpecialTokenSplitter(Vocabulary vocab) {
        boolean always = false;
        boolean none = true;
        for (int id = 0; id < vocab.size(); id++) {
            TokenType type = vocab.type(id);
            boolean userDefined = type == TokenType.USER_DEFINED;
            if (!userDefined && type != TokenType.CONTROL && type != TokenType.UNKNOWN) {
                continue;
            }
            String text = vocab.text(id);
            if (text.isEmpty()) {
                continue;
            }
            Node node = root;
            for (int i = 0; i < text.length(); i++) {
                node = node.children.computeIfAbsent(text.charAt(i), c -> new Node());
            }
            node.id = id; // a duplicated spelling maps to the last id, as in Vocabulary#id
            node.alwaysMatched = userDefined;
            always |= userDefined;
            none = false;
        }
        hasAlwaysMatched = always;
        empty = none;
    }

    /** {@code text} cut into text and token fragments, in order; empty text fragments are dropped. */
    List<Fragment> split(String text, boolean parseSpecial) {
        List<Fragment> out = new ArrayList<>();
        if (empty || (!parseSpecial && !hasAlwaysMatched)) {
            if (!text.isEmpty()) {
                out.add(new Text(text));
            }
            return out;
        }
        int textStart = 0;
        int i = 0;
        while (i < text.length()) {
            int matchEnd = -1;
            int matchId = -1;
            Node node = root;
            for (int j = i; j < text.length(); j++) {
                node = node.children.get(text.charAt(j));
                if (node == null) {
                    break;
                }
                if (node.id >= 0 && (parseSpecial || node.alwaysMatched)) {
                    matchEnd = j + 1;
                    matchId = node.id;
                }
            }
            if (matchId < 0) {
                i++;
                continue;
            }
            if (i > textStart) {
                out.add(new Text(text.substring(textStart, i)));
            }
            out.add(new Token(matchId));
            i = matchEnd;
            textStart = i;
        }
        if (textStart < text.length()) {
            out.add(new Text(text.substring(textStart)));
        }
        return out;
    }
}
