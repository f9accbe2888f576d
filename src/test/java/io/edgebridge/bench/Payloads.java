package io.edgebridge.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The benchmark's message body: {@code <device>:<seq>:<intendedNanos>:} padded with 'x' to the payload size, or for
 * JSON rules a JSON object whose {@code id} field holds the same numbers.
 */
final class Payloads {

    private static final byte[] ID_FIELD = "\"id\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final long READINGS_EPOCH_MILLIS = 1_714_564_800_000L;

    private Payloads() {}

    static byte[] of(int device, long seq, long intendedNanos, int size) {
        byte[] head = (device + ":" + seq + ":" + intendedNanos + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] payload = Arrays.copyOf(head, Math.max(size, head.length));
        Arrays.fill(payload, head.length, payload.length, (byte) 'x');
        return payload;
    }

    /**
     * A device's JSON message as the transform expects one: an id, a site, a test flag and a {@code readings}
     * array of three Fahrenheit values with epoch-millisecond times, padded to {@code size} with a {@code pad} field.
     */
    static byte[] json(int device, long seq, long intendedNanos, int size) {
        long ts = READINGS_EPOCH_MILLIS + seq * 1000;
        StringBuilder body = new StringBuilder(size)
                .append("{\"id\":\"")
                .append(device)
                .append(':')
                .append(seq)
                .append(':')
                .append(intendedNanos)
                .append(":\",\"site\":\"site-")
                .append(device % 10)
                .append("\",\"test\":false,\"readings\":[");
        for (int i = 0; i < 3; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"f\":")
                    .append(60 + (seq + i) % 40)
                    .append(".5,\"ts\":")
                    .append(ts + i * 250)
                    .append('}');
        }
        body.append("],\"pad\":\"");
        while (body.length() < size - 2) {
            body.append('x');
        }
        return body.append("\"}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** {device, seq, intendedNanos}, or null when the payload is not one of ours (plain, or JSON with our id). */
    static long[] parse(byte[] payload) {
        int from = payload.length > 0 && payload[0] == '{' ? idAt(payload) : 0;
        if (from < 0) {
            return null;
        }
        long[] fields = new long[3];
        int field = 0;
        long value = 0;
        boolean negative = false;
        boolean digits = false;
        for (int i = from; i < payload.length && field < 3; i++) {
            byte b = payload[i];
            if (b == ':') {
                if (!digits) {
                    return null;
                }
                fields[field++] = negative ? -value : value;
                value = 0;
                negative = false;
                digits = false;
            } else if (b == '-' && !digits) {
                negative = true;
            } else if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
                digits = true;
            } else {
                return null;
            }
        }
        return field == 3 ? fields : null;
    }

    /** Where the value of the {@code "id":"} field starts, -1 when there is none in the first 100 bytes. */
    private static int idAt(byte[] json) {
        int last = Math.min(json.length, 100) - ID_FIELD.length;
        for (int at = 0; at <= last; at++) {
            if (Arrays.equals(json, at, at + ID_FIELD.length, ID_FIELD, 0, ID_FIELD.length)) {
                return at + ID_FIELD.length;
            }
        }
        return -1;
    }
}
