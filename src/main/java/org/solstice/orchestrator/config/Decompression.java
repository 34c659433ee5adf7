package org.solstice.orchestrator.config;

/** How an image's downloaded source is turned into the image on disk. */
public enum Decompression {
    NONE, ZSTD
}
