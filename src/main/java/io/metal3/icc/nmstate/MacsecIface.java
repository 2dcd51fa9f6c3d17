package io.metal3.icc.nmstate;

import java.util.List;
import java.util.Map;

/**
 * {@code type: macsec}: checked as nmstate checks it (key pair present together, CAK of 32
 * characters, CKN of an even length from 2 to 64). nmstate 2.2's keyfile writer has no [macsec]
 * section, so neither the parent nor the keys reach the profile; the CAK never appears in a message.
 */
final class MacsecIface extends Iface {

    boolean macsecGiven;
    String baseIface;
    String mkaCak;
    String mkaCkn;

    MacsecIface(Map<String, Object> raw) {
        super(raw, IfaceType.MACSEC);
    }

    @Override
    void readOwn(Fields f) throws NmstateException {
        Object v = f.raw("macsec");
        if (v == null) {
            return;
        }
        macsecGiven = true;
        Fields.Errors e = f.errors();
        Fields c = Fields.of(v, "MacSecConfig", e);
        c.requiredBool("encrypt");
        baseIface = Text.checked(c.requiredString("base-iface"), "macsec base-iface");
        mkaCak = c.secretString("mka-cak");
        mkaCkn = c.string("mka-ckn");
        c.requiredUint("port", Fields.U32, "u32");
        c.requiredVariant("validation", List.of("disabled", "check", "strict"));
        c.requiredBool("send-sci");
        c.variant("offload", List.of("off", "phy", "mac"));
        c.finish();
    }

    @Override
    String parent() {
        return macsecGiven ? baseIface : null;
    }

    @Override
    void sanitizeOwn(boolean desired) throws NmstateException {
        if (!desired || !macsecGiven) {
            return;
        }
        if ((mkaCak == null) != (mkaCkn == null)) {
            throw NmstateException.invalid("The mka_cak and mka_cnk must be all missing or present.");
        }
        if (mkaCak != null && mkaCak.getBytes(java.nio.charset.StandardCharsets.UTF_8).length != 32) {
            throw NmstateException.invalid("The mka_cak must be a string of 32 characters");
        }
        if (mkaCkn != null) {
            int n = mkaCkn.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (n > 64 || n < 2 || n % 2 == 1) {
                throw NmstateException.invalid("The mka_ckn must be a string of even size between 2 and 64 characters");
            }
        }
    }
}
