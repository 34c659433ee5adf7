package org.solstice.orchestrator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The arrows of docs/architecture.md ("Dependencies point one way"), checked on every build: an import that breaks
 * one fails here with the offending class and line. Change the picture in the doc and this test together.
 */
@AnalyzeClasses(packages = "org.solstice.orchestrator", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String ROOT = "org.solstice.orchestrator.";

    private static String[] pkgs(String... names) {
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = ROOT + names[i] + "..";
        }
        return out;
    }

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("org.solstice.orchestrator.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyTheCliStartsTheDaemon = noClasses().that().resideOutsideOfPackages(pkgs("cli", "daemon"))
            .should().dependOnClassesThat().resideInAPackage(ROOT + "daemon..")
            .because("the daemon is assembled in one place and started by the cli");

    @ArchTest
    static final ArchRule nothingDependsOnTheCli = noClasses().that().resideOutsideOfPackage(ROOT + "cli..")
            .and().doNotHaveFullyQualifiedName(ROOT + "Main").should().dependOnClassesThat().resideInAPackage(ROOT + "cli..")
            .because("picocli commands are the outermost layer");

    @ArchTest
    static final ArchRule libvirtIsNamedOnlyInsideItsPackage = backendIsPrivate("libvirt");

    @ArchTest
    static final ArchRule zonesIsNamedOnlyInsideItsPackage = backendIsPrivate("zones");

    @ArchTest
    static final ArchRule noopIsNamedOnlyInsideItsPackage = backendIsPrivate("noop");

    private static ArchRule backendIsPrivate(String backend) {
        String pkg = ROOT + "hypervisor." + backend + "..";
        return noClasses().that().resideOutsideOfPackage(pkg).should().dependOnClassesThat().resideInAPackage(pkg)
                .because("a backend is found as a provider (ServiceLoader); nothing outside its package names it");
    }

    @ArchTest
    static final ArchRule theHypervisorContractKnowsNoJob = noClasses().that().resideInAPackage(ROOT + "hypervisor..")
            .should().dependOnClassesThat().resideInAnyPackage(pkgs("job", "store", "messaging", "acceptance",
                    "results", "recovery", "scheduling", "ops", "daemon", "cli", "images"))
            .because("backends run VMs; what a job is belongs above them");

    @ArchTest
    static final ArchRule theStoreKnowsNoJobLogic = noClasses().that().resideInAPackage(ROOT + "store..")
            .should().dependOnClassesThat().resideInAnyPackage(pkgs("job", "messaging", "acceptance", "results",
                    "recovery", "scheduling", "ops", "daemon", "cli", "images", "guest"))
            .because("the store keeps records; it does not know what produced them");

    @ArchTest
    static final ArchRule theJobKnowsNothingAboveIt = noClasses().that().resideInAPackage(ROOT + "job..")
            .should().dependOnClassesThat().resideInAnyPackage(pkgs("acceptance", "results", "recovery", "ops",
                    "daemon", "cli", "scheduling", "store", "images"))
            .because("a job's life is told to listeners, a journal and a result delivery it is given");

    @ArchTest
    static final ArchRule schedulingStandsAlone = noClasses().that().resideInAPackage(ROOT + "scheduling..")
            .should().dependOnClassesThat().resideInAnyPackage(pkgs("acceptance", "results", "recovery", "ops",
                    "daemon", "cli", "job", "store", "messaging", "hypervisor", "images", "config"));

    @ArchTest
    static final ArchRule messagingSpeaksTheWireOnly = noClasses().that().resideInAPackage(ROOT + "messaging..")
            .should().dependOnClassesThat().resideInAnyPackage(pkgs("acceptance", "results", "recovery", "ops",
                    "daemon", "cli", "job", "store", "scheduling", "hypervisor", "images"));

    @ArchTest
    static final ArchRule recoveryOnlyReconciles = noClasses().that().resideInAPackage(ROOT + "recovery..")
            .should().dependOnClassesThat().resideInAnyPackage(pkgs("acceptance", "results", "ops", "daemon",
                    "cli"));

    @ArchTest
    static final ArchRule operationsReadWhatTheyAreGiven = noClasses().that().resideInAPackage(ROOT + "ops..")
            .should().dependOnClassesThat().resideInAnyPackage(pkgs("acceptance", "recovery", "daemon", "cli"));

    @ArchTest
    static final ArchRule imagesArePreparedWithoutJobs = noClasses().that().resideInAPackage(ROOT + "images..")
            .should().dependOnClassesThat().resideInAnyPackage(pkgs("acceptance", "results", "recovery", "ops",
                    "daemon", "cli", "job", "store", "messaging", "scheduling", "hypervisor"));

    @ArchTest
    static final ArchRule acceptanceKnowsNotWhatComesAfterTheJob = noClasses().that()
            .resideInAPackage(ROOT + "acceptance..").should().dependOnClassesThat()
            .resideInAnyPackage(pkgs("results", "ops", "daemon", "cli"))
            .because("acceptance turns requests into jobs and starts them; results and operations come later");

    @ArchTest
    static final ArchRule resultsOnlyDeliver = noClasses().that().resideInAPackage(ROOT + "results..")
            .should().dependOnClassesThat().resideInAnyPackage(pkgs("acceptance", "recovery", "scheduling",
                    "images", "ops", "daemon", "cli"))
            .because("delivering a result is storing it and publishing it, nothing more");
}
