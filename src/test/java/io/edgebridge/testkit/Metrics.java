package io.edgebridge.testkit;

/** Reads a Prometheus text answer ({@code /q/metrics}) the way the tests need it. */
public final class Metrics {

    private Metrics() {}

    /** The sum of every sample of the series {@code name}, with or without labels; 0 when it is absent. */
    public static double sum(String body, String name) {
        return body.lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l ->
                        Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1).trim()))
                .sum();
    }
}
