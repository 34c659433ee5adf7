package org.solstice.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image map's per-image guest settings: {@code user} and {@code network}. */
class ImageGuestSettingsTest {
    @TempDir
    Path dir;

    private String map(String extra) {
        return """
                default_label: img
                images:
                  img:
                    source: file:///srv/img.qcow2
                    local_path: img.qcow2
                """ + extra.indent(4);
    }

    private ImageDefinition image(String extra) {
        return ImageMapLoader.parse(dir.resolve("map.yaml"), map(extra)).resolve("img").orElseThrow();
    }

    private ConfigException error(String extra) {
        try {
            ImageMapLoader.parse(dir.resolve("map.yaml"), map(extra));
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("the map was accepted: " + extra);
    }

    @Test
    void byDefaultJobsRunAsRootWithDhcpAndNoNetworkConfig() {
        ImageDefinition image = image("");

        assertThat(image.user()).isEqualTo("root");
        assertThat(image.network()).isEqualTo(GuestNetwork.DHCP);
        assertThat(image.network().networkConfig()).isNull();
    }

    @Test
    void aNamedUserAndNetworkNone() {
        ImageDefinition image = image("user: runner\nnetwork: none\n");

        assertThat(image.user()).isEqualTo("runner");
        assertThat(image.network().mode()).isEqualTo(GuestNetwork.Mode.NONE);
        assertThat(image.network().networkConfig()).contains("version: 2").contains("ethernets: {}");
        assertThat(image("network: dhcp\n").network()).isEqualTo(GuestNetwork.DHCP);
    }

    @Test
    void aNetworkConfigFileIsReadRelativeToTheMapAndKeptVerbatim() throws Exception {
        String text = """
                # static, no DHCP wait
                version: 2
                ethernets:
                  all:
                    match: { name: "e*" }
                    addresses: [192.168.122.50/24]
                """;
        Files.writeString(dir.resolve("static.yaml"), text);

        ImageDefinition image = image("network: static.yaml\n");

        assertThat(image.network().mode()).isEqualTo(GuestNetwork.Mode.FILE);
        assertThat(image.network().networkConfig()).isEqualTo(text);
        assertThat(image.network().source()).isEqualTo(dir.resolve("static.yaml"));
    }

    @Test
    void aFileUnderANetworkKeyIsAcceptedAsCloudInitDoes() throws Exception {
        Files.writeString(dir.resolve("net.yaml"), "network:\n  version: 2\n  ethernets: {}\n");

        assertThat(image("network: net.yaml\n").network().mode()).isEqualTo(GuestNetwork.Mode.FILE);
    }

    @Test
    void aBadUserNameIsRejectedWithLineAndKey() {
        ConfigException e = error("user: \"Bad User\"\n");

        assertThat(e.key()).isEqualTo("images.img.user");
        assertThat(e.line()).as("the line of the key in the map").isEqualTo(6);
        assertThat(e.getMessage()).contains("is not a user name");
    }

    @Test
    void aMissingNetworkFileIsRejectedWithLineAndKey() {
        ConfigException e = error("network: nowhere.yaml\n");

        assertThat(e.key()).isEqualTo("images.img.network");
        assertThat(e.line()).as("the line of the key in the map").isEqualTo(6);
        assertThat(e.getMessage()).contains("neither dhcp nor none").contains("nowhere.yaml");
    }

    @Test
    void aNetworkFileThatIsNotYamlNamesItsFileAndLine() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.yaml"), "version: 2\nethernets:\n  eth0: [unclosed\n");

        ConfigException e = error("network: broken.yaml\n");

        assertThat(e.file()).isEqualTo(file);
        assertThat(e.line()).isGreaterThanOrEqualTo(3);
        assertThat(e.getMessage()).contains("network-config is not valid YAML");
    }

    @Test
    void aNetworkFileOfVersionOneIsRejectedAtItsVersionKey() throws Exception {
        Path file = Files.writeString(dir.resolve("v1.yaml"), "# old style\nversion: 1\nconfig: []\n");

        ConfigException e = error("network: v1.yaml\n");

        assertThat(e.file()).isEqualTo(file);
        assertThat(e.key()).isEqualTo("config");
        assertThat(e.getMessage()).contains("unknown key");
        Files.writeString(file, "# old style\nversion: 1\n");
        ConfigException version = error("network: v1.yaml\n");
        assertThat(version.key()).isEqualTo("version");
        assertThat(version.line()).isEqualTo(2);
        assertThat(version.getMessage()).contains("must be 2, was '1'");
    }

    @Test
    void aNetworkFileWithoutVersionOrWithAnUnknownKeyIsRejected() throws Exception {
        Files.writeString(dir.resolve("nover.yaml"), "ethernets: {}\n");
        assertThat(error("network: nover.yaml\n").key()).isEqualTo("version");

        Files.writeString(dir.resolve("typo.yaml"), "version: 2\nethernet:\n  eth0: {dhcp4: true}\n");
        ConfigException typo = error("network: typo.yaml\n");
        assertThat(typo.key()).isEqualTo("ethernet");
        assertThat(typo.line()).isEqualTo(2);

        Files.writeString(dir.resolve("list.yaml"), "version: 2\nethernets: [eth0]\n");
        assertThat(error("network: list.yaml\n").key()).isEqualTo("ethernets");
    }
}
