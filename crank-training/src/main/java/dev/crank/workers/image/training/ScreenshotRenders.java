package dev.crank.workers.image.training;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Screenshots: headless Chromium on real HTML at desktop window sizes: the controller's console, the project's
 * docs as a documentation site (top bar, side navigation), forms built from the docs' headings, HTML messages of
 * the SpamAssassin corpus (remote references removed), and the console screenshot committed in docs/. Each
 * source also gives a partial screenshot (a region of the window). The HTML messages after the first
 * {@value #MAILS} (the next {@value #LATER_MAILS}, mostly sparse spam: a few boxes and rules on white) came after the
 * first deal and are dealt on their own ({@link BuildImageSet.Renderer#laterSources()}). The fresh part
 * ({@link BuildImageSet.Renderer#freshSources()}) holds the stdlib packages' READMEs as a site and as a form, and
 * HTML messages that no other part renders; the unseen part ({@link BuildImageSet.Renderer#unseenSources()}) real
 * documentation pages (Tux Paint's HTML manuals, OpenCV's tutorials) with their own images and style sheets inlined,
 * and HTML messages neither of the others renders; the final part ({@link BuildImageSet.Renderer#finalSources()}) the
 * pages of Debian's HTML manuals, inlined the same way, and HTML messages none of the others renders.
 *
 * <p>A render that shows next to nothing (under {@value #MIN_CONTENT} of its pixels differ from its background:
 * a message whose content was all remote images, a region in an empty margin) is not a picture of a screen but a
 * blank, whatever its folder would say: a region is redrawn up to {@value #REGION_TRIES} times, a window render
 * that stays empty is left out (with its region).
 */
final class ScreenshotRenders implements BuildImageSet.Renderer {

    /** HTML messages of the first deal. */
    static final int MAILS = 80;
    /** HTML messages added after it. */
    static final int LATER_MAILS = 100;
    /** Every how many of the HTML messages no other part renders the fresh part takes. */
    static final int FRESH_MAIL_STRIDE = 8;
    /** Least share of a render's pixels that must differ from its background ({@link Filters#contentShare}). */
    static final double MIN_CONTENT = 0.005;
    /** How many regions are drawn, at most, before one with content is found. */
    static final int REGION_TRIES = 8;
    private static final int[][] WINDOWS = {{1280, 800}, {1366, 768}, {1440, 900}, {1024, 768}, {1920, 1080},
        {1600, 900}, {1280, 1024}, {800, 600}};
    private static final String CSP = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            + "style-src 'unsafe-inline'; img-src data:; font-src data:\">";
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,3}\\s+(.+)$");
    private static final String[] ACCENTS = {"#24292f", "#0b5394", "#1f6f43", "#5b2a86", "#8a1c1c", "#333333", "#0f766e"};
    private static final String[] FONTS = {"sans-serif", "serif", "DejaVu Sans", "Liberation Sans", "monospace"};

    private final Path repo;
    private final Path corpus;
    private final Path licences;
    private final Path unseenPages;
    private final Path finalPages;

    /** {@code sources}: the folder tools/build-image-set.sh fills (licences, pages of the later parts). */
    ScreenshotRenders(Path repo, Path corpus, Path sources) {
        this.repo = repo;
        this.corpus = corpus;
        this.licences = sources.resolve("licences");
        this.unseenPages = sources.resolve("html-unseen");
        this.finalPages = sources.resolve("html-final");
    }

    @Override
    public String label() {
        return "screenshot";
    }

    @Override
    public int parallelism() {
        return 4;
    }

    @Override
    public List<String> sources() throws IOException {
        if (!Chromium.available()) {
            throw new IOException("no headless Chromium at /usr/bin/chromium (apt-get install chromium)");
        }
        List<String> sources = new ArrayList<>();
        sources.add("console");
        sources.add("image:docs/console.png");
        for (Path doc : DocumentRenders.markdown(repo)) {
            sources.add("site:" + repo.relativize(doc));
            sources.add("form:" + repo.relativize(doc));
        }
        for (Path message : Mail.sampleHtml(corpus, MAILS)) {
            sources.add("mail:" + corpus.relativize(message));
        }
        return sources;
    }

    @Override
    public List<String> laterSources() throws IOException {
        List<Path> messages = Mail.sampleHtml(corpus, MAILS + LATER_MAILS);
        return messages.subList(Math.min(MAILS, messages.size()), messages.size()).stream()
                .map(message -> "mail:" + corpus.relativize(message)).toList();
    }

    @Override
    public List<String> freshSources() throws IOException {
        List<String> sources = new ArrayList<>();
        for (String name : DocumentRenders.licenceFiles(licences)) {
            if (name.endsWith(".md")) {
                sources.add("licence-site:" + name);
                sources.add("licence-form:" + name);
            }
        }
        for (Path message : Mail.fresh(corpus, FRESH_MAIL_STRIDE, true)) {
            sources.add("mail:" + corpus.relativize(message));
        }
        return sources;
    }

    @Override
    public List<String> unseenSources() throws IOException {
        return pagesAndMessages("page:", unseenPages, Mail.unseen(corpus, FRESH_MAIL_STRIDE, true));
    }

    @Override
    public List<String> finalSources() throws IOException {
        return pagesAndMessages("final-page:", finalPages,
                Mail.unseenFrom(corpus, FRESH_MAIL_STRIDE / 2, FRESH_MAIL_STRIDE, true));
    }

    private List<String> pagesAndMessages(String prefix, Path root, List<Path> messages) throws IOException {
        List<String> sources = new ArrayList<>();
        for (String page : pages(root)) {
            sources.add(prefix + page);
        }
        for (Path message : messages) {
            sources.add("mail:" + corpus.relativize(message));
        }
        return sources;
    }

    /** The HTML pages under {@code root}, relative to it, in name order. */
    static List<String> pages(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": no pages (run tools/build-image-set.sh)");
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.toString().endsWith(".html")).map(file -> root.relativize(file).toString())
                    .sorted().toList();
        }
    }

    @Override
    public void render(String source, Random random, BuildImageSet.Sink sink) throws Exception {
        if (source.startsWith("image:")) {
            BufferedImage shot = Filters.intRgb(ImageIO.read(repo.resolve(source.substring(6)).toFile()));
            sink.accept("window", shot, false);
            sink.accept("region", region(shot, random), false);
            sink.accept("small", PhotoRenders.fit(shot, 700), true);
            return;
        }
        Path dir = Files.createTempDirectory("crank-page");
        try {
            Path page = page(source, random, dir);
            int first = random.nextInt(WINDOWS.length);
            int second = (first + 1 + random.nextInt(WINDOWS.length - 1)) % WINDOWS.length;
            BufferedImage a = Chromium.screenshot(page, WINDOWS[first][0], WINDOWS[first][1]);
            BufferedImage b = Chromium.screenshot(page, WINDOWS[second][0], WINDOWS[second][1]);
            boolean jpeg = random.nextBoolean();
            boolean fromA = random.nextBoolean();
            boolean keepA = Filters.contentShare(a) >= MIN_CONTENT;
            boolean keepB = Filters.contentShare(b) >= MIN_CONTENT;
            if (keepA) {
                sink.accept(WINDOWS[first][0] + "x" + WINDOWS[first][1], a, false);
            }
            if (keepB) {
                sink.accept(WINDOWS[second][0] + "x" + WINDOWS[second][1], b, jpeg);
            }
            if (keepA || keepB) {
                BufferedImage shot = keepA && keepB ? (fromA ? a : b) : keepA ? a : b;
                for (int attempt = 0; attempt < REGION_TRIES; attempt++) {
                    BufferedImage region = region(shot, random);
                    if (Filters.contentShare(region) >= MIN_CONTENT) {
                        sink.accept("region", region, false);
                        break;
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private Path page(String source, Random random, Path dir) throws IOException {
        Path page = dir.resolve("page.html");
        if (source.equals("console")) {
            Path console = repo.resolve("crank-controller/src/main/resources/dev/crank/controller/console");
            try (Stream<Path> files = Files.list(console)) {
                for (Path file : files.toList()) {
                    Files.copy(file, dir.resolve(file.getFileName()));
                }
            }
            return dir.resolve("index.html");
        }
        String html;
        if (source.startsWith("site:")) {
            html = site(Files.readString(repo.resolve(source.substring(5)), StandardCharsets.UTF_8), random);
        } else if (source.startsWith("form:")) {
            html = form(Files.readString(repo.resolve(source.substring(5)), StandardCharsets.UTF_8), random);
        } else if (source.startsWith("licence-site:")) {
            html = site(Files.readString(licences.resolve(source.substring(13)), StandardCharsets.UTF_8), random);
        } else if (source.startsWith("licence-form:")) {
            html = form(Files.readString(licences.resolve(source.substring(13)), StandardCharsets.UTF_8), random);
        } else if (source.startsWith("page:")) {
            html = inlined(unseenPages, unseenPages.resolve(source.substring(5)));
        } else if (source.startsWith("final-page:")) {
            html = inlined(finalPages, finalPages.resolve(source.substring(11)));
        } else {
            html = sanitised(Mail.read(corpus.resolve(source.substring(5))).body());
        }
        Files.writeString(page, html, StandardCharsets.UTF_8);
        return page;
    }

    /** A Markdown page as a documentation site renders it. */
    private static String site(String markdown, Random random) {
        var extensions = List.of(TablesExtension.create());
        String content = HtmlRenderer.builder().extensions(extensions).build()
                .render(Parser.builder().extensions(extensions).build().parse(markdown));
        boolean dark = random.nextInt(4) == 0;
        boolean sidebar = random.nextInt(3) > 0;
        String accent = ACCENTS[random.nextInt(ACCENTS.length)];
        StringBuilder nav = new StringBuilder();
        for (String heading : headings(markdown, 30)) {
            nav.append("<a href=\"#\">").append(escape(heading)).append("</a>");
        }
        return "<!doctype html><html><head><meta charset=utf-8>" + CSP + "<style>"
                + "body{margin:0;font-family:" + FONTS[random.nextInt(FONTS.length)] + ";font-size:" + Synth.between(random, 13, 17)
                + "px;background:" + (dark ? "#0d1117;color:#c9d1d9" : "#ffffff;color:#1f2328") + "}"
                + "header{background:" + accent + ";color:#fff;height:" + Synth.between(random, 44, 64)
                + "px;display:flex;align-items:center;padding:0 20px;font-weight:bold;font-size:18px}"
                + "header span{margin-left:28px;font-weight:normal;font-size:14px;opacity:.85}"
                + "nav{position:fixed;top:64px;left:0;bottom:0;width:" + Synth.between(random, 200, 280)
                + "px;overflow:hidden;padding:12px;background:" + (dark ? "#161b22" : "#f6f8fa") + ";border-right:1px solid #d0d7de}"
                + "nav a{display:block;padding:4px 6px;color:" + (dark ? "#58a6ff" : accent) + ";text-decoration:none;font-size:13px}"
                + "main{" + (sidebar ? "margin-left:310px;" : "margin:0 auto;") + "max-width:900px;padding:16px 32px}"
                + "pre{background:" + (dark ? "#161b22" : "#f6f8fa") + ";padding:12px;overflow:hidden}"
                + "table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:4px 8px}"
                + "</style></head><body><header>Crank<span>Docs</span><span>Workers</span><span>GitHub</span></header>"
                + (sidebar ? "<nav>" + nav + "</nav>" : "") + "<main>" + content + "</main></body></html>";
    }

    /** A settings form whose fields are the headings of a page. */
    private static String form(String markdown, Random random) {
        String accent = ACCENTS[random.nextInt(ACCENTS.length)];
        List<String> fields = headings(markdown, 12);
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < fields.size(); i++) {
            String name = escape(fields.get(i));
            switch (random.nextInt(4)) {
                case 0 -> body.append("<label>").append(name).append("</label><select><option>")
                        .append(name.toLowerCase(Locale.ROOT)).append("</option></select>");
                case 1 -> body.append("<label class=check><input type=checkbox")
                        .append(random.nextBoolean() ? " checked" : "").append("> ").append(name).append("</label>");
                case 2 -> body.append("<label>").append(name).append("</label><textarea rows=2>")
                        .append(name).append("</textarea>");
                default -> body.append("<label>").append(name).append("</label><input type=text placeholder=\"")
                        .append(name.toLowerCase(Locale.ROOT)).append("\">");
            }
        }
        return "<!doctype html><html><head><meta charset=utf-8>" + CSP + "<style>"
                + "body{margin:0;background:#eef1f5;font-family:sans-serif;font-size:14px}"
                + "header{background:" + accent + ";color:#fff;padding:14px 24px;font-size:17px}"
                + ".card{background:#fff;max-width:" + Synth.between(random, 480, 760) + "px;margin:28px auto;padding:24px 32px;"
                + "border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}"
                + "label{display:block;margin:14px 0 4px;font-weight:600}label.check{font-weight:normal}"
                + "input[type=text],select,textarea{width:100%;box-sizing:border-box;padding:7px;border:1px solid #c4c9d0;border-radius:4px}"
                + "button{margin:20px 8px 0 0;padding:8px 18px;border:0;border-radius:4px;background:" + accent + ";color:#fff}"
                + "button.secondary{background:#d0d4da;color:#222}"
                + "</style></head><body><header>Crank console · Settings</header><div class=card><h2>"
                + escape(fields.isEmpty() ? "Settings" : fields.get(0)) + "</h2>" + body
                + "<button>Save</button><button class=secondary>Cancel</button></div></body></html>";
    }

    private static List<String> headings(String markdown, int max) {
        List<String> out = new ArrayList<>();
        Matcher matcher = HEADING.matcher(markdown);
        while (matcher.find() && out.size() < max) {
            out.add(matcher.group(1).replaceAll("[`*_]", "").strip());
        }
        return out;
    }

    /** The message's HTML without scripts, frames or any reference that a browser would fetch. */
    static String sanitised(String html) {
        return stripped(Jsoup.parse(html), Map.of());
    }

    /**
     * A local documentation page as it would show: its style sheets and images under {@code root} inlined (style
     * elements, {@code data:} URIs), then {@link #sanitised} rules for everything else, so the page loads nothing.
     */
    static String inlined(Path root, Path page) throws IOException {
        Document document = Jsoup.parse(page.toFile(), null);
        for (Element link : document.select("link[rel~=(?i)stylesheet][href]")) {
            Optional<Path> css = local(root, page, link.attr("href"));
            if (css.isPresent()) {
                link.after("<style>" + Files.readString(css.get(), StandardCharsets.UTF_8) + "</style>");
            }
        }
        Map<Element, String> images = new IdentityHashMap<>();
        for (Element image : document.select("img[src]")) {
            Optional<Path> file = local(root, page, image.attr("src"));
            if (file.isPresent()) {
                String type = Files.probeContentType(file.get());
                images.put(image, "data:" + (type == null ? "image/png" : type) + ";base64,"
                        + Base64.getEncoder().encodeToString(Files.readAllBytes(file.get())));
            }
        }
        return stripped(document, images);
    }

    /** {@code document} without what a browser would fetch, but for the {@code data:} sources of {@code kept}. */
    private static String stripped(Document document, Map<Element, String> kept) {
        document.select("script, iframe, frame, frameset, object, embed, link, meta, base, applet, video, audio, source").remove();
        for (Element element : document.getAllElements()) {
            for (String attribute : List.of("src", "background", "srcset", "lowsrc", "dynsrc", "poster", "action")) {
                element.removeAttr(attribute);
            }
            String source = kept.get(element);
            if (source != null) {
                element.attr("src", source);
            }
            if (element.attr("style").toLowerCase(Locale.ROOT).contains("url(")) {
                element.removeAttr("style");
            }
        }
        for (Element style : document.select("style")) {
            style.html(style.html().replaceAll("(?i)url\\([^)]*\\)", "none").replaceAll("(?i)@import[^;]*;", ""));
        }
        document.head().prepend(CSP);
        return document.outerHtml();
    }

    /** The file {@code reference} names relative to {@code page}, if it is a local one under {@code root}. */
    private static Optional<Path> local(Path root, Path page, String reference) {
        if (reference.isBlank() || reference.contains(":") || reference.startsWith("/") || reference.startsWith("#")) {
            return Optional.empty();
        }
        String path = reference.replaceAll("[?#].*$", "");
        Path file = page.getParent().resolve(path).normalize();
        return file.startsWith(root.normalize()) && Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private static BufferedImage region(BufferedImage shot, Random random) {
        return Filters.crop(shot, random, 0.45);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
