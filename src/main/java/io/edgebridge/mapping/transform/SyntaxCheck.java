package io.edgebridge.mapping.transform;

import com.schibsted.spt.data.jslt.parser.JsltParser;
import com.schibsted.spt.data.jslt.parser.JsltParserConstants;
import com.schibsted.spt.data.jslt.parser.JsltParserTreeConstants;
import com.schibsted.spt.data.jslt.parser.ParseException;
import com.schibsted.spt.data.jslt.parser.SimpleNode;
import com.schibsted.spt.data.jslt.parser.Token;
import com.schibsted.spt.data.jslt.parser.TokenMgrError;
import java.io.StringReader;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JSLT expression's syntax tree before JSLT compiles it, and refuses what could make one evaluation run
 * without bound on a small payload (a JSLT evaluation cannot be interrupted): {@code def} (functions may recurse),
 * {@code import}, {@code *} on an operand that may be a string ({@code "ab" * 3} is {@code "ababab"} in JSLT, so a
 * number from the payload would decide the size), and regular expressions not written as string literals.
 */
final class SyntaxCheck {

    /** What the expression uses: the variables it needs from outside and its regular expressions, compiled. */
    record Findings(Set<String> variables, Map<String, Regex> regexes) {}

    /** Functions whose second argument is a regular expression. */
    private static final Set<String> REGEX_FUNCTIONS = Set.of("test", "capture", "split", "replace");

    /** Built-in functions that never return a string (a number, a boolean or null). */
    private static final Set<String> NON_STRING_FUNCTIONS = Set.of(
            "round",
            "floor",
            "ceiling",
            "size",
            "sum",
            "mod",
            "hash-int",
            "index-of",
            "now",
            "random",
            "not",
            "boolean",
            "is-boolean",
            "is-number",
            "is-integer",
            "is-decimal",
            "is-string",
            "is-object",
            "is-array",
            "contains",
            "test",
            "all",
            "any",
            "starts-with",
            "ends-with");

    private static final Pattern LEXICAL_POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    private final String key;
    private final Map<String, Regex> regexes = new HashMap<>();

    private SyntaxCheck(String key) {
        this.key = key;
    }

    /** Checks {@code source}, the value of the block's {@code key}; refusals name the line and column. */
    static Findings check(String key, String source) {
        SimpleNode root = parse(key, source);
        SyntaxCheck check = new SyntaxCheck(key);
        check.visit(root);
        // Variables the caller must provide: every $name, less the names the expression binds with 'let'.
        Set<String> variables = new LinkedHashSet<>();
        Set<String> bound = new HashSet<>();
        for (Token t = root.jjtGetFirstToken(); t != null && t.kind != JsltParserConstants.EOF; t = t.next) {
            if (t.kind == JsltParserConstants.VARIABLE) {
                variables.add(t.image.substring(1));
            } else if (t.kind == JsltParserConstants.LET && t.next != null) {
                bound.add(t.next.image);
            }
        }
        variables.removeAll(bound);
        return new Findings(Set.copyOf(variables), Map.copyOf(check.regexes));
    }

    private static SimpleNode parse(String key, String source) {
        TreeParser parser = new TreeParser(source);
        try {
            return parser.start();
        } catch (ParseException e) {
            Token at = e.currentToken == null ? null : e.currentToken.next;
            if (at == null) {
                throw new InvalidTransformException(key, firstLine(e.getMessage()));
            }
            String problem = at.kind == JsltParserConstants.EOF
                    ? "the expression ends too early"
                    : "unexpected '" + at.image + "'";
            throw new InvalidTransformException(key, at.beginLine, at.beginColumn, problem);
        } catch (TokenMgrError e) {
            // The lexer keeps the position only in its message.
            String message = firstLine(e.getMessage());
            Matcher position = LEXICAL_POSITION.matcher(message);
            if (position.find()) {
                throw new InvalidTransformException(
                        key, Integer.parseInt(position.group(1)), Integer.parseInt(position.group(2)), message);
            }
            throw new InvalidTransformException(key, message);
        }
    }

    private void visit(SimpleNode node) {
        switch (node.getId()) {
            case JsltParserTreeConstants.JJTIMPORT ->
                throw refusal(node, "'import' is refused: a transform is one self-contained expression");
            case JsltParserTreeConstants.JJTFUNCTIONDECL ->
                throw refusal(
                        node,
                        "'def' is refused: a function can call itself without end, and a JSLT evaluation cannot be"
                                + " interrupted");
            case JsltParserTreeConstants.JJTMULTIPLICATIVEEXPR -> checkMultiplication(node);
            case JsltParserTreeConstants.JJTFUNCTIONCALL -> checkRegexArgument(node);
            default -> {}
        }
        for (int i = 0; i < node.jjtGetNumChildren(); i++) {
            visit(child(node, i));
        }
    }

    /** Children alternate operand, operator, operand; JSLT applies them left to right. */
    private void checkMultiplication(SimpleNode node) {
        for (int i = 1; i < node.jjtGetNumChildren(); i += 2) {
            if (child(node, i).jjtGetFirstToken().kind != JsltParserConstants.STAR) {
                continue;
            }
            // Left of the first operator is an operand; further left is a product or quotient: a number.
            SimpleNode left = child(node, i - 1);
            if (i == 1 && !neverString(left)) {
                throw multiplicationRefusal(left);
            }
            SimpleNode right = child(node, i + 1);
            if (!neverString(right)) {
                throw multiplicationRefusal(right);
            }
        }
    }

