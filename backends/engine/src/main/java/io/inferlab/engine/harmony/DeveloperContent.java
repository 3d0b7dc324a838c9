package io.inferlab.engine.harmony;

import java.util.List;

/**
 * The harmony developer message: instructions (what other formats call the system prompt) and the
 * function tools, rendered as the harmony guide's example:
 * <pre>
 * # Instructions
 *
 * Use a friendly tone.
 *
 * # Tools
 *
 * ## functions
 *
 * namespace functions {
 *
 * // Gets the current weather in the provided location.
 * type get_current_weather = (_: {
 * // The city and state, e.g. San Francisco, CA
 * location: string,
 * format?: "celsius" | "fahrenheit", // default: celsius
 * }) => any;
 *
 * } // namespace functions
 * </pre>
 */
public record DeveloperContent(String instructions, List<ToolDescription> tools) {
    public DeveloperContent {
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public static DeveloperContent instructions(String text) {
        return new DeveloperContent(text, List.of());
    }

    public boolean hasTools() {
        return !tools.isEmpty();
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        if (instructions != null && !instructions.isEmpty()) {
            out.append("# Instructions\n\n").append(instructions);
        }
        if (!tools.isEmpty()) {
            if (!out.isEmpty()) {
                out.append("\n\n");
            }
            out.append("# Tools\n\n## functions\n\nnamespace functions {\n\n");
            for (ToolDescription t : tools) {
                if (!t.description().isEmpty()) {
                    out.append("// ").append(t.description()).append('\n');
                }
                out.append("type ").append(t.name()).append(" = ");
                if (t.parameters().isEmpty()) {
                    out.append("() => any;\n\n");
                    continue;
                }
                out.append("(_: {\n");
                for (ToolDescription.Parameter p : t.parameters()) {
                    if (p.description() != null && !p.description().isEmpty()) {
                        out.append("// ").append(p.description()).append('\n');
                    }
                    out.append(p.name()).append(p.required() ? "" : "?").append(": ").append(p.type()).append(',');
                    if (p.defaultValue() != null) {
                        out.append(" // default: ").append(p.defaultValue());
                    }
                    out.append('\n');
                }
                out.append("}) => any;\n\n");
            }
            out.append("} // namespace functions");
        }
        return out.toString();
    }
}
