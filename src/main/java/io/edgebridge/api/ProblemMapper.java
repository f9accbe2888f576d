package io.edgebridge.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
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
        return response(problem.status(), problem.type(), problem.title(), problem.detail(), problem.extra(), uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException error, UriInfo uri) {
        int status = error.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        String code = title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        return response(status, code, title, status == 404 ? "no such resource" : error.getMessage(), Map.of(), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException error, UriInfo uri) {
        LOG.errorf(error, "Request %s failed", uri.getPath());
        return response(500, "internal-error", "Internal Server Error",
                "the bridge could not complete the request; see its log", Map.of(), uri);
    }

    static Response response(int status, String type, String title, String detail, Map<String, String> extra,
            UriInfo uri) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "urn:edge-bridge:problem:" + type);
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        body.put("instance", uri.getPath());
        extra.forEach(body::put);
        return Response.status(status).type(PROBLEM_JSON).entity(body.toString()).build();
    }
}
