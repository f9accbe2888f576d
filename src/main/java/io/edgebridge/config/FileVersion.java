package io.edgebridge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Which version of a configuration file is in place, for reloads that poll: the real path, the modification time
 * and the size. Polling, not file events, because a Kubernetes ConfigMap update swaps a symlink: {@code toRealPath}
 * follows its {@code ..data} link, so a swapped target counts as a change.
 */
public final class FileVersion {

    private FileVersion() {}

    public static String of(Path file) throws IOException {
        Path real = file.toRealPath();
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
        return real + "|" + attributes.lastModifiedTime().toMillis() + "|" + attributes.size();
    }
}
