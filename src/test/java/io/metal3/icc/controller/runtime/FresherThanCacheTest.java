package io.metal3.icc.controller.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FresherThanCacheTest {

    record Obj(String rv, String what) {
    }

    final FresherThanCache<Obj> f = new FresherThanCache<>(Obj::rv, o -> new Obj(o.rv(), o.what()));

    @Test
    void ourWriteWinsWhileTheCacheShowsAVersionWeReplaced() {
        Obj v1 = new Obj("1", "cached");
        assertEquals(v1, f.freshest("k", v1), "nothing written: the cache");
        f.wrote("k", "1", new Obj("2", "ours"));
        assertEquals(new Obj("2", "ours"), f.freshest("k", v1), "the cache lags: our write");
        f.wrote("k", "2", new Obj("3", "ours again"));
        assertEquals(new Obj("3", "ours again"), f.freshest("k", v1), "still lagging two writes behind");
        assertEquals(new Obj("3", "ours again"), f.freshest("k", new Obj("2", "x")));
        Obj someoneElses = new Obj("4", "theirs");
        assertEquals(someoneElses, f.freshest("k", someoneElses), "newer than anything we replaced: the cache");
        assertEquals(v1, f.freshest("k", v1), "forgotten once caught up");
    }

    @Test
    void deletionForgets() {
        Obj v1 = new Obj("1", "cached");
        f.wrote("k", "1", null);
        assertEquals(v1, f.freshest("k", v1));
        assertEquals(null, f.freshest("k", null));
    }
}
