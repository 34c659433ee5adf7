package org.solstice.orchestrator.images;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive right to prepare one image, across threads of this JVM (a lock per lock file) and across processes
 * on the host (a {@link FileLock} on {@code <local_path>.lock}; released by the kernel if the process dies).
 */
final class ImageLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private ImageLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /**
     * Waits for the lock; {@code onWait} runs once, before blocking, if someone else holds it.
     *
     * @throws InterruptedException when interrupted while waiting in this JVM
     * @throws IOException          when the lock file can't be opened or the wait for it is interrupted
     */
    static ImageLock acquire(ImageFiles files, Runnable onWait) throws IOException, InterruptedException {
        ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(files.lock(), p -> new ReentrantLock());
        boolean waited = false;
        if (!threadLock.tryLock()) {
            onWait.run();
            waited = true;
            threadLock.lockInterruptibly();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(files.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                if (!waited) {
                    onWait.run();
                }
                lock = channel.lock();
            }
            return new ImageLock(threadLock, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            threadLock.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            fileLock.release();
            channel.close();
        } finally {
            threadLock.unlock();
        }
    }
}
