package io.edgebridge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README is a front door and docs/ the house: a short README that links every page, links that lead
 * somewhere, and figures that carry a machine and a date instead of a commit hash.
 */
class DocsTest {

    static final int README_MAX_LINES = 200;

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```.*?^\\s*```[^\\n]*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern AFTER_COMMIT = Pattern.compile("(?i)\\bcommits?\\s+`?([0-9a-f]{7,40})\\b");

    @Test
    void readmeIsShort() throws IOException {
        assertEquals(List.of(), readmeTooLong(ROOT));
    }

    @Test
    void readmeLinksEveryPageOfDocs() throws IOException {
        assertEquals(List.of(), pagesNotLinkedFromReadme(ROOT));
    }

    @Test
    void everyRelativeLinkLeadsToAFileAndHeading() throws IOException {
        assertEquals(List.of(), brokenLinks(ROOT));
    }

    @Test
    void noCommitHashes() throws IOException {
        assertEquals(List.of(), commitHashes(ROOT));
    }

    // ---- the checks can fail ------------------------------------------------------------------------

    @Test
    void eachCheckFindsWhatItIsFor(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(
                root.resolve("docs/linked.md"), "# Linked\n\n## Some section\n\nFigures of commit 9f2c4e1.\n");
        Files.writeString(root.resolve("docs/forgotten.md"), "# Forgotten\n");
        Files.writeString(root.resolve("docs/architecture.md"), "# Architecture\n");
        List<String> readme = new ArrayList<>(List.of(
                "# Project",
                "[ok](docs/linked.md#some-section), [arch](docs/architecture.md), [gone](docs/gone.md),",
                "[bad anchor](docs/linked.md#no-such-section), [web](https://example.com/x)",
                "Measured at `7654321`, and at `c0ffee1`; a default of `16777216` is a number.",
                "```",
                "[in code](docs/not-a-link.md)",
                "```"));
        while (readme.size() < README_MAX_LINES) {
            readme.add("");
        }
        Files.write(root.resolve("README.md"), readme);

        assertEquals(List.of(), readmeTooLong(root));
        readme.add("one line too many");
        Files.write(root.resolve("README.md"), readme);
        assertEquals(1, readmeTooLong(root).size(), readmeTooLong(root)::toString);
        assertEquals(List.of("docs/forgotten.md"), pagesNotLinkedFromReadme(root));
        assertEquals(
                List.of(
                        "README.md: docs/gone.md (no such file)",
                        "README.md: docs/linked.md#no-such-section (no such heading)"),
                brokenLinks(root));
        assertEquals(
                List.of("README.md: 7654321", "README.md: c0ffee1", "docs/linked.md: 9f2c4e1"), commitHashes(root));
    }

    // ---- the checks ---------------------------------------------------------------------------------

    static List<String> readmeTooLong(Path root) throws IOException {
        int lines = Files.readAllLines(root.resolve("README.md")).size();
        return lines <= README_MAX_LINES
                ? List.of()
                : List.of("README.md has " + lines + " lines, at most " + README_MAX_LINES + ": move depth to docs/");
    }

    static List<String> pagesNotLinkedFromReadme(Path root) throws IOException {
        Set<Path> linked = new LinkedHashSet<>();
        Path readme = root.resolve("README.md");
        for (String target : links(Files.readString(readme))) {
            if (!isExternal(target)) {
                linked.add(resolve(readme, target));
            }
        }
        List<String> missing = new ArrayList<>();
        for (Path page : files(root.resolve("docs"))) {
            if (!linked.contains(page)) {
                missing.add(name(root, page));
            }
        }
        return missing;
    }

    static List<String> brokenLinks(Path root) throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : markdown(root)) {
            for (String target : links(Files.readString(file))) {
                if (isExternal(target)) {
                    continue;
                }
                Path resolved = resolve(file, target);
                String where = name(root, file) + ": " + target;
                if (!Files.exists(resolved)) {
                    broken.add(where + " (no such file)");
                } else if (target.contains("#")
                        && resolved.toString().endsWith(".md")
                        && !anchors(Files.readString(resolved)).contains(target.substring(target.indexOf('#') + 1))) {
                    broken.add(where + " (no such heading)");
                }
            }
        }
        return broken;
    }

    static List<String> commitHashes(Path root) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : markdown(root)) {
            String text = Files.readString(file);
            Set<String> hashes = new TreeSet<>();
            Matcher span = CODE_SPAN.matcher(text);
            while (span.find()) {
                if (looksLikeCommit(span.group(1))) {
                    hashes.add(span.group(1));
                }
            }
            Matcher afterCommit = AFTER_COMMIT.matcher(text);
            while (afterCommit.find()) {
                hashes.add(afterCommit.group(1));
            }
            hashes.forEach(hash -> found.add(name(root, file) + ": " + hash));
        }
        return found;
    }

    // ---- reading Markdown ---------------------------------------------------------------------------

    /**
     * A hex word of 7-40 characters mixing digits and the letters a-f, or exactly seven digits (git's short
     * form); a plain number of another length, such as a default of {@code 16777216}, is not one.
     */
    static boolean looksLikeCommit(String word) {
        return word.matches("[0-9a-f]{7,40}")
                && (word.matches(".*[a-f].*") && word.matches(".*\\d.*") || word.matches("\\d{7}"));
    }

    /** Link targets outside fenced blocks and code spans. */
    static List<String> links(String markdown) {
        String prose = CODE_SPAN.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
        List<String> targets = new ArrayList<>();
        Matcher link = LINK.matcher(prose);
        while (link.find()) {
            targets.add(link.group(1));
        }
        return targets;
    }

    /** The anchors GitHub gives the headings: lower case, punctuation dropped, spaces as hyphens, -1 for repeats. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        Matcher heading = HEADING.matcher(FENCE.matcher(markdown).replaceAll(""));
        while (heading.find()) {
            String slug = heading.group(1)
                    .replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            int repeat = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(repeat == 0 ? slug : slug + "-" + repeat);
        }
        return anchors;
    }

    private static boolean isExternal(String target) {
        return target.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    }

    private static Path resolve(Path from, String target) {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        return path.isEmpty() ? from : from.getParent().resolve(path).normalize();
    }

    private static List<Path> markdown(Path root) throws IOException {
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
        files(root.resolve("docs")).stream()
                .filter(f -> f.toString().endsWith(".md"))
                .forEach(files::add);
        return files;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(Path::normalize)
                    .sorted()
                    .toList();
        }
    }

    private static String name(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /** An operator looks a key up in one place: every key of the configuration contract has its row. */
    @Test
    void configurationPageDocumentsEveryKey() throws IOException {
        String page = Files.readString(ROOT.resolve("docs/configuration.md"));
        List<String> missing = BridgeConfigKeys.bridgeKeys().stream()
                .filter(key -> !page.contains("`" + key + "`") && !documentedAsPair(page, key))
                .toList();
        assertEquals(List.of(), missing, "keys without a row in docs/configuration.md");
    }

    /** A row may name a pair, as {@code `a.b-initial-x` / `-max-x`} or {@code `a.cert-file` / `key-file`}. */
    private static boolean documentedAsPair(String page, String key) {
        int dot = key.lastIndexOf('.');
        String last = key.substring(dot + 1);
        return page.contains(" / `" + last + "`")
                || page.contains(" / `-" + last.substring(last.indexOf('-') + 1) + "`");
    }
}
