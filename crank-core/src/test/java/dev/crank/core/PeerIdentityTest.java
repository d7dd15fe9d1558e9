package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerIdentityTest {

    @Test
    void readsTheThreeFormsExactly() {
        assertThat(PeerIdentity.parse("spiffe://crank.local/worker/crank-a").flatMap(PeerIdentity::workerId)).contains("crank-a");
        assertThat(PeerIdentity.parse("spiffe://crank.local/admin/ops").map(PeerIdentity::isAdmin)).contains(true);
        assertThat(PeerIdentity.parse("spiffe://crank.local/controller").map(PeerIdentity::isController)).contains(true);
        assertThat(PeerIdentity.worker("a.b_c-1").workerId()).contains("a.b_c-1");
        assertThat(PeerIdentity.worker("x").isAdmin()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"spiffe://crank.local/%61dmin/x", "spiffe://crank.local/admin/%78", "SPIFFE://crank.local/admin/x",
            "spiffe://CRANK.local/admin/x", "spiffe://crank.local/ADMIN/x", "spiffe://crank.local/worker/../admin/x",
            "spiffe://crank.local/admin/.", "spiffe://crank.local/admin/..", "spiffe://crank.local/worker/./x",
            "spiffe://crank.local//admin/x", "spiffe://u@crank.local/admin/x", "spiffe://crank.local:1/admin/x",
            "spiffe://crank.local/admin/x?y", "spiffe://crank.local/admin/x#y", "spiffe://crank.local/admin/x/",
            "spiffe://crank.local/admin/", "spiffe://crank.local/controller/", "spiffe://crank.local/controllers",
            "spiffe://crank.local/other/x", "spiffe://crank.local.evil/admin/x", "spiffe://crank.local/admin/x y", ""})
    void anythingElseIsNobody(String text) {
        assertThat(PeerIdentity.parse(text)).isEmpty();
    }

    @Test
    void constructorsRefuseWhatParsingRefuses() {
        assertThatThrownBy(() -> PeerIdentity.worker("../admin")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerIdentity.admin("%61")).isInstanceOf(IllegalArgumentException.class);
    }
}
