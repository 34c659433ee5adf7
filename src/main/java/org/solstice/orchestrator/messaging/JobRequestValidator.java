package org.solstice.orchestrator.messaging;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules a JobRequest's values must meet before they may reach shell scripts, XML and file paths.
 * Each check throws {@link IllegalArgumentException} whose message names the field and what is wrong.
 */
public final class JobRequestValidator {
    public static final Set<String> ALLOWED_REPO_SCHEMES = Set.of("https", "http", "ssh", "git");

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{7,64}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085]");

    private JobRequestValidator() {
    }

    public static UUID requestId(String value) {
        if (value == null || !UUID_TEXT.matcher(value).matches()) {
            throw new IllegalArgumentException("request_id must be a UUID, was " + describe(value));
        }
        return UUID.fromString(value);
    }

    public static String commitSha(String value) {
        if (value == null || !HEX.matcher(value).matches()) {
            throw new IllegalArgumentException("commit_sha must be 7 to 64 hex digits, was " + describe(value));
        }
        return value.toLowerCase(Locale.ROOT);
    }

    public static String repoUrl(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("repo_url is required");
        }
        if (value.length() > 2048 || CONTROL.matcher(value).find() || value.contains(" ")) {
            throw new IllegalArgumentException("repo_url must be a URL without spaces or control characters, was "
                    + describe(value));
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("repo_url is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !ALLOWED_REPO_SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("repo_url must use one of the schemes " + ALLOWED_REPO_SCHEMES
                    + ", was " + describe(value));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("repo_url must name a host, was " + describe(value));
        }
        if (value.startsWith("-")) {
            throw new IllegalArgumentException("repo_url must not start with '-'");
        }
        return value;
    }

    /** A path inside the repository: relative, no '..' segments, no control characters. */
    public static String workflowPath(String value) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > 512 || CONTROL.matcher(value).find()) {
            throw new IllegalArgumentException("workflow_path must be 1 to 512 printable characters, was "
                    + describe(value));
        }
        if (value.startsWith("/") || value.startsWith("-")) {
            throw new IllegalArgumentException("workflow_path must be a relative path inside the repository, was "
                    + describe(value));
        }
        for (String segment : value.split("/")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException("workflow_path must not contain '..', was " + describe(value));
            }
        }
        return value;
    }

    public static String printable(String field, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > maxLength || CONTROL.matcher(value).find()) {
            throw new IllegalArgumentException(field + " must be 1 to " + maxLength
                    + " printable characters, was " + describe(value));
        }
        return value;
    }

    public static String label(String field, String value) {
        if (value == null) {
            return null;
        }
        if (!LABEL.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be a label of letters, digits and . _ : + -"
                    + " (at most 128), was " + describe(value));
        }
        return value;
    }

    /** A short, safe rendering of a bad value for error messages. */
    static String describe(String value) {
        if (value == null) {
            return "absent";
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        StringBuilder sb = new StringBuilder("'");
        shown.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                sb.append(String.format("\\x%02x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('\'').toString();
    }
}
