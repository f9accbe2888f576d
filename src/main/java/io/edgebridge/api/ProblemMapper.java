package io.edgebridge.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every API error as {@code application/problem+json} (RFC 9457), including the framework's own 404/405/415. */
public class ProblemMapper {

    public static final String PROBLEM_JSON = "application/problem+json";

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ServerExceptionMapper
    public Response problem(ApiProblem problem, UriInfo uri) {
        Response response =
                response(problem.status(), problem.type(), problem.title(), problem.detail(), problem.extra(), uri);
        problem.headers().forEach((name, value) -> response.getHeaders().add(name, value));
        return response;
    }

    /** No token: RFC 6750 asks for a bare challenge. */
    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException error, UriInfo uri) {
        return problem(
                new ApiProblem(
                                401,
                                "unauthorized",
                                "Unauthorized",
                                "this API needs a bearer token" + " (Authorization: Bearer <JWT>)")
                        .header("WWW-Authenticate", "Bearer realm=\"edge-bridge\""),
                uri);
    }

    /** A token that is malformed, badly signed, expired or from another issuer; which one is for the log. */
    @ServerExceptionMapper
    public Response badToken(AuthenticationFailedException error, UriInfo uri) {
        LOG.debugf("Rejected a bearer token on %s: %s", uri.getPath(), error.getMessage());
        return problem(
                new ApiProblem(
                                401,
                                "invalid-token",
                                "Unauthorized",
                                "the bearer token is not valid: malformed,"
                                        + " not signed by a trusted key, from another issuer or expired")
                        .header("WWW-Authenticate", "Bearer realm=\"edge-bridge\", error=\"invalid_token\""),
                uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException error, UriInfo uri) {
        return problem(
                new ApiProblem(
                                403,
                                "forbidden",
                                "Forbidden",
                                "the token lacks the role this operation needs: " + ApiRoles.WRITE
                                        + " to send commands, " + ApiRoles.READ + " to read their status")
                        .header("WWW-Authenticate", "Bearer realm=\"edge-bridge\", error=\"insufficient_scope\""),
                uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException error, UriInfo uri) {
        int status = error.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        String code = title.toLowerCase(Locale.ROOT).replace(' ', '-');
        return response(status, code, title, status == 404 ? "no such resource" : error.getMessage(), Map.of(), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException error, UriInfo uri) {
        LOG.errorf(error, "Request %s failed", uri.getPath());
        return response(
                500,
                "internal-error",
                "Internal Server Error",
                "the bridge could not complete the request; see its log",
                Map.of(),
                uri);
    }

    static Response response(
            int status, String type, String title, String detail, Map<String, String> extra, UriInfo uri) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "urn:edge-bridge:problem:" + type);
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        body.put("instance", uri.getPath());
        extra.forEach(body::put);
        return Response.status(status)
                .type(PROBLEM_JSON)
                .entity(body.toString())
                .build();
    }
}
