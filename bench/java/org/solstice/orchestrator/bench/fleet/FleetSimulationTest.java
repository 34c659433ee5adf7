package org.solstice.orchestrator.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The fleet model checks itself: limits after every event, every job accounted for exactly once. */
class FleetSimulationTest {
    private static final FleetModel MODEL = FleetModel.generate(8, 24, 7);

    static List<Settings> settings() {
        return List.of(Settings.DEFAULT, Settings.MAX_PENDING_1, Settings.PREFETCH_1_MAX_PENDING_1, Settings.IDEAL);
    }

    private static FleetSimulation run(Settings settings, FleetSimulation.Failure failure) {
        List<Workload.Arrival> arrivals = Workload.poisson(MODEL, 0.95, 240, 11);
        return new FleetSimulation(MODEL, settings, arrivals, failure, 0, 240).checkingInvariants().run();
    }

    @ParameterizedTest
    @MethodSource("settings")
    void neverOverLimitsAndEveryServedJobCompletesOnceAndUnservedAreDeadLettered(Settings settings) {
        FleetSimulation.Failure failure = new FleetSimulation.Failure(0, 60, 20);
        for (FleetSimulation sim : List.of(run(settings, null), run(settings, failure))) {
            assertThat(sim.jobs()).hasSizeGreaterThan(500);
            for (SimJob job : sim.jobs()) {
                if (job.label >= MODEL.labels()) {
                    assertThat(job.deadLettered).isTrue();
                    assertThat(job.deliveries).isZero();
                    assertThat(job.completions).isZero();
                } else {
                    assertThat(job.deadLettered).isFalse();
                    assertThat(job.completions).as("completions of job %d", job.id).isEqualTo(1);
                    assertThat(job.firstStart).isGreaterThanOrEqualTo(job.arrival);
                    assertThat(job.completedAt).isEqualTo(job.lastStart + job.duration);
                    assertThat(MODEL.capacity[job.host][job.label]).isPositive();
                }
            }
            assertThat(sim.deadLetters).isEqualTo(sim.jobs().stream().filter(j -> j.deadLettered).count());
        }
    }

    @Test
    void theFailedHostsJobsAreRunAgainOrWaitForItsRestart() {
        FleetSimulation sim = run(Settings.DEFAULT, new FleetSimulation.Failure(0, 60, 20));
        assertThat(sim.runningAtDeath).isNotEmpty().allSatisfy(job -> {
            assertThat(job.starts).isEqualTo(2);
            assertThat(job.lastStart).isGreaterThanOrEqualTo(80);
        });
        assertThat(sim.heldAtDeath).allSatisfy(job -> assertThat(job.firstStart).isGreaterThanOrEqualTo(80));
    }

    @Test
    void theBoundNeverStrandsAJobAndTheSchemeDoes() {
        assertThat(run(Settings.IDEAL, null).jobs()).noneMatch(SimJob::stranded);
        assertThat(run(Settings.DEFAULT, null).jobs()).anyMatch(SimJob::stranded);
    }

    @Test
    void sameSeedSameRun() {
        double a = totalWait(run(Settings.DEFAULT, null));
        double b = totalWait(run(Settings.DEFAULT, null));
        assertThat(a).isPositive().isEqualTo(b);
    }

    private static double totalWait(FleetSimulation sim) {
        return sim.jobs().stream().filter(j -> !j.deadLettered).mapToDouble(SimJob::waitMinutes).sum();
    }
}
