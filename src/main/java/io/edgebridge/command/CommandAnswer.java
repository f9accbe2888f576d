package io.edgebridge.command;

/** What a caller waiting for a command gets: the device's response, or the terminal status that ended the wait. */
public record CommandAnswer(StatusEvent status, byte[] response) {}
