package io.edgebridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.KafkaBroker;
import io.edgebridge.testkit.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shard ownership on a real Kafka broker, each member in its own JVM ({@link ClusterMember}) printing what it is told
 * and what {@code mayConnect} answers: shards spread over the members; a member that leaves hands its shards over
 * through {@code releasing} before anyone gets them; a killed member's shards move within the session timeout; a
 * member paused past its session timeout stands down the moment it wakes.
 */
class ShardGroupIT {

    private static final int SHARDS = 3;
    /** The smallest the classic protocol allows, to keep the test short. */
    private static final Duration SESSION = Duration.ofSeconds(6);
    /** Each release stands for a drain of this long. */
    private static final long RELEASE_MILLIS = 300;

    private static KafkaBroker kafka;
    private final List<Member> members = new ArrayList<>();

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @AfterEach
    void stopMembers() {
        members.forEach(member -> member.stop(Duration.ofSeconds(20)));
        for (Member member : members) {
            member.lines(line -> !line.startsWith("EVENT "))
                    .forEach(line -> System.out.println(member.name + "| " + line));
        }
    }

    @Test
    void shardsSpreadOverTwoMembersThenThree() {
        String group = "spread";
        Member a = start(group, "a");
        Member b = start(group, "b");
        await(() -> a.owned().size() + b.owned().size() == SHARDS
                && !a.owned().isEmpty()
                && !b.owned().isEmpty());
        System.out.printf("two members: a owns %s, b owns %s%n", a.owned(), b.owned());

        Member c = start(group, "c");
        await(() -> a.owned().size() == 1 && b.owned().size() == 1 && c.owned().size() == 1);
        System.out.printf("three members: a owns %s, b owns %s, c owns %s%n", a.owned(), b.owned(), c.owned());
        Set<Integer> all = new TreeSet<>(a.owned());
        all.addAll(b.owned());
        all.addAll(c.owned());
        assertEquals(Set.of(0, 1, 2), all, "every shard has exactly one owner");
        for (Member member : members) {
            for (int shard : member.owned()) {
                assertTrue(member.lastMayConnect(shard), member.name + " may connect its own shard " + shard);
            }
        }
    }

    @Test
    void aMemberThatLeavesReleasesItsShardsBeforeTheOtherGetsThem() {
        String group = "leave";
        Member a = start(group, "a");
        Member b = start(group, "b");
        await(() -> a.owned().size() + b.owned().size() == SHARDS
                && !a.owned().isEmpty()
                && !b.owned().isEmpty());
        Set<Integer> handedOver = a.owned();

        a.signal("TERM");
        await(() -> b.owned().size() == SHARDS);
        assertTrue(a.awaitExit(Duration.ofSeconds(20)), "a left and ended");

        for (int shard : handedOver) {
            Event releasing = a.first("releasing", shard);
            Event released = a.first("released", shard);
            Event acquired = b.last("acquired", shard);
            System.out.printf(
                    "shard %d: a releasing at +0 ms, a released at +%d ms, b acquired at +%d ms%n",
                    shard, released.at - releasing.at, acquired.at - releasing.at);
            assertTrue(releasing.at <= released.at, "releasing before released");
            assertTrue(released.at <= acquired.at, "b acquired shard " + shard + " only after a released it");
            assertEquals(List.of(), a.all("lost", shard), "a hand-over, not a loss");
        }
    }

    @Test
    void aKilledMemberLosesItsShardsToTheOthersWithinTheSessionTimeout() {
        String group = "kill";
        Member a = start(group, "a");
        Member b = start(group, "b");
        Member c = start(group, "c");
        await(() -> a.owned().size() == 1 && b.owned().size() == 1 && c.owned().size() == 1);
        int orphaned = a.owned().iterator().next();
        a.recorded(a.owned());

        long killed = System.currentTimeMillis();
        a.signal("KILL");
        await(() -> b.owned().size() + c.owned().size() == SHARDS, SESSION.plusSeconds(10));
        Member heir = b.owned().contains(orphaned) ? b : c;
        long gap = heir.last("acquired", orphaned).at - killed;
        System.out.printf(
                "shard %d: kill -9 of its owner a to its acquisition by %s: %d ms%n", orphaned, heir.name, gap);
        assertTrue(gap <= SESSION.plusSeconds(5).toMillis(), "within the session timeout plus 5 s: " + gap);
        String measured = "Shard " + orphaned + "/" + SHARDS + " acquired by " + heir.name + ": unowned for";
        heir.await(line -> line.contains(measured), Duration.ofSeconds(10));
        heir.lines(line -> line.contains(measured)).forEach(line -> System.out.println(heir.name + " logged: " + line));
    }

