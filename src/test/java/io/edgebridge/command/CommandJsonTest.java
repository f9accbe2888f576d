package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** One command wire format: what the bridge writes (REST), the parser reads back as the same command. */
class CommandJsonTest {

    private static final CommandLimits LIMITS =
            new CommandLimits(256, 40, Duration.ofSeconds(60), Duration.ofHours(24));
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00.123456789Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandParser parser = new CommandParser(LIMITS);

    /** Mostly safe topic levels, with the characters that make one unsafe mixed in. */
    private static Arbitrary<String> anyIds() {
        return Arbitraries.strings()
                .withCharRange('!', '~')
                .withChars('é', 'ü', '日', ' ', '\t', '\u200B')
                .ofMinLength(0)
                .ofMaxLength(44);
    }

    private static Arbitrary<String> validIds() {
        return anyIds().filter(id -> LIMITS.idProblem(id) == null);
    }

    @Provide
    Arbitrary<Command> commands() {
        Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(LIMITS.maxPayloadBytes());
        // Any deadline the limits allow, to the nanosecond: also one already passed (it is reported expired).
        Arbitrary<Instant> deadlines = Arbitraries.longs()
                .between(-3_600_000_000_000L, LIMITS.maxTtl().toNanos())
                .map(NOW::plusNanos);
        return Combinators.combine(
                        validIds(),
                        validIds(),
                        validIds(),
                        payloads,
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.of(true, false),
                        deadlines)
                .as(Command::new);
    }

    @Provide
    Arbitrary<CommandSubmission> submissions() {
        Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(LIMITS.maxPayloadBytes() + 8);
        Arbitrary<Duration> ttls = Arbitraries.longs()
                .between(-2, LIMITS.maxTtl().toSeconds() + 2)
                .map(Duration::ofSeconds)
                .injectNull(0.1);
        Arbitrary<Integer> qos = Arbitraries.integers().between(-1, 3).injectNull(0.1);
        return Combinators.combine(anyIds(), anyIds(), payloads, ttls, qos, Arbitraries.of(true, false))
                .as(CommandSubmission::new);
    }

    @Property(tries = 2000)
    void everyValidCommandWrittenAndParsedBackIsTheSameCommand(@ForAll("commands") Command command) {
        CommandCheck read = parser.parse(command.deviceId(), CommandJson.write(command), NOW, "t-0-0");
        assertSame(command, assertInstanceOf(CommandCheck.Passed.class, read).command());
    }

    /** The REST path end to end: a submission the checks let through is the command the dispatcher then runs. */
    @Property(tries = 2000)
    void everyAcceptedSubmissionIsWhatTheParserReadsBack(@ForAll("submissions") CommandSubmission submission) {
        CommandCheck checked = submission.check(LIMITS, "c-1", NOW);
        Statistics.label("outcome").collect(checked instanceof CommandCheck.Passed ? "passed" : "refused");
        Statistics.label("outcome").coverage(check -> check.check("passed").percentage(p -> p > 5));
        if (checked instanceof CommandCheck.Passed passed) {
            Command command = passed.command();
            CommandCheck read = parser.parse(submission.deviceId(), CommandJson.write(command), NOW, "t-0-0");
            assertSame(
                    command, assertInstanceOf(CommandCheck.Passed.class, read).command());
        }
    }

    /** The checks live once: a submission and the equivalent command record may run, or not, alike. */
    @Property(tries = 2000)
    void aSubmissionAndTheSameCommandAsARecordAreCheckedAlike(@ForAll("submissions") CommandSubmission submission) {
        ObjectNode value = JSON.createObjectNode();
        value.put(CommandJson.NAME, submission.name());
        value.put(CommandJson.CORRELATION_ID, "c-1");
        value.put(CommandJson.PAYLOAD_BASE64, Base64.getEncoder().encodeToString(submission.payload()));
        if (submission.ttl() != null) {
            value.put(CommandJson.TTL_SECONDS, submission.ttl().toSeconds());
        }
        if (submission.qos() != null) {
            value.put(CommandJson.QOS, submission.qos());
        }
        value.put(CommandJson.RETAIN, submission.retain());
        CommandCheck record =
                parser.parse(submission.deviceId(), value.toString().getBytes(StandardCharsets.UTF_8), NOW, "t-0-0");
        CommandCheck submitted = submission.check(LIMITS, "c-1", NOW);
        assertEquals(
                record instanceof CommandCheck.Passed,
                submitted instanceof CommandCheck.Passed,
                record + " / " + submitted);
        if (record instanceof CommandCheck.Passed passed) {
            assertSame(passed.command(), ((CommandCheck.Passed) submitted).command());
        }
    }

    @Example
    void theValueHasEveryFieldExplicitInAFixedOrder() {
        Command command = new Command(
                "c-9", "dev-1", "open", new byte[] {0, 1, -1}, 2, true, Instant.parse("2026-11-23T10:05:00Z"));
        assertEquals(
                "{\"name\":\"open\",\"payloadBase64\":\"AAH/\",\"correlationId\":\"c-9\","
                        + "\"expiresAt\":\"2026-11-23T10:05:00Z\",\"qos\":2,\"retain\":true}",
                new String(CommandJson.write(command), StandardCharsets.UTF_8));
    }

    private static void assertSame(Command expected, Command actual) {
        assertEquals(expected.correlationId(), actual.correlationId());
        assertEquals(expected.deviceId(), actual.deviceId());
        assertEquals(expected.name(), actual.name());
        assertArrayEquals(expected.payload(), actual.payload());
        assertEquals(expected.qos(), actual.qos());
        assertEquals(expected.retain(), actual.retain());
        assertEquals(expected.expiresAt(), actual.expiresAt());
    }
}
