package org.solstice.orchestrator.cli;

import java.io.PrintWriter;
import java.util.List;

/** Plain-text tables for the CLI: columns as wide as their widest cell, two spaces apart. */
final class TextTable {
    private TextTable() {
    }

    /** Prints {@code rows} (the first is the header; every row has as many cells) and flushes. */
    static void print(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }
}
