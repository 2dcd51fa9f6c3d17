package io.metal3.icc.http;

import java.util.List;

/** What a {@code Range} header asks for, resolved against the representation size. */
public sealed interface RangeSelection {

    /** No usable Range header: send the whole representation (200). */
    record Whole() implements RangeSelection {
    }

    /** One or more satisfiable ranges (206), in the order they will be sent. */
    record Partial(List<ByteRange> ranges) implements RangeSelection {
        public Partial {
            ranges = List.copyOf(ranges);
        }
    }

    /** A valid header none of whose ranges is satisfiable (416). */
    record Unsatisfiable() implements RangeSelection {
    }
}
