package io.edgebridge.mapping.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Serializes the records of one message into at most a given number of bytes in all, and stops writing as soon as
 * they need more: records may share large parts of the payload, so their JSON can be far larger than the input.
 */
final class CappedJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CappedJson() {}

    /** Each node's JSON, in order; null when together they exceed {@code maxBytes}. */
    static byte[][] write(List<JsonNode> nodes, int maxBytes) {
        Buffer buffer = new Buffer(maxBytes);
        int[] ends = new int[nodes.size()];
        try {
            for (int i = 0; i < ends.length; i++) {
                JSON.writeValue(buffer, nodes.get(i));
                ends[i] = buffer.size;
            }
        } catch (IOException e) {
            if (buffer.full) {
                return null;
            }
            throw new IllegalStateException("writing JSON into memory failed", e);
        }
        byte[][] result = new byte[ends.length][];
        int start = 0;
        for (int i = 0; i < ends.length; i++) {
            result[i] = Arrays.copyOfRange(buffer.bytes, start, ends[i]);
            start = ends[i];
        }
        return result;
    }

    /** A growing byte array that refuses to grow past its cap. */
    private static final class Buffer extends OutputStream {
        private final int cap;
        private byte[] bytes = new byte[512];
        private int size;
        private boolean full;

        Buffer(int cap) {
            this.cap = cap;
        }

        @Override
        public void write(int b) throws IOException {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int length) throws IOException {
            ensure(length);
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        private void ensure(int more) throws IOException {
            if (more > cap - size) {
                full = true;
                throw new IOException("over " + cap + " bytes");
            }
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(cap, Math.max(size + more, bytes.length * 2)));
            }
        }

        @Override
        public void close() {
            // ObjectMapper closes the stream after each value; the buffer stays open for the next record.
        }
    }
}
