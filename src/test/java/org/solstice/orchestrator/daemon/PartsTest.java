package org.solstice.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.OrchestratorException;

/** The daemon's parts: started in order, the started ones stopped in reverse, whatever fails. */
class PartsTest {
    private final List<String> calls = new ArrayList<>();

    private Part part(String name, boolean failsToStart, boolean failsToStop) {
        return new Part() {
            @Override
            public void start() {
                calls.add("start " + name);
                if (failsToStart) {
                    throw new OrchestratorException(name + " cannot start");
                }
            }

            @Override
            public void stop() {
                calls.add("stop " + name);
                if (failsToStop) {
                    throw new OrchestratorException(name + " cannot stop");
                }
            }
        };
    }

    @Test
    void partsStartInOrderAndStopInReverse() throws Exception {
        Parts parts = new Parts(List.of(part("store", false, false), part("broker", false, false),
                part("consumers", false, false)));

        assertThat(parts.startAll(() -> true)).isTrue();
        parts.stopAll();

        assertThat(calls).containsExactly("start store", "start broker", "start consumers", "stop consumers",
                "stop broker", "stop store");
    }

    @Test
    void aPartThatFailsToStartStopsTheRestAndIsStoppedWithTheOnesBeforeIt() {
        Parts parts = new Parts(List.of(part("store", false, false), part("broker", true, false),
                part("consumers", false, false)));

        assertThatThrownBy(() -> parts.startAll(() -> true)).hasMessageContaining("broker cannot start");
        parts.stopAll();

        assertThat(calls).containsExactly("start store", "start broker", "stop broker", "stop store");
    }

    @Test
    void aPartThatFailsToStopDoesNotKeepTheOthersRunning() throws Exception {
        Parts parts = new Parts(List.of(part("store", false, false), part("broker", false, true)));
        parts.startAll(() -> true);

        parts.stopAll();
        parts.stopAll();

        assertThat(calls).containsExactly("start store", "start broker", "stop broker", "stop store");
    }

    @Test
    void aStopAskedForWhileStartingStartsNoMoreParts() throws Exception {
        Parts parts = new Parts(List.of(part("store", false, false), part("broker", false, false)));

        assertThat(parts.startAll(() -> calls.isEmpty())).isFalse();

        assertThat(calls).containsExactly("start store");
    }
}
