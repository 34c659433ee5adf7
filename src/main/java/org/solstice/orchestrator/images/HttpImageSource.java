package org.solstice.orchestrator.images;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.solstice.orchestrator.config.ImageDefinition;

/**
 * {@code http:} and {@code https:} URLs. Resumes with {@code Range} and {@code If-Range} (strong ETag, else
 * Last-Modified); a 200 answer to a range request means the source changed or the server ignores ranges, and the
 * body is the whole file. The read timeout is the stall timeout: no bytes for that long aborts the attempt.
 */
final class HttpImageSource implements ImageSource {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final Duration connectTimeout;
    private final Duration stallTimeout;

    HttpImageSource(Duration connectTimeout, Duration stallTimeout) {
        this.connectTimeout = connectTimeout;
        this.stallTimeout = stallTimeout;
    }

    @Override
    public OpenedSource open(ImageDefinition image, long offset, PartRecord resume) {
        boolean ranged = offset > 0 && resume != null && resume.ifRange() != null;
        String url = image.source().toString();
        HttpURLConnection connection;
        int status;
        try {
            connection = (HttpURLConnection) image.source().toURL().openConnection();
            connection.setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()));
            connection.setReadTimeout(Math.toIntExact(stallTimeout.toMillis()));
            connection.setRequestProperty("Accept-Encoding", "identity");
            connection.setRequestProperty("User-Agent", "solstice-orchestrator");
            if (ranged) {
                connection.setRequestProperty("Range", "bytes=" + offset + "-");
                connection.setRequestProperty("If-Range", resume.ifRange());
            }
            status = connection.getResponseCode();
        } catch (SocketTimeoutException e) {
            throw ImageFetchException.retryable(image.name(), url, "no answer within "
                    + connectTimeout.toSeconds() + " s to connect or " + stallTimeout.toSeconds()
                    + " s for the headers (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw ImageFetchException.retryable(image.name(), url, "cannot connect: " + e, e);
        }
        String answer = connection.getHeaderField(0) == null ? "HTTP " + status : connection.getHeaderField(0);
        if (ranged && status == 206) {
            Matcher m = CONTENT_RANGE.matcher(String.valueOf(connection.getHeaderField("Content-Range")));
            if (m.matches() && Long.parseLong(m.group(1)) == offset) {
                long total = "*".equals(m.group(3)) ? -1 : Long.parseLong(m.group(3));
                return opened(image, connection, offset, total, answer);
            }
            connection.disconnect();
            return open(image, 0, null); // a range we did not ask for: start over
        }
        if (ranged && status == 416) {
            connection.disconnect();
            return open(image, 0, null); // the partial file no longer fits the source: start over
        }
        if (status == 200) {
            return opened(image, connection, 0, connection.getContentLengthLong(), answer);
        }
        connection.disconnect();
        String problem = "server answered '" + answer + "'";
        boolean retryable = status >= 500 || status == 408 || status == 429;
        throw retryable ? ImageFetchException.retryable(image.name(), url, problem, null)
                : ImageFetchException.permanent(image.name(), url, problem, null);
    }

    private OpenedSource opened(ImageDefinition image, HttpURLConnection connection, long offset, long total,
                                String answer) {
        PartRecord validator = new PartRecord(image.source().toString(), connection.getHeaderField("ETag"),
                connection.getHeaderField("Last-Modified"), total);
        try {
            InputStream body = connection.getInputStream();
            return new OpenedSource(body, offset, total, validator, answer);
        } catch (IOException e) {
            connection.disconnect();
            throw ImageFetchException.retryable(image.name(), image.source().toString(),
                    "server answered '" + answer + "' but the body cannot be read: " + e, e);
        }
    }
}
