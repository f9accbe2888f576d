package io.edgebridge.command;

import java.time.Instant;

/**
 * One command, checked and ready to publish.
 *
 * @param expiresAt not published after this instant; also the deadline for the device's response
 */
public record Command(
        String correlationId,
        String deviceId,
        String name,
        byte[] payload,
        int qos,
        boolean retain,
        Instant expiresAt) {

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
