package io.inferlab.reports.render;

/** Markdown escaping for table cells. */
final class Markdown {
    private static final java.util.regex.Pattern TAG_START = java.util.regex.Pattern.compile("<(?=[A-Za-z/!?])");

    private Markdown() {
    }

    /**
     * Escapes what would break a GitHub-flavoured table cell (a pipe, a line break) or open an
     * HTML tag on a job page. Underscores inside words stay as they are: GFM does not read them as
     * emphasis, and params like {@code quick_qa} stay readable in a terminal.
     */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        // Only a '<' that could open a tag is escaped, so "<0.001" stays readable in a terminal.
        return TAG_START.matcher(s.replace("|", "\\|").replace("\r", " ").replace("\n", " ")).replaceAll("&lt;");
    }
}
