package io.edgebridge.mapping;

import java.util.Arrays;

/** Splits an MQTT topic into levels at '/', keeping empty levels (MQTT allows them). */
final class TopicLevels {

    private TopicLevels() {}

    static String[] split(String topic) {
        String[] levels = new String[8];
        int count = 0;
        int start = 0;
        while (true) {
            int slash = topic.indexOf('/', start);
            String level = slash < 0 ? topic.substring(start) : topic.substring(start, slash);
            if (count == levels.length) {
                levels = Arrays.copyOf(levels, count * 2);
            }
            levels[count++] = level;
            if (slash < 0) {
                return count == levels.length ? levels : Arrays.copyOf(levels, count);
            }
            start = slash + 1;
        }
    }
}
