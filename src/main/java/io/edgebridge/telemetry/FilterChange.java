package io.edgebridge.telemetry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the rules' MQTT subscriptions change with a reload: filter -> QoS before and after.
 *
 * @param before the filters of the rules in force until now
 * @param after the filters of the new rules, which routing already uses
 */
public record FilterChange(Map<String, Integer> before, Map<String, Integer> after) {

    public FilterChange {
        before = Collections.unmodifiableMap(new LinkedHashMap<>(before));
        after = Collections.unmodifiableMap(new LinkedHashMap<>(after));
    }

    /** Filters to subscribe to: new ones, and those whose QoS changed (a new SUBSCRIBE replaces the old QoS). */
    public Map<String, Integer> toSubscribe() {
        Map<String, Integer> subscribe = new LinkedHashMap<>();
        after.forEach((filter, qos) -> {
            if (!qos.equals(before.get(filter))) {
                subscribe.put(filter, qos);
            }
        });
        return Collections.unmodifiableMap(subscribe);
    }

    /** Filters no rule needs any more. */
    public List<String> toUnsubscribe() {
        List<String> unsubscribe = new ArrayList<>();
        before.keySet().forEach(filter -> {
            if (!after.containsKey(filter)) {
                unsubscribe.add(filter);
            }
        });
        return Collections.unmodifiableList(unsubscribe);
    }

    public boolean isEmpty() {
        return before.equals(after);
    }

    @Override
    public String toString() {
        return "subscribe " + toSubscribe() + ", unsubscribe " + toUnsubscribe();
    }
}
