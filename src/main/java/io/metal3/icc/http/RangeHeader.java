package io.metal3.icc.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parses a {@code Range} header per RFC 9110 §14. A header that is malformed or uses another unit
 * is ignored (the whole representation is sent), as the RFC requires.
 */
public final class RangeHeader {

    /** Ranges served in one multipart response; more (after coalescing) and the header is ignored. */
    public static final int MAX_RANGES = 64;
    /** Range specs parsed at all; a longer list is treated as hostile and ignored. */
    static final int MAX_SPECS = 1024;

    private static final RangeSelection WHOLE = new RangeSelection.Whole();
    private static final RangeSelection UNSATISFIABLE = new RangeSelection.Unsatisfiable();

    private RangeHeader() {
    }

    public static RangeSelection select(String header, long size) {
        if (header == null) {
            return WHOLE;
        }
        String h = header.strip();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).strip().equalsIgnoreCase("bytes")) {
            return WHOLE;
        }
        String[] specs = h.substring(eq + 1).split(",", MAX_SPECS + 1);
        if (specs.length > MAX_SPECS) {
            return WHOLE;
        }
        List<ByteRange> ranges = new ArrayList<>();
        boolean any = false;
        for (String raw : specs) {
            String spec = raw.strip();
            if (spec.isEmpty()) {
                continue; // empty list elements are allowed and ignored
            }
            any = true;
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return WHOLE;
            }
            String a = spec.substring(0, dash);
            String b = spec.substring(dash + 1);
            if (a.isEmpty()) {
                long suffix = digits(b);
                if (suffix < 0) {
                    return WHOLE;
                }
                if (suffix > 0 && size > 0) {
                    ranges.add(new ByteRange(Math.max(0, size - suffix), size - 1));
                }
                continue;
            }
            long first = digits(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
            if (first < 0 || last < 0 || last < first) {
                return WHOLE;
            }
            if (first < size) {
                ranges.add(new ByteRange(first, Math.min(last, size - 1)));
            }
        }
        if (!any) {
            return WHOLE;
        }
        if (ranges.isEmpty()) {
            return UNSATISFIABLE;
        }
        if (ranges.size() > 1 && (ranges.size() > MAX_RANGES || overlapping(ranges))) {
            ranges = coalesce(ranges);
        }
        if (ranges.size() > MAX_RANGES) {
            return WHOLE;
        }
        return new RangeSelection.Partial(ranges);
    }

    /** Non-negative decimal, saturating at Long.MAX_VALUE; -1 if not all digits. */
    private static long digits(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int d = c - '0';
            v = v > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : v * 10 + d;
        }
        return v;
    }

    private static boolean overlapping(List<ByteRange> ranges) {
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::first));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).first() <= sorted.get(i - 1).last() + 1) {
                return true;
            }
        }
        return false;
    }

    /** Sorts and merges overlapping or adjacent ranges (RFC 9110 allows coalescing). */
    static List<ByteRange> coalesce(List<ByteRange> ranges) {
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::first));
        List<ByteRange> out = new ArrayList<>();
        ByteRange cur = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            ByteRange r = sorted.get(i);
            if (r.first() <= cur.last() + 1) {
                cur = new ByteRange(cur.first(), Math.max(cur.last(), r.last()));
            } else {
                out.add(cur);
                cur = r;
            }
        }
        out.add(cur);
        return out;
    }
}
