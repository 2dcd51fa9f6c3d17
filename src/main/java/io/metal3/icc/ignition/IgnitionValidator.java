package io.metal3.icc.ignition;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The Ignition 3.2.0 rules that matter, checked on what we generate before it is served. */
final class IgnitionValidator {

    private static final Pattern UNIT_NAME =
            Pattern.compile("[A-Za-z0-9:_.@\\\\-]+\\.(service|socket|target|timer|mount|path|slice|scope|device|swap|automount)");

    private IgnitionValidator() {
    }

    static void check(List<IgnitionFile> files, List<String> unitNames) throws IgnitionBuildException {
        Set<String> paths = new HashSet<>();
        for (IgnitionFile f : files) {
            String p = f.path();
            if (!p.startsWith("/") || p.endsWith("/") || p.contains("//") || p.contains("/./") || p.contains("/../")
                    || p.endsWith("/..") || p.endsWith("/.")) {
                throw selfCheck("file path '" + p + "' is not absolute and clean");
            }
            if (!paths.add(p)) {
                throw selfCheck("duplicate file path " + p);
            }
            if (f.mode() != null && (f.mode() < 0 || f.mode() > 07777)) {
                throw selfCheck("bad mode " + f.mode() + " for " + p);
            }
            try {
                DataUrls.decode(f.source());
            } catch (IllegalArgumentException e) {
                throw selfCheck("invalid data URL for " + p + ": " + e.getMessage());
            }
        }
        Set<String> units = new HashSet<>();
        for (String u : unitNames) {
            if (!UNIT_NAME.matcher(u).matches() || !units.add(u)) {
                throw selfCheck("bad or duplicate unit name " + u);
            }
        }
    }

    private static IgnitionBuildException selfCheck(String what) {
        return new IgnitionBuildException("generated Ignition failed its self-check: " + what);
    }
}
