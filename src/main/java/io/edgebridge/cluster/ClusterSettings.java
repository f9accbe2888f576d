package io.edgebridge.cluster;

import static io.edgebridge.config.ConfigCheck.check;

import io.edgebridge.config.BridgeConfig;
import io.edgebridge.config.ClusterConfig;
import io.edgebridge.config.ClusterMode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code bridge.cluster.*} checked and resolved (member id, group and topic derived when unset), and the timings the
 * group runs on, all derived from the session timeout so that they keep their proportions.
 */
public record ClusterSettings(
        boolean enabled,
        int shards,
        String memberId,
        ClusterMode mode,
        String groupId,
        String topic,
        Duration sessionTimeout,
        Duration drainTimeout) {

    /** Each shard is an MQTT session at the broker (and in hash mode a full copy of the traffic). */
    public static final int MAX_SHARDS = 256;
    /** Kafka's defaults for group.min.session.timeout.ms and group.max.session.timeout.ms. */
    public static final Duration MIN_SESSION_TIMEOUT = Duration.ofSeconds(6);

    public static final Duration MAX_SESSION_TIMEOUT = Duration.ofMinutes(30);

    private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    /** Checks the keys (only when clustering is on) and resolves the defaults; a bad value stops startup. */
    public static ClusterSettings from(BridgeConfig config) {
        return from(config, ClusterSettings::hostName);
    }

    static ClusterSettings from(BridgeConfig config, Supplier<Optional<String>> hostName) {
        ClusterConfig cluster = config.cluster();
        String clientId = config.mqtt().clientId();
        Optional<String> member = cluster.memberId().or(hostName);
        String groupId = cluster.groupId().orElse(clientId + "-cluster");
        String topic = cluster.topic().orElse(clientId + "-shards");
        Duration drain = config.telemetry().drainTimeout();
        if (!cluster.enabled()) {
            return new ClusterSettings(
                    false, 1, member.orElse(clientId), cluster.mode(), groupId, topic, cluster.sessionTimeout(), drain);
        }
        check(
                cluster.shards() >= 1 && cluster.shards() <= MAX_SHARDS,
                "bridge.cluster.shards",
                "must be 1-" + MAX_SHARDS + ", is " + cluster.shards());
        Duration session = cluster.sessionTimeout();
        check(
                session.compareTo(MIN_SESSION_TIMEOUT) >= 0 && session.compareTo(MAX_SESSION_TIMEOUT) <= 0,
                "bridge.cluster.session-timeout",
                "must be 6s-30m (the range Kafka brokers accept by default), is " + session);
        if (cluster.memberId().isPresent()) {
            check(
                    MEMBER.matcher(cluster.memberId().get()).matches(),
                    "bridge.cluster.member-id",
                    "must be 1-128 letters, digits, '.', '_' or '-'");
        } else {
            check(
                    member.filter(name -> MEMBER.matcher(name).matches()).isPresent(),
                    "bridge.cluster.member-id",
                    "is not set and the host name "
                            + member.map(n -> "'" + n + "'").orElse("(unknown)")
                            + " is not 1-128 letters, digits, '.', '_' or '-'; set it");
        }
        check(!groupId.isBlank(), "bridge.cluster.group-id", "must not be empty");
        check(
                TOPIC.matcher(topic).matches() && !topic.equals(".") && !topic.equals(".."),
                "bridge.cluster.topic",
                cluster.topic().isPresent()
                        ? "'" + topic + "' is not a legal Kafka topic name"
                        : "is not set and '" + topic + "' (from bridge.mqtt.client-id) is not a legal Kafka topic"
                                + " name; set it");
        if (cluster.mode() == ClusterMode.FILTERS) {
            List<String> filters = cluster.shardFilters().orElse(List.of());
            check(
                    filters.size() == cluster.shards(),
                    "bridge.cluster.shard-filters",
                    "must list one entry of topic filters per shard (" + cluster.shards() + ") for"
                            + " bridge.cluster.mode=filters, has " + filters.size());
            for (String entry : filters) {
                check(
                        Arrays.stream(entry.split("\\|")).noneMatch(String::isBlank),
                        "bridge.cluster.shard-filters",
                        "has an empty topic filter in '" + entry + "'");
            }
        }
        return new ClusterSettings(
                true, cluster.shards(), member.get(), cluster.mode(), groupId, topic, session, drain);
    }

    /**
     * How long after its last confirmed contact with the group coordinator this member still trusts that it owns its
     * shards: two thirds of the session timeout. The coordinator cannot give them away before the full session
     * timeout, so the last third is the margin for a connect already on its way to the MQTT broker.
     */
    public Duration lease() {
        return sessionTimeout.minus(sessionTimeout.dividedBy(3));
    }

    /** Kafka heartbeats: a tenth of the session timeout (at least 500 ms), so rebalances are noticed quickly. */
    public Duration heartbeatInterval() {
        Duration tenth = sessionTimeout.dividedBy(10);
        return tenth.compareTo(Duration.ofMillis(500)) < 0 ? Duration.ofMillis(500) : tenth;
    }

    /** Longest wait in one poll: the lease is renewed after each, well within its margin. */
    public Duration pollTimeout() {
        Duration quarterMargin = sessionTimeout.dividedBy(12);
        return quarterMargin.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : quarterMargin;
    }

    /** Longest wait for one renewal (an offset commit) or one coordination record. */
    public Duration requestTimeout() {
        Duration sixth = sessionTimeout.dividedBy(6);
        return sixth.compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : sixth;
    }

    /** How long a revocation waits for the MQTT side to release a shard: its drain, and the disconnect after it. */
    public Duration releaseTimeout() {
        return drainTimeout.plusSeconds(2);
    }

    /**
     * Kafka's max.poll.interval.ms, also the time the group waits for members to rejoin a rebalance: longer than a
     * release, so a member draining its sessions is never taken for dead.
     */
    public Duration maxPollInterval() {
        return releaseTimeout().plus(sessionTimeout).plusSeconds(10);
    }

    /**
     * How often an owner writes an ownership heartbeat record, a tenth of the session timeout: a crashed owner's gap is
     * measured from its last one, so it reads at most this plus one poll too long.
     */
    public Duration recordInterval() {
        return sessionTimeout.dividedBy(10);
    }

    private static Optional<String> hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return Optional.of(env.strip());
        }
        try {
            return Optional.of(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
