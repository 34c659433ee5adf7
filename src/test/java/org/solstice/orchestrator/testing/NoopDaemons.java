package org.solstice.orchestrator.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes {@link NoopDaemonHarness}es for a test and closes every one of them after it, newest first, whatever the
 * test did: {@code @RegisterExtension final NoopDaemons daemons = new NoopDaemons();} then
 * {@code daemons.in(dir).maxConcurrency(2).start()}.
 */
public final class NoopDaemons implements AfterEachCallback {
    private final List<NoopDaemonHarness> made = new ArrayList<>();

    /** A harness whose daemon keeps its state, image map and logs under {@code dir}; closed after the test. */
    public NoopDaemonHarness in(Path dir) {
        NoopDaemonHarness harness = new NoopDaemonHarness(dir);
        made.add(harness);
        return harness;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (int i = made.size() - 1; i >= 0; i--) {
            made.get(i).close();
        }
        made.clear();
    }
}
