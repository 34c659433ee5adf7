package org.solstice.orchestrator.messaging;

import java.util.Locale;

/** Where a job came from. Read case-insensitively (publishers send {@code Github}, {@code forgejo}, ...). */
public enum JobSource {
    GITHUB, FORGEJO, MANUAL;

    public static JobSource parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("source must be one of github, forgejo, manual, was '" + value + "'");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
