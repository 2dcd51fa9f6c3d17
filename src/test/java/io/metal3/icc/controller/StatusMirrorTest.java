package io.metal3.icc.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A replica that does not lead serves exactly what the statuses say, and writes nothing. */
class StatusMirrorTest {

    static final String NS = ReconcilerTest.NS;
    final InMemoryCluster cluster = new InMemoryCluster();
    final RecordingProvider leaderProvider = new RecordingProvider();
    final RecordingProvider provider = new RecordingProvider();
    StatusMirror mirror;

    @BeforeEach
    void setUp() {
        mirror = new StatusMirror(cluster, provider);
    }

    /** The leader's three steps, through the same in-memory API server. */
    void leaderConverges(String name) {
        Reconciler leader = new Reconciler(cluster, leaderProvider, Clock.systemUTC());
        for (int i = 0; i < 3; i++) {
            leader.reconcile(NS, name);
        }
        assertTrue(Conditions.isTrue(cluster.get(NS, name).getStatus().getConditions(), Conditions.READY));
    }

    int writes() {
        return cluster.statusWrites + cluster.finalizerWrites + cluster.secretWrites + cluster.events.size();
    }

    @Test
    void readyImageIsBuiltFromTheRecordedInputsAndNothingIsWritten() {
        cluster.put(ReconcilerTest.secret("net", Map.of("nmstate", "interfaces: []")));
        cluster.put(ReconcilerTest.ppi("h", "net", "x86_64", "iso"));
        leaderConverges("h");
        int before = writes();
        assertEquals(StatusMirror.Outcome.SERVED, mirror.serve(NS, "h"));
        assertEquals(before, writes(), "a follower never writes");
        assertEquals(List.of(NS + "-h-uid-h-x86_64.iso"), provider.built);
        assertEquals("interfaces: []", new String(provider.lastNetworkData.get("nmstate")));
    }

    @Test
    void notReadyOrUnknownImagesAreDropped() {
        assertEquals(StatusMirror.Outcome.DISCARDED, mirror.serve(NS, "gone"));
        cluster.put(ReconcilerTest.ppi("h", "", "", "iso"));
        assertEquals(StatusMirror.Outcome.DISCARDED, mirror.serve(NS, "h"), "no status yet");
        assertEquals(List.of(NS + "/gone/*", NS + "/h/*"), provider.discarded);
        assertTrue(provider.built.isEmpty());
    }

    @Test
    void aSecretChangedOrDeletedSinceTheBuildIsNotServed() {
        cluster.put(ReconcilerTest.secret("net", Map.of("nmstate", "interfaces: []")));
        cluster.put(ReconcilerTest.ppi("h", "net", "", "iso"));
        leaderConverges("h");
        cluster.put(cluster.secrets.get(InMemoryCluster.key(NS, "net"))); // new resourceVersion
        assertEquals(StatusMirror.Outcome.DISCARDED, mirror.serve(NS, "h"), "the leader rebuilds; old content not served");
        cluster.secrets.clear();
        assertEquals(StatusMirror.Outcome.DISCARDED, mirror.serve(NS, "h"));
        assertTrue(provider.built.isEmpty());
    }

    @Test
    void aDifferentUrlHereIsNotServed() {
        cluster.put(ReconcilerTest.ppi("h", "", "", "iso"));
        leaderConverges("h");
        provider.version = 2; // this replica's settings differ from the leader's
        assertEquals(StatusMirror.Outcome.MISMATCH, mirror.serve(NS, "h"));
        assertEquals(List.of(NS + "-h-uid-h-.iso"), provider.discarded, "never served under another name");
    }

    @Test
    void buildFailuresAreReportedNotThrown() {
        cluster.put(ReconcilerTest.ppi("h", "", "", "iso"));
        leaderConverges("h");
        provider.failWith = new java.io.IOException("CA bundle unreadable");
        assertEquals(StatusMirror.Outcome.FAILED, mirror.serve(NS, "h"));
        assertFalse(provider.built.contains(NS + "-h-uid-h-.iso"));
    }
}
