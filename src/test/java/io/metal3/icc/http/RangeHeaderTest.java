package io.metal3.icc.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RangeHeaderTest {

    /** Renders a selection compactly: "whole", "416", or "a-b;c-d". */
    static String render(RangeSelection s) {
        if (s instanceof RangeSelection.Whole) {
            return "whole";
        }
        if (s instanceof RangeSelection.Unsatisfiable) {
            return "416";
        }
        return ((RangeSelection.Partial) s).ranges().stream().map(r -> r.first() + "-" + r.last())
                .collect(Collectors.joining(";"));
    }

    @ParameterizedTest(name = "[{0}] size {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL|1000|whole",
            "''|1000|whole",
            "bytes=0-99|1000|0-99",
            "bytes=0-0|1000|0-0",
            "bytes=999-999|1000|999-999",
            "bytes=500-|1000|500-999",
            "bytes=-1|1000|999-999",
            "bytes=-100|1000|900-999",
            "bytes=-5000|1000|0-999",
            "bytes=0-5000|1000|0-999",
            "BYTES=1-2|1000|1-2",
            "bytes = 1-2|1000|1-2",
            "bytes=1-2 , 5-6|1000|1-2;5-6",
            "bytes=5-6,1-2|1000|5-6;1-2",
            "bytes=1-2,,5-6,|1000|1-2;5-6",
            "bytes=0-10,5-20|1000|0-20",
            "bytes=0-10,11-20|1000|0-20",
            "bytes=0-10,-10|1000|0-10;990-999",
            "bytes=1000-|1000|416",
            "bytes=1000-2000|1000|416",
            "bytes=-0|1000|416",
            "bytes=1000-,2000-|1000|416",
            "bytes=1000-,5-6|1000|5-6",
            "bytes=0-0|0|416",
            "bytes=-5|0|416",
            "bytes=5-1|1000|whole",
            "bytes=a-b|1000|whole",
            "bytes=1-2-3|1000|whole",
            "bytes=-|1000|whole",
            "bytes=--1|1000|whole",
            "bytes=+1-2|1000|whole",
            "bytes=1 -2|1000|whole",
            "bytes=|1000|whole",
            "bytes=,|1000|whole",
            "items=0-1|1000|whole",
            "bytes 0-1|1000|whole",
            "0-1|1000|whole",
            "bytes=0-1,x|1000|whole",
            "bytes=99999999999999999999999-|1000|416",
            "bytes=0-99999999999999999999999|1000|0-999",
            "bytes=-99999999999999999999999|1000|0-999",
    })
    void table(String header, long size, String expected) {
        assertEquals(expected, render(RangeHeader.select(header, size)));
    }

    @Test
    void manySmallDisjointRangesBeyondTheCapAreIgnored() {
        StringBuilder h = new StringBuilder("bytes=");
        for (int i = 0; i < RangeHeader.MAX_RANGES + 1; i++) {
            h.append(i * 10).append('-').append(i * 10 + 1).append(',');
        }
        assertEquals("whole", render(RangeHeader.select(h.toString(), 100_000)));
    }

    @Test
    void thousandsOfOverlappingRangesCoalesceIntoOne() {
        StringBuilder h = new StringBuilder("bytes=");
        for (int i = 0; i < 1000; i++) {
            h.append(i).append("-").append(i + 50).append(',');
        }
        assertEquals("0-1049", render(RangeHeader.select(h.toString(), 100_000)));
    }

    @Test
    void moreSpecsThanParsedAtAllIsIgnored() {
        String h = "bytes=" + "0-0,".repeat(RangeHeader.MAX_SPECS + 1);
        assertEquals("whole", render(RangeHeader.select(h, 10)));
    }

    @Test
    void coalesceKeepsDisjointRanges() {
        List<ByteRange> in = new ArrayList<>(List.of(new ByteRange(50, 60), new ByteRange(0, 10), new ByteRange(12, 20)));
        assertEquals(List.of(new ByteRange(0, 10), new ByteRange(12, 20), new ByteRange(50, 60)), RangeHeader.coalesce(in));
    }
}
