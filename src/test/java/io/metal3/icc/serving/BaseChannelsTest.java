package io.metal3.icc.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metal3.icc.image.BaseFileState;

class BaseChannelsTest {

    static String read(BaseChannels.Shared s, int n) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(n);
        s.channel.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
    }

    @Test
    void oneChannelPerVersionSharedByItsReaders(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("base.iso"), "version-1");
        try (BaseChannels channels = new BaseChannels()) {
            BaseFileState v1 = BaseFileState.of(f);
            BaseChannels.Shared a = channels.acquire(v1);
            BaseChannels.Shared b = channels.acquire(BaseFileState.of(f));
            assertSame(a, b, "the same version shares one channel");
            channels.release(a);
            channels.release(b);
            assertTrue(a.channel.isOpen(), "the current version stays open between responses");
            assertSame(a, channels.acquire(v1));
            channels.release(a);
            assertEquals(1, channels.openChannels());
        }
    }

    @Test
    void aReplacedFileIsClosedWhenItsLastReaderIsDoneAndThatReaderKeepsItsBytes(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("base.iso"), "version-1");
        try (BaseChannels channels = new BaseChannels()) {
            BaseChannels.Shared old = channels.acquire(BaseFileState.of(f));
            Path next = Files.writeString(dir.resolve("next"), "version-2!");
            Files.move(next, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            BaseChannels.Shared fresh = channels.acquire(BaseFileState.of(f));
            assertNotSame(old, fresh);
            assertEquals("version-2!", read(fresh, 10));
            assertTrue(old.channel.isOpen(), "a download under way is not cut off");
            assertEquals("version-1", read(old, 10), "and reads the version it started with");
            channels.release(old);
            assertFalse(old.channel.isOpen(), "closed with its last reader");
            channels.release(fresh);
            assertTrue(fresh.channel.isOpen());
            assertEquals(1, channels.openChannels());
        }
    }

    @Test
    void forgetClosesOnceIdleAndCloseClosesEverything(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("base.iso"), "v");
        Path g = Files.writeString(dir.resolve("other.iso"), "w");
        BaseChannels channels = new BaseChannels();
        BaseChannels.Shared s = channels.acquire(BaseFileState.of(f));
        BaseChannels.Shared t = channels.acquire(BaseFileState.of(g));
        channels.release(t);
        channels.forget(f);
        assertTrue(s.channel.isOpen(), "still being read");
        channels.release(s);
        assertFalse(s.channel.isOpen());
        assertEquals(1, channels.openChannels());
        channels.close();
        assertFalse(t.channel.isOpen());
        BaseChannels.Shared late = channels.acquire(BaseFileState.of(g));
        assertTrue(late.channel.isOpen(), "a response after close still reads, on a channel of its own");
        channels.release(late);
        assertFalse(late.channel.isOpen());
        assertThrows(ClosedChannelException.class, () -> read(t, 1));
    }
}
