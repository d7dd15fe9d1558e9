package dev.crank.workers.image.training;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Diagrams: Graphviz ({@code dot}, {@code neato}, {@code fdp}, {@code circo}) on the project's own graphs: the
 * Maven module graph, each module's package imports and each package's class references. A source is one
 * graph; its variants differ in layout engine, direction, node shapes, colours and resolution. The fresh part
 * ({@link BuildImageSet.Renderer#freshSources()}) draws the running JDK's modules: what each requires (two levels
 * deep) and the packages each exports; the unseen part ({@link BuildImageSet.Renderer#unseenSources()}) the type
 * hierarchies of JDK packages (what each public type extends or implements within its package), the final part those of
 * other JDK packages.
 */
final class DiagramRenders implements BuildImageSet.Renderer {

    private static final Path DOT = Path.of(System.getProperty("crank.dot", "/usr/bin/dot"));
    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?(dev\\.crank\\.[a-z0-9.]+)\\.[A-Z]");
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>(crank-[a-z-]+)</artifactId>");
    private static final String[] SHAPES = {"box", "ellipse", "box", "oval", "component", "note", "hexagon", "rect"};
    private static final String[] FILLS = {"#dae8fc", "#d5e8d4", "#fff2cc", "#f8cecc", "#e1d5e7", "#ffffff", "#f5f5f5"};
    private static final String[] ENGINES = {"dot", "dot", "neato", "fdp", "circo"};

    /** JDK packages whose type hierarchies the unseen part draws (those with at least five edges are kept). */
    private static final List<String> TYPE_PACKAGES = List.of("java.awt.event", "java.awt.geom", "java.beans", "java.io",
            "java.lang.invoke", "java.lang.reflect", "java.net", "java.nio", "java.nio.channels", "java.nio.charset",
            "java.nio.file", "java.security", "java.security.cert", "java.security.spec", "java.sql", "java.text",
            "java.time.chrono", "java.time.temporal", "java.util", "java.util.concurrent", "java.util.concurrent.atomic",
            "java.util.concurrent.locks", "java.util.logging", "java.util.stream", "java.util.zip", "javax.crypto",
            "javax.imageio.stream", "javax.naming", "javax.net.ssl", "javax.sound.sampled", "javax.swing.border",
            "javax.swing.event", "javax.swing.table", "javax.swing.text", "javax.swing.tree", "javax.xml.stream");

    /** JDK packages whose type hierarchies the final part draws (none of {@link #TYPE_PACKAGES}). */
    private static final List<String> FINAL_TYPE_PACKAGES = List.of("com.sun.source.tree", "java.awt", "java.awt.image",
            "java.awt.image.renderable", "java.nio.channels.spi", "java.rmi", "java.rmi.server", "java.util.jar",
            "javax.imageio", "javax.imageio.metadata", "javax.lang.model.element", "javax.lang.model.type",
            "javax.management", "javax.management.openmbean", "javax.naming.directory", "javax.print",
            "javax.print.attribute", "javax.print.attribute.standard", "javax.security.auth.callback", "javax.sound.midi",
            "javax.sql", "javax.sql.rowset", "javax.swing", "javax.swing.plaf", "javax.swing.plaf.basic",
            "javax.swing.text.html", "javax.swing.undo", "javax.tools", "org.w3c.dom", "org.xml.sax", "org.xml.sax.helpers");

    private final Path repo;

    DiagramRenders(Path repo) {
        this.repo = repo;
    }

    @Override
    public String label() {
        return "diagram";
    }

    @Override
    public List<String> sources() throws IOException {
        if (!Files.isExecutable(DOT)) {
            throw new IOException("no Graphviz at /usr/bin/dot (apt-get install graphviz)");
        }
        List<String> sources = new ArrayList<>();
        sources.add("modules");
        for (String module : modules()) {
            if (packageGraph(module).size() >= 3) {
                sources.add("packages:" + module);
            }
            if (!dependencyGraph(module).isEmpty()) {
                sources.add("dependencies:" + module);
            }
            for (Path dir : packageDirs(module)) {
                if (classGraph(dir).size() >= 4) {
                    sources.add("classes:" + repo.relativize(dir));
                    sources.add("imports:" + repo.relativize(dir));
                }
            }
        }
        return sources;
    }

    @Override
    public List<String> freshSources() {
        List<String> sources = new ArrayList<>();
        for (ModuleDescriptor module : jdkModules()) {
            if (requiresGraph(module.name()).size() >= 5) {
                sources.add("jdk-requires:" + module.name());
            }
            if (exportsGraph(module.name()).getOrDefault(module.name(), new TreeSet<>()).size() >= 4) {
                sources.add("jdk-exports:" + module.name());
            }
        }
        return sources;
    }

    @Override
    public List<String> unseenSources() throws IOException {
        return typeSources(TYPE_PACKAGES);
    }

    @Override
    public List<String> finalSources() throws IOException {
        return typeSources(FINAL_TYPE_PACKAGES);
    }

    /** The packages whose type hierarchies have at least five edges. */
    private static List<String> typeSources(List<String> packages) throws IOException {
        List<String> sources = new ArrayList<>();
        for (String name : packages) {
            if (typeGraph(name).values().stream().mapToInt(TreeSet::size).sum() >= 5) {
                sources.add("jdk-types:" + name);
            }
        }
        return sources;
    }

    @Override
    public void render(String source, Random random, BuildImageSet.Sink sink) throws Exception {
        Map<String, TreeSet<String>> graph;
        if (source.startsWith("jdk-types:")) {
            graph = typeGraph(source.substring(10));
        } else if (source.startsWith("jdk-requires:")) {
            graph = requiresGraph(source.substring(13));
        } else if (source.startsWith("jdk-exports:")) {
            graph = exportsGraph(source.substring(12));
        } else if (source.equals("modules")) {
            graph = moduleGraph();
        } else if (source.startsWith("packages:")) {
            graph = packageGraph(source.substring(9));
        } else if (source.startsWith("dependencies:")) {
            graph = dependencyGraph(source.substring(13));
        } else if (source.startsWith("imports:")) {
            graph = importGraph(repo.resolve(source.substring(8)));
        } else {
            graph = classGraph(repo.resolve(source.substring(8)));
        }
        for (int v = 0; v < 3; v++) {
            String engine = ENGINES[random.nextInt(ENGINES.length)];
            int dpi = Synth.between(random, 60, 110);
            BufferedImage image = draw(dot(graph, random), engine, dpi);
            boolean jpeg = random.nextInt(4) == 0;
            sink.accept("v" + v + "-" + engine + "-" + dpi + "dpi",
                    jpeg ? Filters.jpeg(image, Synth.between(random, 0.6, 0.9)) : image, jpeg);
        }
    }

    private static String dot(Map<String, TreeSet<String>> graph, Random random) {
        String shape = SHAPES[random.nextInt(SHAPES.length)];
        String fill = FILLS[random.nextInt(FILLS.length)];
        boolean filled = random.nextInt(3) > 0;
        StringBuilder out = new StringBuilder("digraph g {\n");
        out.append("  graph [rankdir=").append(random.nextBoolean() ? "TB" : "LR").append(", bgcolor=\"")
                .append(random.nextInt(5) == 0 ? "#fafafa" : "white").append("\", size=\"16,16\", overlap=false, splines=")
                .append(random.nextBoolean() ? "true" : "ortho").append("];\n");
        out.append("  node [shape=").append(shape).append(", fontname=\"").append(random.nextBoolean() ? "Helvetica" : "DejaVu Sans")
                .append("\", fontsize=").append(Synth.between(random, 10, 15))
                .append(filled ? ", style=\"filled" + (random.nextBoolean() ? ",rounded" : "") + "\", fillcolor=\"" + fill + "\"" : "")
                .append("];\n");
        out.append("  edge [color=\"").append(random.nextBoolean() ? "#333333" : "#6c8ebf").append("\", arrowsize=0.8")
                .append(random.nextInt(3) == 0 ? ", style=dashed" : "").append("];\n");
        graph.forEach((from, targets) -> {
            out.append("  \"").append(from).append("\";\n");
            for (String to : targets) {
                out.append("  \"").append(from).append("\" -> \"").append(to).append("\";\n");
            }
        });
        return out.append("}\n").toString();
    }

    private static BufferedImage draw(String dot, String engine, int dpi) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("crank-dot");
        try {
            Path in = dir.resolve("g.dot");
            Path png = dir.resolve("g.png");
            Files.writeString(in, dot, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(DOT.toString(), "-K" + engine, "-Tpng", "-Gdpi=" + dpi, "-o", png.toString(),
                    in.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("dot.log").toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !Files.exists(png)) {
                process.destroyForcibly();
                throw new IOException("graphviz failed: " + Files.readString(dir.resolve("dot.log")));
            }
            return Filters.intRgb(ImageIO.read(png.toFile()));
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    private static List<ModuleDescriptor> jdkModules() {
        return ModuleFinder.ofSystem().findAll().stream().map(ModuleReference::descriptor)
                .sorted(Comparator.comparing(ModuleDescriptor::name)).toList();
    }

    /** A JDK module, the modules it requires and theirs (up to 24 modules). */
    private static Map<String, TreeSet<String>> requiresGraph(String root) {
        Map<String, TreeSet<String>> graph = new TreeMap<>();
        List<String> level = List.of(root);
        for (int depth = 0; depth < 2 && graph.size() < 24; depth++) {
            List<String> next = new ArrayList<>();
            for (String name : level) {
                if (graph.containsKey(name) || graph.size() >= 24) {
                    continue;
                }
                TreeSet<String> targets = new TreeSet<>();
                ModuleFinder.ofSystem().find(name).ifPresent(module ->
                        module.descriptor().requires().forEach(requires -> targets.add(requires.name())));
                graph.put(name, targets);
                next.addAll(targets);
            }
            level = next;
        }
        return graph;
    }

    /**
     * The public types of a JDK package that extend or implement another of its public types, with those (the first
     * 22 such types by name, each with its supertypes in the package).
     */
    private static Map<String, TreeSet<String>> typeGraph(String packageName) throws IOException {
        Optional<Module> module = ModuleLayer.boot().modules().stream()
                .filter(candidate -> candidate.getPackages().contains(packageName)).findFirst();
        Map<String, TreeSet<String>> graph = new TreeMap<>();
        if (module.isEmpty()) {
            return graph;
        }
        Path dir = FileSystems.getFileSystem(URI.create("jrt:/"))
                .getPath("/modules", module.get().getName(), packageName.replace('.', '/'));
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$") && !name.equals("package-info.class"))
                    .map(name -> name.substring(0, name.length() - 6)).sorted().toList();
        }
        for (String name : names) {
            Class<?> type;
            try {
                type = Class.forName(packageName + "." + name, false, ClassLoader.getSystemClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                continue;
            }
            if (!Modifier.isPublic(type.getModifiers())) {
                continue;
            }
            TreeSet<String> supertypes = new TreeSet<>();
            List<Class<?>> candidates = new ArrayList<>(List.of(type.getInterfaces()));
            if (type.getSuperclass() != null) {
                candidates.add(type.getSuperclass());
            }
            for (Class<?> supertype : candidates) {
                if (supertype.getPackageName().equals(packageName) && Modifier.isPublic(supertype.getModifiers())) {
                    supertypes.add(supertype.getSimpleName());
                }
            }
            if (!supertypes.isEmpty() && graph.size() < 22) {
                graph.put(type.getSimpleName(), supertypes);
            }
        }
        return graph;
    }

    /** A JDK module and the packages it exports to everyone (up to 16). */
    private static Map<String, TreeSet<String>> exportsGraph(String name) {
        TreeSet<String> packages = new TreeSet<>();
        ModuleFinder.ofSystem().find(name).ifPresent(module -> module.descriptor().exports().stream()
                .filter(exports -> !exports.isQualified()).map(ModuleDescriptor.Exports::source).sorted().limit(16)
                .forEach(packages::add));
        Map<String, TreeSet<String>> graph = new TreeMap<>();
        graph.put(name, packages);
        return graph;
    }

    private List<String> modules() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(repo)) {
            dirs.filter(dir -> Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("src")))
                    .map(dir -> dir.getFileName().toString()).sorted().forEach(out::add);
        }
        return out;
    }

    private Map<String, TreeSet<String>> moduleGraph() throws IOException {
        Map<String, TreeSet<String>> graph = new TreeMap<>();
        for (String module : modules()) {
            TreeSet<String> targets = new TreeSet<>();
            Matcher m = ARTIFACT.matcher(Files.readString(repo.resolve(module).resolve("pom.xml"), StandardCharsets.UTF_8));
            while (m.find()) {
                if (!m.group(1).equals(module) && !m.group(1).equals("crank-parent")) {
                    targets.add(m.group(1));
                }
            }
            graph.put(module, targets);
        }
        return graph;
    }

    private List<Path> packageDirs(String module) throws IOException {
        Path main = repo.resolve(module).resolve("src/main/java");
        if (!Files.isDirectory(main)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.walk(main)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    private Map<String, TreeSet<String>> packageGraph(String module) throws IOException {
        Map<String, TreeSet<String>> graph = new TreeMap<>();
        Path main = repo.resolve(module).resolve("src/main/java");
        for (Path dir : packageDirs(module)) {
            List<Path> files = javaFiles(dir);
            if (files.isEmpty()) {
                continue;
            }
            String name = main.relativize(dir).toString().replace('/', '.');
            TreeSet<String> targets = graph.computeIfAbsent(shortName(name), k -> new TreeSet<>());
            for (Path file : files) {
                Matcher m = IMPORT.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    if (!m.group(1).equals(name)) {
                        targets.add(shortName(m.group(1)));
                    }
                }
            }
        }
        return graph;
    }

    private static Map<String, TreeSet<String>> classGraph(Path dir) throws IOException {
        List<Path> files = javaFiles(dir);
        Map<String, String> sources = new TreeMap<>();
        for (Path file : files) {
            sources.put(file.getFileName().toString().replace(".java", ""), Files.readString(file, StandardCharsets.UTF_8));
        }
        sources.remove("package-info");
        Map<String, TreeSet<String>> graph = new TreeMap<>();
        int nodes = 0;
        for (Map.Entry<String, String> entry : sources.entrySet()) {
            if (nodes++ >= 24) {
                break;
            }
            TreeSet<String> targets = new TreeSet<>();
            for (String other : sources.keySet()) {
                if (!other.equals(entry.getKey()) && Pattern.compile("\\b" + other + "\\b").matcher(entry.getValue()).find()) {
                    targets.add(other);
                }
            }
            graph.put(entry.getKey(), targets);
        }
        return graph;
    }

    /** A module and the Maven artifacts its pom names (group:artifact of each dependency). */
    private Map<String, TreeSet<String>> dependencyGraph(String module) throws IOException {
        String pom = Files.readString(repo.resolve(module).resolve("pom.xml"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<dependency>\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>").matcher(pom);
        Map<String, TreeSet<String>> graph = new TreeMap<>();
        TreeSet<String> targets = new TreeSet<>();
        while (m.find()) {
            String group = m.group(1).strip();
            targets.add(group.startsWith("dev.crank") ? m.group(2) : group + "\n" + m.group(2));
        }
        if (targets.size() >= 2) {
            graph.put(module, targets);
        }
        return graph;
    }

    /** The classes of a package and the outside packages each imports (up to 20 classes). */
    private static Map<String, TreeSet<String>> importGraph(Path dir) throws IOException {
        Pattern anyImport = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([a-z][a-z0-9]*\\.[a-z][a-z0-9]*(?:\\.[a-z][a-z0-9]*)?)\\.");
        Map<String, TreeSet<String>> graph = new TreeMap<>();
        for (Path file : javaFiles(dir)) {
            String name = file.getFileName().toString().replace(".java", "");
            if (name.equals("package-info") || graph.size() >= 20) {
                continue;
            }
            TreeSet<String> targets = new TreeSet<>();
            Matcher m = anyImport.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (m.find()) {
                if (!m.group(1).startsWith("java.lang")) {
                    targets.add(m.group(1));
                }
            }
            graph.put(name, targets);
        }
        return graph;
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String shortName(String name) {
        return name.replace("dev.crank.", "");
    }
}
