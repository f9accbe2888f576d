package io.edgebridge.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.command.Command;
import io.edgebridge.command.CommandAnswer;
import io.edgebridge.command.CommandCheck;
import io.edgebridge.command.CommandLimits;
import io.edgebridge.command.CommandRecords;
import io.edgebridge.command.CommandStatus;
import io.edgebridge.command.CommandSubmission;
import io.edgebridge.command.CommandTracker;
import io.edgebridge.command.StatusEvent;
import io.edgebridge.config.BridgeConfig;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Commands through HTTP. A command is written to the commands topic, like any other, and runs the same way; the
 * 202 means Kafka has it. {@code wait} additionally holds the request until the device answers.
 */
@Path("/api/v1")
public class CommandResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    BridgeConfig config;

    @Inject
    CommandLimits limits;

    @Inject
    CommandRecords records;

    @Inject
    CommandTracker tracker;

    @Inject
    ApiRateLimit rateLimit;

    @Inject
    SecurityIdentity identity;

    @POST
    @RolesAllowed(ApiRoles.WRITE)
    @Path("/devices/{deviceId}/commands/{name}")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, ProblemMapper.PROBLEM_JSON})
    @Operation(
            summary = "Send a command to a device",
            description = "The body is published as the MQTT payload to the device's command topic. 202 once"
                    + " Kafka has the command; with wait, 200 with the device's response or 504 when none came in"
                    + " time.")
    @APIResponse(responseCode = "202", description = "Accepted; Location tells its latest status")
    @APIResponse(responseCode = "200", description = "The device's response (with wait)")
    @APIResponse(responseCode = "400", description = "Unsafe device id or command name, bad ttl, qos or wait")
    @APIResponse(responseCode = "413", description = "Payload over bridge.commands.max-payload-bytes")
    @APIResponse(responseCode = "504", description = "No response within wait (with wait)")
    @APIResponse(responseCode = "401", description = "No valid bearer token")
    @APIResponse(responseCode = "403", description = "The token lacks role " + ApiRoles.WRITE)
    @APIResponse(responseCode = "429", description = "Over bridge.api.rate-limit; see Retry-After")
    public Uni<Response> submit(
            @PathParam("deviceId") String deviceId,
            @PathParam("name") String name,
            @Parameter(description = "Lifetime: ISO-8601 (PT30S) or seconds; default bridge.commands.default-ttl")
                    @QueryParam("ttl")
                    String ttl,
            @Parameter(description = "MQTT QoS 0, 1 or 2; default 1") @QueryParam("qos") String qos,
            @Parameter(description = "Publish as a retained message") @QueryParam("retain") String retain,
            @Parameter(
                            description = "Wait this long for the response: ISO-8601 (PT5S) or seconds, at most"
                                    + " bridge.api.max-wait")
                    @QueryParam("wait")
                    String wait,
            UriInfo uri,
            @Context HttpServerRequest request,
            byte[] body) {
        rateLimit.check(identity, request);
        Duration lifetime = CommandParameters.ttl(ttl);
        Integer qosLevel = CommandParameters.qos(qos);
        boolean retained = CommandParameters.retain(retain);
        Duration waitFor = CommandParameters.wait(wait, config.api().maxWait());
        String correlationId = UUID.randomUUID().toString();
        CommandCheck checked = new CommandSubmission(deviceId, name, body, lifetime, qosLevel, retained)
                .check(limits, correlationId, Instant.now());
        if (checked instanceof CommandCheck.Refused refused) {
            throw CommandParameters.problem(refused);
        }
        Command command = ((CommandCheck.Passed) checked).command();
        URI location = uri.getBaseUriBuilder().path("api/v1/commands/{id}").build(correlationId);
        StatusEvent accepted = StatusEvent.accepted(command, Instant.now());
        // Listen before writing: a fast device may answer before the write's acknowledgement arrives.
        Optional<CompletableFuture<CommandAnswer>> waiter = Optional.empty();
        if (waitFor != null) {
            waiter = tracker.await(correlationId);
            if (waiter.isEmpty()) {
                throw new ApiProblem(
                        503,
                        "too-many-waiting",
                        "Service Unavailable",
                        "too many requests are waiting for responses; retry without wait or later");
            }
        }
        Optional<CompletableFuture<CommandAnswer>> answer = waiter;
        Uni<Void> written =
                Uni.createFrom().completionStage(() -> records.submit(command, request.getHeader("Content-Type")));
        Duration writeTimeout = config.api().kafkaWriteTimeout();
        return written.ifNoItem()
                .after(writeTimeout)
                .fail()
                .onFailure()
                .transform(error -> {
                    answer.ifPresent(w -> tracker.cancel(correlationId, w));
                    if (error instanceof TimeoutException) {
                        // The producer keeps trying: the record may still reach Kafka and then runs like any other
                        // command.
                        return new ApiProblem(
                                        503,
                                        "kafka-unavailable",
                                        "Service Unavailable",
                                        "Kafka did not confirm the"
                                                + " command within " + writeTimeout
                                                + " (bridge.api.kafka-write-timeout); it may still be"
                                                + " sent once Kafka is back, until it expires",
                                        Map.of("correlationId", correlationId))
                                .header("Retry-After", "5");
                    }
                    return new ApiProblem(
                            503,
                            "kafka-unavailable",
                            "Service Unavailable",
                            "the command could not be written to Kafka; it was not sent");
                })
                .onItem()
                .transformToUni(v -> {
                    tracker.remember(accepted);
                    if (answer.isEmpty()) {
                        return Uni.createFrom()
                                .item(Response.accepted(accepted.toJson()
                                                .put("statusUrl", location.getPath())
                                                .toString())
                                        .type(MediaType.APPLICATION_JSON)
                                        .location(location)
                                        .build());
                    }
                    CompletableFuture<CommandAnswer> w = answer.get();
                    return Uni.createFrom()
                            .completionStage(w)
                            .ifNoItem()
                            .after(waitFor)
                            .recoverWithItem(() -> {
                                tracker.cancel(correlationId, w);
                                return null;
                            })
                            .map(result -> answered(result, correlationId, location, waitFor));
                });
    }

    @GET
    @RolesAllowed(ApiRoles.READ)
    @Path("/commands/{correlationId}")
    @Produces({MediaType.APPLICATION_JSON, ProblemMapper.PROBLEM_JSON})
    @Operation(summary = "The latest status of a command this bridge handled")
    @APIResponse(responseCode = "200", description = "Its latest status event")
    @APIResponse(responseCode = "404", description = "Unknown (or forgotten: bridge.commands.max-tracked)")
    @APIResponse(responseCode = "401", description = "No valid bearer token")
    @APIResponse(responseCode = "403", description = "The token lacks role " + ApiRoles.READ)
    @APIResponse(responseCode = "429", description = "Over bridge.api.rate-limit; see Retry-After")
    public Response status(@PathParam("correlationId") String correlationId, @Context HttpServerRequest request) {
        rateLimit.check(identity, request);
        String idProblem = limits.idProblem(correlationId);
        if (idProblem != null) {
            throw ApiProblem.badRequest("invalid-correlationid", "correlationId " + idProblem);
        }
        StatusEvent event = tracker.latest(correlationId)
                .orElseThrow(() -> new ApiProblem(
                        404,
                        "unknown-command",
                        "Not Found",
                        "no command with correlation id " + correlationId + " is known to this bridge",
                        Map.of("correlationId", correlationId)));
        return Response.ok(event.toJson().toString())
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    private static Response answered(CommandAnswer answer, String correlationId, URI location, Duration waited) {
        if (answer == null) {
            throw new ApiProblem(
                    504,
                    "no-response",
                    "Gateway Timeout",
                    "the device did not respond within " + waited + "; the command stays valid until it expires",
                    Map.of("correlationId", correlationId, "statusUrl", location.getPath()));
        }
        if (answer.status().status() != CommandStatus.RESPONDED) {
            StatusEvent status = answer.status();
            throw new ApiProblem(
                    504,
                    "command-" + status.status().code(),
                    "Gateway Timeout",
                    "the command ended as " + status.status().code()
                            + (status.detail() == null ? "" : ": " + status.detail()),
                    Map.of("correlationId", correlationId, "statusUrl", location.getPath()));
        }
        byte[] response = answer.response();
        return Response.ok(response)
                .type(isJson(response) ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_OCTET_STREAM)
                .header("X-Correlation-Id", correlationId)
                .location(location)
                .build();
    }

    private static boolean isJson(byte[] bytes) {
        try {
            JSON.readTree(bytes);
            return bytes.length > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
