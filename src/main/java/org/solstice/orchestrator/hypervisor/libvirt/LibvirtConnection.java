package org.solstice.orchestrator.hypervisor.libvirt;

import com.sun.jna.Pointer;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virError;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's one libvirt connection, shared by all jobs. Opened on first use; when libvirtd restarts the
 * connection dies, and the next call notices it (before the call, or by the call failing on a connection that
 * is no longer alive), opens a new one and runs the call once more.
 *
 * <p>Calls hold a read lock while they use the connection; replacing or closing it takes the write lock, so a
 * connection is never closed under a running call. Native handles a call obtains must be freed inside it.
 */
final class LibvirtConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LibvirtConnection.class);
    private static final Set<ErrorNumber> CONNECTION_ERRORS = EnumSet.of(ErrorNumber.VIR_ERR_NO_CONNECT,
            ErrorNumber.VIR_ERR_INVALID_CONN);

    /**
     * libvirt prints every error to stderr unless an error function is set; errors reach us as exceptions, and
     * "domain not found" is routine here (polling a guest that powered off), so print nothing. Kept in a static
     * field: JNA must not see the callback collected.
     */
    private static final Libvirt.VirErrorCallback QUIET = new Libvirt.VirErrorCallback() {
        @Override
        public void errorCallback(Pointer userData, virError error) {
            // reported through LibvirtException instead
        }
    };

    static {
        try {
            Connect.setErrorCallback(QUIET);
        } catch (LibvirtException e) {
            log.debug("cannot silence libvirt's stderr error printing: {}", e.toString());
        }
    }

    /** Work done with the connection. */
    @FunctionalInterface
    interface Call<T> {
        T apply(Connect connect) throws LibvirtException;
    }

    private final String uri;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private Connect connect; // guarded by lock
    private boolean closed; // guarded by lock

    LibvirtConnection(String uri) {
        this.uri = uri;
    }

    String uri() {
        return uri;
    }

    /**
     * Runs {@code call} with a live connection, reconnecting once when the connection turns out dead.
     *
     * @param what what the call does, for the error message (e.g. "start domain job-...")
     * @throws HypervisorException when libvirt refuses the call or cannot be reached
     */
    <T> T call(String what, Call<T> call) {
        Connect used = null;
        for (int attempt = 1; ; attempt++) {
            lock.readLock().lock();
            try {
                if (connect == null || used == connect || !alive(connect)) {
                    lock.readLock().unlock();
                    try {
                        reconnect(used);
                    } finally {
                        lock.readLock().lock();
                    }
                }
                if (connect == null) {
                    throw new HypervisorException("libvirt connection to " + uri + " is closed");
                }
                used = connect;
                return call.apply(used);
            } catch (LibvirtException e) {
                if (attempt == 1 && isConnectionFailure(used, e)) {
                    log.info("libvirt connection to {} lost ({}); reconnecting", uri, message(e));
                    continue;
                }
                throw new HypervisorException(what + " failed: " + message(e), e);
            } finally {
                lock.readLock().unlock();
            }
        }
    }

    /** Opens a connection unless another thread already replaced {@code dead} with a live one. */
    private void reconnect(Connect dead) {
        lock.writeLock().lock();
        try {
            if (closed) {
                throw new HypervisorException("libvirt connection to " + uri + " is closed");
            }
            if (connect != null && connect != dead && alive(connect)) {
                return;
            }
            closeQuietly(connect);
            connect = null;
            try {
                connect = new Connect(uri, false);
            } catch (LibvirtException e) {
                throw new HypervisorException("cannot connect to libvirt at " + uri + ": " + message(e)
                        + " (is libvirtd running?)", e);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The call failed because the connection is gone (libvirtd restarted), not because libvirt refused it. */
    private static boolean isConnectionFailure(Connect used, LibvirtException e) {
        return used != null && (CONNECTION_ERRORS.contains(code(e)) || !alive(used));
    }

    private static boolean alive(Connect c) {
        try {
            return c.isAlive();
        } catch (LibvirtException | RuntimeException e) {
            return false;
        }
    }

    static ErrorNumber code(LibvirtException e) {
        return e.getError() == null ? null : e.getError().getCode();
    }

    static String message(LibvirtException e) {
        return e.getError() != null && e.getError().getMessage() != null ? e.getError().getMessage()
                : String.valueOf(e.getMessage());
    }

    private static void closeQuietly(Connect c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (LibvirtException | RuntimeException e) {
            log.debug("closing a dead libvirt connection: {}", e.toString());
        }
    }

    /** Closes the connection for good; later calls fail. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            closeQuietly(connect);
            connect = null;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** For tests: closes the native connection as a libvirtd restart would kill it, without closing this. */
    void dropForTest() {
        lock.writeLock().lock();
        try {
            closeQuietly(connect);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
