package org.solstice.orchestrator.hypervisor.noop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.hypervisor.BackendCapabilities;
import org.solstice.orchestrator.hypervisor.BackendOptions;
import org.solstice.orchestrator.hypervisor.Hypervisor;

class NoopProviderTest {
    private final NoopProvider provider = new NoopProvider();

    @Test
    void itAppliesEverywhereWithTheLowestPriorityAndBootsNothing() {
        assertThat(provider.name()).isEqualTo("noop");
        assertThat(provider.isApplicable(BackendOptions.none())).isTrue();
        assertThat(provider.priority()).isZero();
        assertThat(provider.capabilities()).isEqualTo(BackendCapabilities.NOTHING);
    }

    @Test
    void itBuildsANoopBackendWithTheRunTimeSetOrItsDefault() {
        try (Hypervisor set = provider.create(BackendOptions.none()
                .with("noop", NoopProvider.RUN_TIME, Duration.ofMillis(250)));
             Hypervisor unset = provider.create(BackendOptions.none())) {
            assertThat(set).isInstanceOf(NoopHypervisor.class);
            assertThat(set.capabilities()).isEqualTo(provider.capabilities());
            assertThat(unset.name()).isEqualTo("noop");
        }
        assertThat(provider.defaults()).containsEntry(NoopProvider.RUN_TIME, "1s");
        assertThat(NoopProvider.DEFAULT_RUN_TIME).isEqualTo(Duration.ofSeconds(1));
    }
}
