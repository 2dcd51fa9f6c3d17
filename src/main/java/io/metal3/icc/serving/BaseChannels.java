package io.metal3.icc.serving;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import io.metal3.icc.image.BaseFileState;

/**
 * Open read channels of base files, one per file version, shared by every response reading it
 * (positional reads need no per-reader state): opening and closing the file for each small range
 * showed in bench/profile-ranges.sh's profile. A version superseded by a newer one at the
 * same path is closed when its last reader is done, so a download under way keeps reading the bytes
 * it started with; {@link #forget} closes a path's channel once its readers are done (file gone).
 */
final class BaseChannels implements AutoCloseable {

    /** One version's channel; readers counts responses using it. Guarded by the BaseChannels lock. */
    static final class Shared {
        final BaseFileState state;
        final FileChannel channel;
        int readers;
        boolean retired;

        Shared(BaseFileState state, FileChannel channel) {
            this.state = state;
            this.channel = channel;
        }
    }

    private final Map<Path, Shared> current = new HashMap<>();
    private boolean closed;

    /** The channel of {@code state}'s version; give it back with {@link #release}. */
    Shared acquire(BaseFileState state) throws IOException {
        synchronized (this) {
            Shared s = current.get(state.path());
            if (s != null && s.state.equals(state) && !closed) {
                s.readers++;
                return s;
            }
        }
        // Opened outside the lock: a slow file system must not hold up readers of other files.
        Shared opened = new Shared(state, FileChannel.open(state.path(), StandardOpenOption.READ));
        synchronized (this) {
            Shared s = current.get(state.path());
            if (s != null && s.state.equals(state) && !closed) {
                closeQuietly(opened.channel); // another response opened it meanwhile
                s.readers++;
                return s;
            }
            opened.readers = 1;
            if (closed) {
                opened.retired = true; // private to this response
            } else {
                if (s != null) {
                    retire(s);
                }
                current.put(state.path(), opened);
            }
            return opened;
        }
    }

    synchronized void release(Shared s) {
        if (--s.readers == 0 && s.retired) {
            closeQuietly(s.channel);
        }
    }

    /** The file at {@code path} is gone or unreadable: close its channel when its readers are done. */
    synchronized void forget(Path path) {
        Shared s = current.remove(path);
        if (s != null) {
            retire(s);
        }
    }

    synchronized int openChannels() {
        return current.size();
    }

    private void retire(Shared s) {
        s.retired = true;
        if (s.readers == 0) {
            closeQuietly(s.channel);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        current.values().forEach(this::retire);
        current.clear();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // read-only channel: nothing to flush, nothing lost
        }
    }
}
