package dev.crank.workers.image.training;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartTheme;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.general.DefaultPieDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.time.Day;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Charts: JFreeChart on real data (the SpamAssassin corpus, the repository's sources and history, the photographs'
 * histograms, the tables of docs/benchmarks.md). A source is one data set drawn as one kind of chart; its
 * variants differ in size, theme, title and legend. The fresh part ({@link BuildImageSet.Renderer#freshSources()})
 * draws data no other part does: the modules of the running JDK, the messages no other part renders, the colour
 * histograms of the fresh photographs; the unseen part ({@link BuildImageSet.Renderer#unseenSources()}) the classes of
 * the JDK's base module (per package, class-file sizes), hours, sizes and lines of the unseen messages, brightness
 * histograms of the unseen photographs.
 */
final class ChartRenders implements BuildImageSet.Renderer {

    private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\|(.+)\\|\\s*$");
    private static final Pattern NUMBER = Pattern.compile("^[~≈]?\\s*(-?[0-9][0-9,]*(?:\\.[0-9]+)?)");

    private final Path repo;
    private final Path corpus;
    private final Path photos;
    private final Path freshPhotos;
    private final Path unseenPhotos;
    private final Path finalPhotos;

    /** {@code sources}: the folder tools/build-image-set.sh fills (the photographs of every part). */
    ChartRenders(Path repo, Path corpus, Path sources) {
        this.repo = repo;
        this.corpus = corpus;
        this.photos = sources.resolve("photos");
        this.freshPhotos = sources.resolve("photos-fresh");
        this.unseenPhotos = sources.resolve("photos-unseen");
        this.finalPhotos = sources.resolve("photos-final");
    }

    @Override
    public String label() {
        return "chart";
    }

    @Override
    public List<String> sources() throws IOException {
        List<String> sources = new ArrayList<>();
        for (String kind : List.of("bar", "pie", "line")) {
            sources.add("folders:" + kind);
            sources.add("modules:" + kind);
            sources.add("hours:" + kind);
        }
        for (String kind : List.of("bar", "hbar", "area")) {
            sources.add("docwords:" + kind);
            sources.add("extensions:" + kind);
        }
        sources.add("sizes:histogram");
        sources.add("lines:histogram");
        sources.add("sizes:scatter");
        sources.add("history:line");
        sources.add("history:area");
        try (Stream<Path> files = Files.list(photos)) {
            files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".jpg") || name.endsWith(".png"))
                    .sorted().forEach(name -> sources.add("luma:" + name + ":" + (Math.abs(name.hashCode()) % 2 == 0 ? "line" : "area")));
        }
        int tables = benchmarkTables().size();
        for (int i = 0; i < tables; i++) {
            sources.add("benchmark:" + i + ":" + (i % 3 == 0 ? "bar" : i % 3 == 1 ? "hbar" : "line"));
        }
        return sources;
    }

    @Override
    public List<String> freshSources() throws IOException {
        List<String> sources = new ArrayList<>(List.of("jdk-packages:bar", "jdk-packages:pie", "jdk-requires:hbar",
                "jdk-requires:area", "fresh-hours:line", "fresh-hours:bar", "fresh-sizes:histogram", "fresh-lines:histogram"));
        sources.addAll(lumaSources("fresh-luma", freshPhotos));
        return sources;
    }

    @Override
    public List<String> unseenSources() throws IOException {
        List<String> sources = new ArrayList<>(List.of("jdk-classes:bar", "jdk-classes:pie", "jdk-classes:hbar",
                "jdk-class-sizes:histogram", "unseen-hours:area", "unseen-hours:hbar", "unseen-sizes:histogram",
                "unseen-lines:histogram", "unseen-messages:scatter"));
        sources.addAll(lumaSources("unseen-luma", unseenPhotos));
        return sources;
    }

    @Override
    public List<String> finalSources() throws IOException {
        List<String> sources = new ArrayList<>(List.of("jdk-desktop-classes:bar", "jdk-desktop-classes:pie",
                "jdk-desktop-classes:line", "jdk-desktop-class-sizes:histogram", "final-hours:line", "final-hours:bar",
                "final-sizes:histogram", "final-lines:histogram"));
        sources.addAll(lumaSources("final-luma", finalPhotos));
        return sources;
    }

    /** A brightness histogram of each photograph in {@code folder}, drawn as a line or an area. */
    private static List<String> lumaSources(String kind, Path folder) throws IOException {
        return PhotoRenders.photos(folder).stream()
                .map(name -> kind + ":" + name + ":" + (Math.abs(name.hashCode()) % 2 == 0 ? "line" : "area")).toList();
    }

    @Override
    public void render(String source, Random random, BuildImageSet.Sink sink) throws Exception {
        String[] parts = source.split(":");
        String kind = parts[parts.length - 1];
        for (int v = 0; v < 3; v++) {
            boolean title = random.nextInt(4) > 0;
            boolean legend = random.nextBoolean();
            JFreeChart chart = chart(parts, kind, title, legend);
            theme(random).apply(chart);
            if (random.nextInt(3) == 0) {
                chart.setBackgroundPaint(Color.WHITE);
            }
            int w = Synth.between(random, 480, 1100);
            int h = (int) (w * Synth.between(random, 0.55, 0.9));
            BufferedImage image = chart.createBufferedImage(w, h);
            boolean jpeg = random.nextInt(3) == 0;
            sink.accept("v" + v + "-" + w + "x" + h, jpeg ? Filters.jpeg(Filters.intRgb(image), Synth.between(random, 0.6, 0.9)) : image, jpeg);
        }
    }

    private static ChartTheme theme(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> StandardChartTheme.createDarknessTheme();
            case 1 -> StandardChartTheme.createLegacyTheme();
            default -> StandardChartTheme.createJFreeTheme();
        };
    }

    private JFreeChart chart(String[] parts, String kind, boolean title, boolean legend) throws IOException {
        String data = parts[0];
        return switch (data) {
            case "folders" -> category("Messages per folder", "folder", "messages", folderCounts(), kind, title, legend);
            case "modules" -> category("Lines of Java per module", "module", "lines", moduleLines(), kind, title, legend);
            case "hours" -> category("Messages by hour of the day (Date header)", "hour", "messages",
                    hours(folderFiles("easy-ham-1", 3)), kind, title, legend);
            case "fresh-hours" -> category("Messages by hour of the day", "hour", "messages",
                    hours(Mail.fresh(corpus, 2, false)), kind, title, legend);
            case "jdk-packages" -> category("Packages per JDK module", "module", "packages",
                    jdkModules(descriptor -> descriptor.packages().size(), kind.equals("pie") ? 8 : 14), kind, title, legend);
            case "jdk-requires" -> category("Modules each JDK module requires", "module", "requires",
                    jdkModules(descriptor -> descriptor.requires().size(), 14), kind, title, legend);
            case "docwords" -> category("Words per document", "document", "words", docWords(), kind, title, legend);
            case "extensions" -> category("Files by extension", "extension", "files", extensions(), kind, title, legend);
            case "sizes" -> kind.equals("scatter") ? scatter(title, legend)
                    : histogram("Message size (bytes, log10)", sizes(folderFiles("easy-ham-2", 2), true), title, legend);
            case "lines" -> histogram("Lines per message", sizes(folderFiles("easy-ham-2", 2), false), title, legend);
            case "fresh-sizes" -> histogram("Message size (bytes, log10)", sizes(Mail.fresh(corpus, 2, false), true), title, legend);
            case "fresh-lines" -> histogram("Lines per message", sizes(Mail.fresh(corpus, 2, false), false), title, legend);
            case "history" -> history(kind, title, legend);
            case "luma" -> luma(photos.resolve(parts[1]), kind, title, legend);
            case "fresh-luma" -> luma(freshPhotos.resolve(parts[1]), kind, title, legend);
            case "unseen-luma" -> luma(unseenPhotos.resolve(parts[1]), kind, title, legend);
            case "unseen-hours" -> category("Messages by hour of the day", "hour", "messages",
                    hours(Mail.unseen(corpus, 2, false)), kind, title, legend);
            case "unseen-sizes" -> histogram("Message size (bytes, log10)", sizes(Mail.unseen(corpus, 2, false), true), title, legend);
            case "unseen-lines" -> histogram("Lines per message", sizes(Mail.unseen(corpus, 2, false), false), title, legend);
            case "unseen-messages" -> scatter("Size and lines of messages", Map.of("messages", Mail.unseen(corpus, 4, false)),
                    title, legend);
            case "jdk-classes" -> category("Classes per package of java.base", "package", "classes",
                    moduleClasses("java.base", kind.equals("pie") ? 8 : 16), kind, title, legend);
            case "jdk-class-sizes" -> histogram("Class file size in java.base (bytes, log10)", "classes",
                    classSizes("java.base"), title, legend);
            case "jdk-desktop-classes" -> category("Classes per package of java.desktop", "package", "classes",
                    moduleClasses("java.desktop", kind.equals("pie") ? 8 : 16), kind, title, legend);
            case "jdk-desktop-class-sizes" -> histogram("Class file size in java.desktop (bytes, log10)", "classes",
                    classSizes("java.desktop"), title, legend);
            case "final-luma" -> luma(finalPhotos.resolve(parts[1]), kind, title, legend);
            case "final-hours" -> category("Messages by hour of the day", "hour", "messages",
                    hours(Mail.unseenFrom(corpus, 1, 2, false)), kind, title, legend);
            case "final-sizes" -> histogram("Message size (bytes, log10)", sizes(Mail.unseenFrom(corpus, 1, 2, false), true),
                    title, legend);
            case "final-lines" -> histogram("Lines per message", sizes(Mail.unseenFrom(corpus, 1, 2, false), false), title,
                    legend);
            default -> benchmark(Integer.parseInt(parts[1]), kind, title, legend);
        };
    }

    private static JFreeChart category(String name, String x, String y, Map<String, Double> values, String kind,
                                       boolean title, boolean legend) {
        if (kind.equals("pie")) {
            DefaultPieDataset<String> pie = new DefaultPieDataset<>();
            values.forEach(pie::setValue);
            return ChartFactory.createPieChart(title ? name : null, pie, legend, false, false);
        }
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        values.forEach((key, value) -> dataset.addValue(value, y, key));
        String t = title ? name : null;
        return switch (kind) {
            case "hbar" -> ChartFactory.createBarChart(t, x, y, dataset, PlotOrientation.HORIZONTAL, legend, false, false);
            case "line" -> ChartFactory.createLineChart(t, x, y, dataset, PlotOrientation.VERTICAL, legend, false, false);
            case "area" -> ChartFactory.createAreaChart(t, x, y, dataset, PlotOrientation.VERTICAL, legend, false, false);
            default -> ChartFactory.createBarChart(t, x, y, dataset, PlotOrientation.VERTICAL, legend, false, false);
        };
    }

    private static JFreeChart histogram(String name, double[] values, boolean title, boolean legend) {
        return histogram(name, "messages", values, title, legend);
    }

    private static JFreeChart histogram(String name, String counted, double[] values, boolean title, boolean legend) {
        HistogramDataset dataset = new HistogramDataset();
        dataset.addSeries(counted, values, 30);
        return ChartFactory.createHistogram(title ? name : null, name, counted, dataset, PlotOrientation.VERTICAL,
                legend, false, false);
    }

    private JFreeChart scatter(boolean title, boolean legend) throws IOException {
        Map<String, List<Path>> series = new LinkedHashMap<>();
        for (String folder : List.of("easy-ham-1", "spam-1")) {
            series.put(folder, folderFiles(folder, 4));
        }
        return scatter("Size and lines of messages", series, title, legend);
    }

    private static JFreeChart scatter(String name, Map<String, List<Path>> messages, boolean title, boolean legend)
            throws IOException {
        XYSeriesCollection collection = new XYSeriesCollection();
        for (Map.Entry<String, List<Path>> entry : messages.entrySet()) {
            XYSeries series = new XYSeries(entry.getKey());
            for (Path file : entry.getValue()) {
                String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                series.add(Math.log10(text.length()), text.split("\n").length);
            }
            collection.addSeries(series);
        }
        return ChartFactory.createScatterPlot(title ? name : null, "log10 bytes", "lines",
                collection, PlotOrientation.VERTICAL, legend, false, false);
    }

    private static Path jdkModule(String module) {
        return FileSystems.getFileSystem(URI.create("jrt:/")).getPath("/modules", module);
    }

    /** The class files of one of the running JDK's modules. */
    private static List<Path> classFiles(String module) throws IOException {
        try (Stream<Path> files = Files.walk(jdkModule(module))) {
            return files.filter(file -> file.toString().endsWith(".class") && !file.endsWith("module-info.class"))
                    .sorted().toList();
        }
    }

    /** The {@code count} packages of a JDK module with the most classes, and how many each has. */
    private static Map<String, Double> moduleClasses(String module, int count) throws IOException {
        Map<String, Double> perPackage = new TreeMap<>();
        Path root = jdkModule(module);
        for (Path file : classFiles(module)) {
            perPackage.merge(root.relativize(file.getParent()).toString().replace('/', '.'), 1.0, Double::sum);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        perPackage.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey())).limit(count)
                .forEach(entry -> out.put(entry.getKey(), entry.getValue()));
        return out;
    }

    private static double[] classSizes(String module) throws IOException {
        List<Path> files = classFiles(module);
        double[] sizes = new double[files.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Math.log10(Math.max(1, Files.size(files.get(i))));
        }
        return sizes;
    }

    private JFreeChart history(String kind, boolean title, boolean legend) throws IOException {
        Process git = new ProcessBuilder("git", "-C", repo.toString(), "log", "--format=%ct").redirectErrorStream(true).start();
        TreeMap<Day, Integer> perDay = new TreeMap<>();
        for (String line : new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.matches("[0-9]+")) {
                var date = Instant.ofEpochSecond(Long.parseLong(line)).atZone(ZoneOffset.UTC).toLocalDate();
                perDay.merge(new Day(date.getDayOfMonth(), date.getMonthValue(), date.getYear()), 1, Integer::sum);
            }
        }
        TimeSeries series = new TimeSeries("commits");
        perDay.forEach(series::add);
        TimeSeriesCollection collection = new TimeSeriesCollection(series);
        JFreeChart chart = ChartFactory.createTimeSeriesChart(title ? "Commits per day" : null, "day", "commits",
                collection, legend, false, false);
        if (kind.equals("area")) {
            chart.getXYPlot().setRenderer(new org.jfree.chart.renderer.xy.XYAreaRenderer());
        }
        return chart;
    }

    private static JFreeChart luma(Path photo, String kind, boolean title, boolean legend) throws IOException {
        BufferedImage image = PhotoRenders.read(photo);
        double[][] counts = new double[3][64];
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int p = image.getRGB(x, y);
                counts[0][(p >> 16 & 0xFF) >> 2]++;
                counts[1][(p >> 8 & 0xFF) >> 2]++;
                counts[2][(p & 0xFF) >> 2]++;
            }
        }
        XYSeriesCollection collection = new XYSeriesCollection();
        String[] names = {"red", "green", "blue"};
        for (int c = 0; c < 3; c++) {
            XYSeries series = new XYSeries(names[c]);
            for (int i = 0; i < 64; i++) {
                series.add(i * 4, counts[c][i]);
            }
            collection.addSeries(series);
        }
        String t = title ? "Colour histogram of " + photo.getFileName() : null;
        return kind.equals("area")
                ? ChartFactory.createXYAreaChart(t, "level", "pixels", collection, PlotOrientation.VERTICAL, legend, false, false)
                : ChartFactory.createXYLineChart(t, "level", "pixels", collection, PlotOrientation.VERTICAL, legend, false, false);
    }

    private JFreeChart benchmark(int index, String kind, boolean title, boolean legend) throws IOException {
        Table table = benchmarkTables().get(index);
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (int r = 0; r < table.rows().size(); r++) {
            List<Double> row = table.values().get(r);
            for (int c = 0; c < row.size() && c < 4; c++) {
                if (row.get(c) != null) {
                    dataset.addValue(row.get(c), table.columns().get(c), shorten(table.rows().get(r)));
                }
            }
        }
        String t = title ? "Benchmark table " + (index + 1) : null;
        return switch (kind) {
            case "hbar" -> ChartFactory.createBarChart(t, "", "value", dataset, PlotOrientation.HORIZONTAL, legend, false, false);
            case "line" -> ChartFactory.createLineChart(t, "", "value", dataset, PlotOrientation.VERTICAL, legend, false, false);
            default -> ChartFactory.createBarChart(t, "", "value", dataset, PlotOrientation.VERTICAL, legend, false, false);
        };
    }

    /** A Markdown table with a text first column and numbers in the others. */
    record Table(List<String> columns, List<String> rows, List<List<Double>> values) {}

    List<Table> benchmarkTables() throws IOException {
        String text = Files.readString(repo.resolve("docs/benchmarks.md"), StandardCharsets.UTF_8);
        List<Table> tables = new ArrayList<>();
        List<String> block = new ArrayList<>();
        for (String line : (text + "\n\n").split("\n")) {
            if (TABLE_ROW.matcher(line).matches()) {
                block.add(line);
                continue;
            }
            if (block.size() >= 4) {
                Table table = parse(block);
                if (table != null) {
                    tables.add(table);
                }
            }
            block.clear();
        }
        return tables;
    }

    private static Table parse(List<String> block) {
        List<String> header = cells(block.get(0));
        List<String> columns = header.subList(1, header.size());
        List<String> rows = new ArrayList<>();
        List<List<Double>> values = new ArrayList<>();
        int numeric = 0;
        for (String line : block.subList(2, block.size())) {
            List<String> cells = cells(line);
            List<Double> row = new ArrayList<>();
            for (int c = 1; c < cells.size() && c <= columns.size(); c++) {
                Matcher m = NUMBER.matcher(cells.get(c).replace("**", "").strip());
                Double value = m.find() ? Double.valueOf(m.group(1).replace(",", "")) : null;
                numeric += value == null ? 0 : 1;
                row.add(value);
            }
            rows.add(cells.get(0));
            values.add(row);
        }
        return numeric >= 4 && rows.size() >= 2 ? new Table(columns, rows, values) : null;
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.length() - 1);
        List<String> out = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
            out.add(cell.replace("`", "").strip());
        }
        return out;
    }

    private static String shorten(String text) {
        return text.length() > 24 ? text.substring(0, 24) + "…" : text;
    }

    private Map<String, Double> folderCounts() throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String folder : List.of("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2")) {
            out.put(folder, (double) folderFiles(folder, 1).size());
        }
        return out;
    }

    private List<Path> folderFiles(String folder, int stride) throws IOException {
        try (Stream<Path> files = Files.list(corpus.resolve(folder))) {
            List<Path> sorted = files.sorted().toList();
            List<Path> out = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i += stride) {
                out.add(sorted.get(i));
            }
            return out;
        }
    }

    private static double[] sizes(List<Path> messages, boolean bytes) throws IOException {
        List<Double> out = new ArrayList<>();
        for (Path file : messages) {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            out.add(bytes ? Math.log10(Math.max(1, text.length())) : Math.min(400, text.split("\n").length));
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Map<String, Double> hours(List<Path> messages) throws IOException {
        Pattern date = Pattern.compile("(?m)^Date:.*?\\b([0-2][0-9]):[0-5][0-9]");
        double[] counts = new double[24];
        for (Path file : messages) {
            Matcher m = date.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
            if (m.find()) {
                int hour = Integer.parseInt(m.group(1));
                if (hour < 24) {
                    counts[hour]++;
                }
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int h = 0; h < 24; h++) {
            out.put(String.format(Locale.ROOT, "%02d", h), counts[h]);
        }
        return out;
    }

    /** The {@code count} modules of the running JDK with the most of {@code measure}, most first. */
    private static Map<String, Double> jdkModules(ToIntFunction<ModuleDescriptor> measure, int count) {
        Map<String, Double> out = new LinkedHashMap<>();
        ModuleFinder.ofSystem().findAll().stream().map(ModuleReference::descriptor)
                .sorted(Comparator.comparingInt(measure).reversed().thenComparing(ModuleDescriptor::name)).limit(count)
                .forEach(descriptor -> out.put(descriptor.name(), (double) measure.applyAsInt(descriptor)));
        return out;
    }

    private Map<String, Double> moduleLines() throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String module : List.of("crank-core", "crank-controller", "crank-workers", "crank-training", "crank-runtime",
                "crank-testing", "crank-bench")) {
            Path dir = repo.resolve(module).resolve("src");
            if (!Files.isDirectory(dir)) {
                continue;
            }
            long lines = 0;
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    lines += Files.readAllLines(file, StandardCharsets.UTF_8).size();
                }
            }
            out.put(module.replace("crank-", ""), (double) lines);
        }
        return out;
    }

    private Map<String, Double> docWords() throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Path doc : DocumentRenders.markdown(repo)) {
            String name = doc.getFileName().toString().replace(".md", "");
            out.put(name, (double) Files.readString(doc, StandardCharsets.UTF_8).split("\\s+").length);
        }
        return out;
    }

    private Map<String, Double> extensions() throws IOException {
        TreeMap<String, Double> counts = new TreeMap<>();
        try (Stream<Path> files = Files.walk(repo)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/.git/")
                            && !f.toString().contains("/corpora/"))
                    .forEach(f -> {
                        String name = f.getFileName().toString();
                        int dot = name.lastIndexOf('.');
                        counts.merge(dot < 0 ? "(none)" : name.substring(dot + 1), 1.0, Double::sum);
                    });
        }
        Map<String, Double> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(10)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
