package io.edgebridge.command;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN until the command status view has read the status history it found at start, or until
 * {@code bridge.health.status-view-timeout} passed; then UP, saying whether the view keeps up and which partitions'
 * time-outs this replica reports. The command side's own check, so {@code command/} needs nothing from
 * {@code health/}.
 */
@Readiness
@ApplicationScoped
public class StatusViewReadiness implements HealthCheck {

    @Inject
    StatusView view;

    @Inject
    StatusWriter writer;

    @Inject
    CommandTracker tracker;

    @Override
    public HealthCheckResponse call() {
        List<List<Integer>> partitions = tracker.timeOutPartitions();
        return HealthCheckResponse.named("command-status-view")
                .status(view.ready())
                .withData("state", view.state().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .withData("lag", view.lag())
                .withData("unreadable", view.unreadable())
                .withData("replica", writer.replica())
                .withData("timeOutPartitions", text(partitions.get(0)))
                .withData("takingOver", text(partitions.get(1)))
                .build();
    }

    private static String text(List<Integer> partitions) {
        return partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
