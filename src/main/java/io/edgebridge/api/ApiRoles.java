package io.edgebridge.api;

/** The roles a token's {@code groups} claim grants on the command API. */
public final class ApiRoles {

    /** Send commands. */
    public static final String WRITE = "commands:write";

    /** Read a command's status. */
    public static final String READ = "commands:read";

    private ApiRoles() {}
}
