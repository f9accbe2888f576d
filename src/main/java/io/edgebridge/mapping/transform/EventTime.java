package io.edgebridge.mapping.transform;

import static java.time.temporal.ChronoField.DAY_OF_MONTH;
import static java.time.temporal.ChronoField.HOUR_OF_DAY;
import static java.time.temporal.ChronoField.MINUTE_OF_HOUR;
import static java.time.temporal.ChronoField.MONTH_OF_YEAR;
import static java.time.temporal.ChronoField.NANO_OF_SECOND;
import static java.time.temporal.ChronoField.SECOND_OF_MINUTE;
import static java.time.temporal.ChronoField.YEAR;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;

/**
 * Reads a record's event time: integer epoch milliseconds, or an RFC 3339 timestamp ({@code 2024-05-01T12:00:00Z},
 * {@code 2024-05-01T14:00:00.250+02:00}). Kafka timestamps cannot be negative, so times before 1970 are refused;
 * RFC 3339 years have four digits, so times after 9999 are too.
 */
final class EventTime {

    static final long MAX_MILLIS = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    /** RFC 3339 section 5.6 {@code date-time}: seconds required, fraction optional, 'T' and 'Z' in either case. */
    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendValue(YEAR, 4)
            .appendLiteral('-')
            .appendValue(MONTH_OF_YEAR, 2)
            .appendLiteral('-')
            .appendValue(DAY_OF_MONTH, 2)
            .appendLiteral('T')
            .appendValue(HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(MINUTE_OF_HOUR, 2)
            .appendLiteral(':')
            .appendValue(SECOND_OF_MINUTE, 2)
            .optionalStart()
            .appendFraction(NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter(Locale.ROOT)
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);

    /** Longest text worth parsing: {@code 9999-12-31T23:59:59.999999999+00:00} has 35 characters. */
    private static final int MAX_TEXT = 40;

    private EventTime() {}

    /** The instant {@code value} holds; {@link IllegalArgumentException} says why it holds none. */
    static Instant read(JsonNode value) {
        if (value.isMissingNode()) {
            throw new IllegalArgumentException("is missing");
        }
        if (value.isIntegralNumber()) {
            if (!value.canConvertToLong()) {
                throw new IllegalArgumentException(value + " is out of range");
            }
            return millis(value.longValue(), value);
        }
        if (value.isNumber()) {
            double number = value.doubleValue();
            if (number != Math.rint(number)) {
                throw new IllegalArgumentException(value + " is not whole epoch milliseconds");
            }
            if (Math.abs(number) > MAX_MILLIS) {
                throw new IllegalArgumentException(value + " is out of range");
            }
            return millis((long) number, value);
        }
        if (value.isTextual()) {
            return text(value.asText());
        }
        throw new IllegalArgumentException("is " + value.getNodeType().name().toLowerCase(Locale.ROOT)
                + ", expected epoch milliseconds or an RFC 3339 string");
    }

    private static Instant millis(long millis, JsonNode value) {
        if (millis < 0 || millis > MAX_MILLIS) {
            throw new IllegalArgumentException(value + " is out of range (0 to " + MAX_MILLIS + " ms)");
        }
        return Instant.ofEpochMilli(millis);
    }

    private static Instant text(String text) {
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("is a string of " + text.length() + " characters, not RFC 3339");
        }
        Instant instant;
        try {
            instant = RFC_3339.parse(text, Instant::from);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an RFC 3339 time (e.g. 2024-05-01T12:00:00Z)");
        }
        if (instant.isBefore(Instant.EPOCH)) {
            throw new IllegalArgumentException("\"" + text + "\" is before 1970, which Kafka timestamps cannot hold");
        }
        return instant;
    }
}
