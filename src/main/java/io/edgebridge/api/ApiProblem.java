package io.edgebridge.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem the API answers with ({@code application/problem+json}). {@code type} is a short code that
 * becomes {@code urn:edge-bridge:problem:<code>}; {@code extra} adds members such as the correlation id. They are
 * strings: a bean member would need Jackson reflection, which a native executable only has for registered classes.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final transient Map<String, String> extra;
    private final transient Map<String, String> headers = new LinkedHashMap<>();

    public ApiProblem(int status, String type, String title, String detail) {
        this(status, type, title, detail, Map.of());
    }

    public ApiProblem(int status, String type, String title, String detail, Map<String, String> extra) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.extra = extra;
    }

    /** A 400: the request itself is wrong. */
    public static ApiProblem badRequest(String type, String detail) {
        return new ApiProblem(400, type, "Bad Request", detail);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, String> extra() {
        return extra;
    }

    /** An HTTP header for the answer, such as {@code Retry-After} or {@code WWW-Authenticate}. */
    public ApiProblem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
