package org.solstice.orchestrator.ops;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns console bytes, arriving in arbitrary pieces, into UTF-8 text without splitting a character (an
 * incomplete sequence waits for the next piece; invalid bytes become U+FFFD), and text into chunks of at most
 * a given number of UTF-8 bytes.
 */
final class ConsoleText {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer leftover = ByteBuffer.allocate(0);

    /** The text the bytes complete; a trailing incomplete character is kept for the next call. */
    String feed(byte[] bytes, int length) {
        ByteBuffer in = ByteBuffer.allocate(leftover.remaining() + length);
        in.put(leftover).put(bytes, 0, length).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, out, false);
        leftover = in.slice();
        return out.flip().toString();
    }

    /** What is left, at the end of the log (an incomplete character becomes U+FFFD). */
    String finish() {
        CharBuffer out = CharBuffer.allocate(leftover.remaining() + 2);
        decoder.decode(leftover, out, true);
        decoder.flush(out);
        leftover = ByteBuffer.allocate(0);
        return out.flip().toString();
    }

    /** Splits text into pieces of at most {@code maxBytes} UTF-8 bytes, never inside a character. */
    static List<String> chunks(String text, int maxBytes) {
        List<String> chunks = new ArrayList<>();
        int start = 0;
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                chunks.add(text.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        if (start < text.length()) {
            chunks.add(text.substring(start));
        }
        return chunks;
    }
}