    private InvalidTransformException multiplicationRefusal(SimpleNode operand) {
        return refusal(
                operand,
                "this operand of '*' may be a string, and JSLT repeats a string that many times, so the payload"
                        + " could decide how much memory one message takes; make it a number with number(...)");
    }

    private void checkRegexArgument(SimpleNode call) {
        Token name = call.jjtGetFirstToken();
        if (!REGEX_FUNCTIONS.contains(name.image) || call.jjtGetNumChildren() < 2) {
            return; // a wrong argument count is left to JSLT, which names it
        }
        SimpleNode argument = child(call, 1);
        Token literal = stringLiteral(argument);
        if (literal == null) {
            throw refusal(
                    argument,
                    "the regular expression of " + name.image + "() must be a string literal: one taken from the"
                            + " payload could run for a very long time");
        }
        String text = StringLiterals.decode(literal.image);
        if (text == null) {
            throw refusal(argument, "the string literal " + literal.image + " has an invalid escape");
        }
        try {
            regexes.put(text, Regex.compile(text));
        } catch (IllegalArgumentException e) {
            throw refusal(argument, "invalid regular expression " + literal.image + ": " + firstLine(e.getMessage()));
        }
    }

    /** Whether the expression can be seen, from its form alone, never to give a string. */
    private boolean neverString(SimpleNode node) {
        int children = node.jjtGetNumChildren();
        switch (node.getId()) {
            case JsltParserTreeConstants.JJTEXPR: // operands separated by pipes: the last one gives the value
                return neverString(child(node, children - 1));
            case JsltParserTreeConstants.JJTOREXPR:
            case JsltParserTreeConstants.JJTANDEXPR:
            case JsltParserTreeConstants.JJTCOMPARATIVEEXPR: // with an operator: a boolean
            case JsltParserTreeConstants.JJTMULTIPLICATIVEEXPR: // with an operator: a number (* is checked)
                return children > 1 || neverString(child(node, 0));
            case JsltParserTreeConstants.JJTADDITIVEEXPR:
                return additionNeverString(node);
            case JsltParserTreeConstants.JJTBASEEXPR:
                return children == 0
                        ? node.jjtGetFirstToken().kind != JsltParserConstants.STRING
                        : neverString(child(node, 0));
            case JsltParserTreeConstants.JJTPARENTHESIS:
                return neverString(child(node, 0));
            case JsltParserTreeConstants.JJTCHAINABLE:
                return children == 1
                        && child(node, 0).getId() == JsltParserTreeConstants.JJTFUNCTIONCALL
                        && callNeverString(child(node, 0));
            case JsltParserTreeConstants.JJTIFSTATEMENT:
                return ifNeverString(node);
            case JsltParserTreeConstants.JJTARRAY:
            case JsltParserTreeConstants.JJTOBJECT:
            case JsltParserTreeConstants.JJTOBJECTCOMPREHENSION:
                return true;
            default:
                return false;
        }
    }

    /** {@code a - b} is a number; {@code a + b} is a string when either side is one. */
    private boolean additionNeverString(SimpleNode node) {
        boolean result = neverString(child(node, 0));
        for (int i = 1; i < node.jjtGetNumChildren(); i += 2) {
            boolean minus = child(node, i).jjtGetFirstToken().kind == JsltParserConstants.MINUS;
            result = minus || (result && neverString(child(node, i + 1)));
        }
        return result;
    }

    private boolean callNeverString(SimpleNode call) {
        String name = call.jjtGetFirstToken().image;
        if (name.equals("number")) {
            // number(x, fallback) gives the fallback when x is no number
            return call.jjtGetNumChildren() < 2 || neverString(child(call, 1));
        }
        return NON_STRING_FUNCTIONS.contains(name);
    }

    /** Children: condition, lets, then-expression, optional else branch (lets, expression). */
    private boolean ifNeverString(SimpleNode node) {
        SimpleNode last = child(node, node.jjtGetNumChildren() - 1);
        boolean hasElse = last.getId() == JsltParserTreeConstants.JJTELSEBRANCH;
        SimpleNode then = child(node, node.jjtGetNumChildren() - (hasElse ? 2 : 1));
        return neverString(then) && (!hasElse || neverString(child(last, last.jjtGetNumChildren() - 1)));
    }

    /** The string literal token {@code expr} consists of, or null when it is anything else. */
    private static Token stringLiteral(SimpleNode expr) {
        SimpleNode node = expr;
        while (node.jjtGetNumChildren() == 1) {
            node = child(node, 0);
        }
        boolean literal = node.jjtGetNumChildren() == 0
                && node.getId() == JsltParserTreeConstants.JJTBASEEXPR
                && node.jjtGetFirstToken().kind == JsltParserConstants.STRING;
        return literal ? node.jjtGetFirstToken() : null;
    }

    private InvalidTransformException refusal(SimpleNode node, String problem) {
        Token at = node.jjtGetFirstToken();
        return new InvalidTransformException(key, at.beginLine, at.beginColumn, problem);
    }

    private static SimpleNode child(SimpleNode node, int index) {
        return (SimpleNode) node.jjtGetChild(index);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    /** JSLT's generated parser keeps the tree in a protected field: a subclass reaches it. */
    private static final class TreeParser extends JsltParser {
        TreeParser(String source) {
            super(new StringReader(source));
        }

        SimpleNode start() throws ParseException {
            Start();
            return (SimpleNode) jjtree.rootNode();
        }
    }
}
