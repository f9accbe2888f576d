package io.edgebridge.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The benchmark's message body: {@code <device>:<seq>:<intendedNanos>:} padded with 'x' to the payload size. */
final class Payloads {

    private Payloads() {}

    static byte[] of(int device, long seq, long intendedNanos, int size) {
        byte[] head = (device + ":" + seq + ":" + intendedNanos + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] payload = Arrays.copyOf(head, Math.max(size, head.length));
        Arrays.fill(payload, head.length, payload.length, (byte) 'x');
        return payload;
    }

    /** {device, seq, intendedNanos}, or null when the payload is not one of ours. */
    static long[] parse(byte[] payload) {
        long[] fields = new long[3];
        int field = 0;
        long value = 0;
        boolean negative = false;
        boolean digits = false;
        for (int i = 0; i < payload.length && field < 3; i++) {
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
}
