package org.solstice.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTextTest {
    @Test
    void aCharacterSplitAcrossReadsIsKeptWhole() {
        byte[] bytes = "é€😀x".getBytes(StandardCharsets.UTF_8);
        ConsoleText text = new ConsoleText();
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            String piece = text.feed(new byte[] {b}, 1);
            assertThat(piece).doesNotContain("\uFFFD");
            out.append(piece);
        }
        out.append(text.finish());
        assertThat(out.toString()).isEqualTo("é€😀x");
    }

    @Test
    void anIncompleteCharacterAtTheEndBecomesAReplacementCharacter() {
        ConsoleText text = new ConsoleText();
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        assertThat(text.feed(euro, 2)).isEmpty();
        assertThat(text.finish()).isEqualTo("\uFFFD");
    }

    @Test
    void chunksStayWithinTheByteLimitWithoutSplittingCharacters() {
        String s = "ab€€😀c".repeat(1000);
        List<String> chunks = ConsoleText.chunks(s, 16);
        assertThat(String.join("", chunks)).isEqualTo(s);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(16);
            assertThat(c).doesNotContain("\uFFFD");
            assertThat(Character.isLowSurrogate(c.charAt(0))).isFalse();
        });
        assertThat(ConsoleText.chunks("", 16)).isEmpty();
    }
}
