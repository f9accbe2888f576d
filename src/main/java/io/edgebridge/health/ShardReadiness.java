package io.edgebridge.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Shows which shards this replica owns; always UP, as a replica without shards still serves commands. */
@ApplicationScoped
public class ShardReadiness {

    @Produces
    @Readiness
    HealthCheck clusterShards(OwnedShards shards) {
        return () -> HealthCheckResponse.named("cluster-shards")
                .up()
                .withData("clustered", shards.clustered())
                .withData("member", shards.member())
                .withData("shards", shards.shards())
                .withData("owned", list(shards.owned()))
                .withData("releasing", list(shards.releasing()))
                .build();
    }

    static String list(List<Integer> shards) {
        return shards.isEmpty() ? "none" : shards.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
