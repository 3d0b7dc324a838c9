package io.inferlab.engine.harmony;

import java.util.List;
import java.util.Objects;

/**
 * A function the model may call, declared in the developer message's {@code # Tools} section.
 *
 * @param parameters the fields of the single argument object (empty: the function takes none)
 */
public record ToolDescription(String name, String description, List<Parameter> parameters) {
    public ToolDescription {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("tool name '" + name + "' is not an identifier");
        }
        description = description == null ? "" : description;
        parameters = List.copyOf(parameters);
    }

    /**
     * One field of the argument object, in the TypeScript-like syntax of the harmony guide.
     *
     * @param type         a TypeScript type, e.g. {@code string}, {@code number}, {@code string[]}
     *                     or {@code "celsius" | "fahrenheit"}
     * @param description  rendered as a comment above the field; may be null
     * @param defaultValue rendered as {@code // default: ...} after the field; may be null
     */
    public record Parameter(String name, String type, String description, boolean required, String defaultValue) {
        public Parameter {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }
}
