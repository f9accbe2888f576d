package io.edgebridge.mapping.transform;

import com.schibsted.spt.data.jslt.JsltException;

/**
 * The input of a regular expression, counting the characters it reads: java.util.regex backtracks, and some
 * expressions take exponential time on some inputs; past the allowance the match stops with an error.
 */
final class CountedChars implements CharSequence {

    /** Characters a regular expression may read per character of input, plus a fixed allowance. */
    static final long REGEX_STEPS_PER_CHAR = 100;

    static final long REGEX_STEPS_BASE = 100_000;

    private final String text;
    private final String function;
    private final String regex;
    private final long allowance;
    private long remaining;

    CountedChars(String text, String function, String regex) {
        this.text = text;
        this.function = function;
        this.regex = regex;
        this.allowance = REGEX_STEPS_BASE + REGEX_STEPS_PER_CHAR * text.length();
        this.remaining = allowance;
    }

    @Override
    public char charAt(int index) {
        if (--remaining < 0) {
            throw new JsltException(function + "(): the regular expression \"" + regex + "\" gave up after " + allowance
                    + " steps on " + text.length() + " characters");
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}
