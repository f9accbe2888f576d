package io.edgebridge.mapping.transform;

/**
 * A transform that cannot be compiled. The message names the key of the {@code transform} block and, for an
 * expression, the line and column inside it (1-based), so a bad rules file stops startup with a useful answer.
 */
public final class InvalidTransformException extends RuntimeException {

    private final String key;
    private final int line;
    private final int column;
    private final String problem;

    InvalidTransformException(String key, int line, int column, String problem) {
        super(describe(key, line, column, problem));
        this.key = key;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    InvalidTransformException(String key, String problem) {
        this(key, -1, -1, problem);
    }

    private static String describe(String key, int line, int column, String problem) {
        if (key == null) {
            return problem;
        }
        String where = "'" + key + "'";
        if (line > 0) {
            where += " line " + line + (column > 0 ? ", column " + column : "");
        }
        return where + ": " + problem;
    }

    /** The key of the {@code transform} block at fault, e.g. {@code jslt}; null when it is the block as a whole. */
    public String key() {
        return key;
    }

    /** Line inside the expression, or -1 when unknown or not an expression. */
    public int line() {
        return line;
    }

    /** Column inside the expression, or -1 when unknown. */
    public int column() {
        return column;
    }

    /** What is wrong, without the key and position. */
    public String problem() {
        return problem;
    }
}
