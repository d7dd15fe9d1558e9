package dev.crank.workers.documentconversion;

import static org.assertj.core.api.Assertions.assertThat;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CssLengthClampTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "font-size:100000000px | font-size:500px",
        "font-size: 1e8pt | font-size: 375pt",
        "FONT-SIZE:6250000EM | FONT-SIZE:31.25em",
        "font-size:625000000% | font-size:3125%",
        "font: bold 100000000px/100000000 serif | font: bold 500px/1000 serif",
        "line-height:20000000px | line-height:1000px",
        "line-height:2000000 | line-height:20",
        "height:20000000px;min-height:2e7px | height:10000px;min-height:10000px",
        "margin:-20000000px 0 20000000px | margin:-10000px 0 10000px",
        "padding-top:1000000cm !important | padding-top:264.58cm !important",
        "color:red;width:100000000vw | color:red;width:1259.44vw",
    })
    void clampsOverLargeLengthsInTheirOwnUnit(String css, String clamped) {
        assertThat(CssLengthClamp.clampCss(css)).isEqualTo(clamped);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "font-size:12pt;line-height:1.4;margin:1em 2em;padding:4px",
        "h1 { font-size: 2em; margin-top: 0.67em } td { width: 50% }",
        "font: 700 14px/1.2 'DejaVu Sans', sans-serif",
        "color:#1000000;background:rgb(200000,0,0)",
        ".top:nth-child(20000) { color: red }",
        "@page { size: 210mm 297mm; margin: 20mm }",
    })
    void leavesOrdinaryAndUnrelatedCssAlone(String css) {
        assertThat(CssLengthClamp.clampCss(css)).isEqualTo(css);
    }

    @Test
    void clampsStyleBlocksStyleAttributesAndHtmlLengthAttributes() {
        Document page = Jsoup.parse("<html><head><style>div { height: 20000000px }</style></head><body>"
                + "<p style=\"font-size:100000000px\">x</p><td height=\"20000000\" width=\"50%\">y</td>"
                + "<img width=\"640\" height=\"20000000px\"></body></html>");

        CssLengthClamp.clamp(page);

        assertThat(page.selectFirst("style").data()).isEqualTo("div { height: 10000px }");
        assertThat(page.selectFirst("p").attr("style")).isEqualTo("font-size:500px");
        assertThat(page.selectFirst("img").attr("width")).isEqualTo("640");
        assertThat(page.selectFirst("img").attr("height")).isEqualTo("10000");
    }
}
