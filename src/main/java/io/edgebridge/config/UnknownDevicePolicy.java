package io.edgebridge.config;

/** What happens to messages from devices the registry does not list. */
public enum UnknownDevicePolicy {
    /** Forwarded without registry attributes. */
    ACCEPT,
    /** Dead-lettered with reason {@code unknown-device}. */
    REJECT
}
