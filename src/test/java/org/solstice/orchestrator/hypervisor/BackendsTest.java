package org.solstice.orchestrator.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.hypervisor.noop.NoopHypervisor;

class BackendsTest {

    /** A provider that applies or not as told and builds a noop backend under its own name. */
    record FakeProvider(String name, int priority, boolean applicable, BackendCapabilities capabilities)
            implements HypervisorProvider {

        @Override
        public boolean isApplicable(BackendOptions options) {
            return applicable;
        }

        @Override
        public String requirement() {
            return "a " + name + " host";
        }

        @Override
        public Map<String, String> defaults() {
            return Map.of();
        }

        @Override
        public Hypervisor create(BackendOptions options) {
            return new NoopHypervisor(Duration.ZERO) {
                @Override
                public String name() {
                    return FakeProvider.this.name;
                }

                @Override
                public BackendCapabilities capabilities() {
                    return FakeProvider.this.capabilities;
                }
            };
        }
    }

    private static final FakeProvider NOTHING = new FakeProvider("nothing", 0, true, BackendCapabilities.NOTHING);
    private static final FakeProvider LOW = new FakeProvider("low", 100, true, BackendCapabilities.VIRTUAL_MACHINES);
    private static final FakeProvider HIGH_ABSENT = new FakeProvider("high", 200, false,
            BackendCapabilities.VIRTUAL_MACHINES);

    private final Backends backends = Backends.of(List.of(NOTHING, HIGH_ABSENT, LOW));

    @Test
    void autoPicksTheApplicableProviderWithTheHighestPriority() {
        assertThat(backends.choose(Backends.AUTO, BackendOptions.none())).isEqualTo(LOW);
        assertThat(Backends.of(List.of(NOTHING)).choose(Backends.AUTO, BackendOptions.none())).isEqualTo(NOTHING);
    }

    @Test
    void anExplicitNameIsTakenWhenItApplies() {
        assertThat(backends.choose("nothing", BackendOptions.none())).isEqualTo(NOTHING);
    }

    @Test
    void anUnknownNameIsAClearErrorListingTheKnownOnes() {
        assertThatThrownBy(() -> backends.choose("vmware", BackendOptions.none()))
                .isInstanceOf(HypervisorException.class)
                .hasMessage("--hypervisor: unknown backend 'vmware' (known: auto, high, low, nothing)");
        assertThatThrownBy(() -> backends.choice("VMware"))
                .hasMessageContaining("unknown backend 'vmware'");
    }

    @Test
    void anExplicitNameThatDoesNotApplyHereIsAClearError() {
        assertThatThrownBy(() -> backends.choose("high", BackendOptions.none()))
                .isInstanceOf(HypervisorException.class)
                .hasMessage("--hypervisor: backend 'high' does not apply on this host: it needs a high host");
    }

    @Test
    void aChoiceIsTrimmedAndLowerCased() {
        assertThat(backends.choice(" LOW ")).isEqualTo("low");
        assertThat(backends.choice("Auto")).isEqualTo(Backends.AUTO);
    }

    @Test
    void theRouterServesTheChosenBackendAndEveryOneTheImagesName() {
        try (RouterHypervisor router = backends.router(Backends.AUTO, Set.of("nothing"), BackendOptions.none())) {
            assertThat(router.defaultBackend()).isEqualTo("low");
            assertThat(router.backends()).extracting(Hypervisor::name).containsExactly("low", "nothing");
            assertThat(router.capabilitiesFor(null)).isEqualTo(BackendCapabilities.VIRTUAL_MACHINES);
            assertThat(router.capabilitiesFor("nothing")).isEqualTo(BackendCapabilities.NOTHING);
            assertThat(router.capabilities().usesImages()).as("one of its backends boots images").isTrue();
        }
        try (RouterHypervisor router = backends.router("nothing", Set.of(), BackendOptions.none())) {
            assertThat(router.capabilities()).isEqualTo(BackendCapabilities.NOTHING);
        }
    }

    @Test
    void anImageNamingAnUnknownBackendStopsTheRouter() {
        assertThatThrownBy(() -> backends.router(Backends.AUTO, Set.of("vmware"), BackendOptions.none()))
                .hasMessageContaining("unknown backend 'vmware'");
    }

    @Test
    void theBuildHasOneProviderPerBackendPackage() {
        Backends discovered = Backends.discover();

        assertThat(discovered.names()).containsExactly("libvirt", "noop", "zones");
        assertThat(discovered.providers()).extracting(HypervisorProvider::name)
                .as("auto tries them by priority, noop last").containsExactly("zones", "libvirt", "noop");
        assertThat(discovered.provider("noop").isApplicable(BackendOptions.none())).isTrue();
    }
}