    @Test
    void aMemberPausedPastItsSessionTimeoutStandsDownTheMomentItWakes() {
        String group = "pause";
        Member a = start(group, "a");
        Member b = start(group, "b");
        await(() -> a.owned().size() + b.owned().size() == SHARDS
                && !a.owned().isEmpty()
                && !b.owned().isEmpty());
        Set<Integer> held = a.owned();
        a.recorded(held);

        long stopped = System.currentTimeMillis();
        a.signal("STOP");
        await(() -> b.owned().containsAll(held), SESSION.plusSeconds(10));
        long movedAfter = System.currentTimeMillis() - stopped;
        await(() ->
                System.currentTimeMillis() - stopped > SESSION.plusSeconds(1).toMillis());
        long woke = System.currentTimeMillis();
        a.signal("CONT");
        await(() ->
                held.stream().allMatch(shard -> !a.after(woke, "lost", shard).isEmpty()));
        Duration settle = Duration.ofSeconds(3);
        await(() -> System.currentTimeMillis() - woke > settle.toMillis());

        System.out.printf("a held %s, stopped for %d ms; b had them after %d ms%n", held, woke - stopped, movedAfter);
        for (int shard : held) {
            List<Event> after = a.after(woke, null, shard);
            System.out.printf("shard %d, a after waking: %s%n", shard, after);
            Event firstMay = after.stream()
                    .filter(e -> e.what.startsWith("may-"))
                    .findFirst()
                    .orElseThrow();
            assertEquals("may-not-connect", firstMay.what, "the first answer after waking is no");
            System.out.printf("shard %d: mayConnect false %d ms after SIGCONT%n", shard, firstMay.at - woke);
            boolean reacquired = false;
            for (Event event : after) {
                reacquired |= event.what.equals("acquired");
                assertFalse(
                        event.what.equals("may-connect") && !reacquired,
                        "mayConnect true again for shard " + shard + " before a new acquisition: " + after);
            }
            assertFalse(a.after(woke, "lost", shard).isEmpty(), "a reports the loss");
        }
    }

    // ---- members ------------------------------------------------------------------------------------------------

    private Member start(String group, String name) {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp",
                System.getProperty("java.class.path"),
                ClusterMember.class.getName(),
                kafka.bootstrapServers(),
                name,
                Integer.toString(SHARDS),
                SESSION.toSeconds() + "s",
                group + "-shards",
                group + "-cluster",
                Long.toString(RELEASE_MILLIS));
        try {
            Member member = new Member(
                    name, new ProcessBuilder(command).redirectErrorStream(true).start());
            members.add(member);
            return member;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition) {
        await(condition, Duration.ofSeconds(60));
    }

    private static void await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** One line a member printed: {@code EVENT <millis> <member> <what> <shard>}. */
    record Event(long at, String member, String what, int shard) {
        @Override
        public String toString() {
            return what + (shard >= 0 ? " " + shard : "") + " at " + at;
        }
    }

    private static final class Member {
        final String name;
        final Process process;
        final List<Event> events = Collections.synchronizedList(new ArrayList<>());
        final List<String> output = Collections.synchronizedList(new ArrayList<>());

        Member(String name, Process process) {
            this.name = name;
            this.process = process;
            Thread reader = new Thread(this::read, "member-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                    String[] parts = line.split(" ");
                    if (parts.length == 5 && parts[0].equals("EVENT")) {
                        events.add(new Event(Long.parseLong(parts[1]), parts[2], parts[3], Integer.parseInt(parts[4])));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        /** Shards it was last told it owns (acquired, and neither releasing nor lost since). */
        Set<Integer> owned() {
            Set<Integer> owned = new TreeSet<>();
            synchronized (events) {
                for (Event event : events) {
                    switch (event.what) {
                        case "acquired" -> owned.add(event.shard);
                        case "releasing", "lost" -> owned.remove(event.shard);
                        default -> {}
                    }
                }
            }
            return owned;
        }

        boolean lastMayConnect(int shard) {
            List<Event> answers = new ArrayList<>();
            synchronized (events) {
                events.stream()
                        .filter(e -> e.shard == shard && e.what.startsWith("may-"))
                        .forEach(answers::add);
            }
            return !answers.isEmpty() && answers.get(answers.size() - 1).what.equals("may-connect");
        }

        List<Event> all(String what, int shard) {
            synchronized (events) {
                return events.stream()
                        .filter(e -> e.shard == shard && e.what.equals(what))
                        .toList();
            }
        }

        Event first(String what, int shard) {
            List<Event> found = all(what, shard);
            assertFalse(found.isEmpty(), name + " printed no " + what + " " + shard + ": " + output);
            return found.get(0);
        }

        Event last(String what, int shard) {
            List<Event> found = all(what, shard);
            assertFalse(found.isEmpty(), name + " printed no " + what + " " + shard + ": " + output);
            return found.get(found.size() - 1);
        }

        /** Events of {@code shard} printed at or after {@code millis}; {@code what} null for all of them. */
        List<Event> after(long millis, String what, int shard) {
            synchronized (events) {
                return events.stream()
                        .filter(e -> e.at >= millis && e.shard == shard && (what == null || e.what.equals(what)))
                        .toList();
            }
        }

        List<String> lines(Predicate<String> matching) {
            synchronized (output) {
                return output.stream().filter(matching).toList();
            }
        }

        void await(Predicate<String> matching, Duration timeout) {
            ShardGroupIT.await(() -> !lines(matching).isEmpty(), timeout);
        }

        /** Waits until it wrote its acquisition records and at least one ownership heartbeat for {@code shards}. */
        void recorded(Set<Integer> shards) {
            for (int shard : shards) {
                String acquired = "Shard " + shard + "/" + SHARDS + " acquired by " + name;
                await(line -> line.contains(acquired), Duration.ofSeconds(10));
            }
            long heartbeat = System.currentTimeMillis() + SESSION.dividedBy(10).toMillis() + 800;
            ShardGroupIT.await(() -> System.currentTimeMillis() > heartbeat, Duration.ofSeconds(10));
        }

        void signal(String signal) {
            try {
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
                assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        boolean awaitExit(Duration timeout) {
            try {
                return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        void stop(Duration grace) {
            if (process.isAlive()) {
                signal("CONT"); // a stopped process would not see the SIGTERM
            }
            Processes.stop(process, grace);
        }
    }
}
