package io.edgebridge.mapping.transform;

/** Decodes a JSLT string literal the way JSLT does: JSON's escapes, any other character as written. */
final class StringLiterals {

    private StringLiterals() {}

    /** The text of {@code image} (quotes included), or null when an escape is not one JSLT knows. */
    static String decode(String image) {
        StringBuilder text = new StringBuilder(image.length());
        int end = image.length() - 1;
        for (int i = 1; i < end; i++) {
            char c = image.charAt(i);
            if (c != '\\') {
                text.append(c);
                continue;
            }
            char escaped = image.charAt(++i);
            switch (escaped) {
                case '"', '\\', '/' -> text.append(escaped);
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    if (i + 4 >= end || !isHex(image, i + 1, i + 5)) {
                        return null;
                    }
                    text.append((char) Integer.parseInt(image.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> {
                    return null;
                }
            }
        }
        return text.toString();
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
