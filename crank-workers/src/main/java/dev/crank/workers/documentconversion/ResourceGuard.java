package dev.crank.workers.documentconversion;

import com.openhtmltopdf.extend.FSStream;
import com.openhtmltopdf.extend.FSStreamFactory;
import com.openhtmltopdf.extend.FSUriResolver;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceType;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one render off the network and the file system. Only {@code data:} URIs are loaded; every
 * other image, stylesheet, font or embed is refused by openhtmltopdf's access controller (before and
 * after URI resolution) and reported as a {@link ConversionWarning}. As a second wall, the stream
 * factories for {@code http}, {@code https}, {@code file}, {@code jar} and the other URL schemes
 * refuse too and count the attempt; with the access controller in place they are never reached.
 * Images in data: URIs are measured from their header before openhtmltopdf decodes them.
 *
 * <p>One guard serves one render (it collects that render's warnings); it is not thread-safe.
 */
final class ResourceGuard {

    private static final Logger logger = LoggerFactory.getLogger(ResourceGuard.class);
    static final int MAX_WARNINGS = 50;
    /** Every scheme the JDK or openhtmltopdf could open a stream for. */
    static final String[] REFUSED_SCHEMES = {"http", "https", "file", "jar", "ftp", "classpath", "jrt", "mailto", "netdoc", "gopher"};
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final long maxImagePixels;
    private final Map<String, ConversionWarning> warnings = new LinkedHashMap<>();
    private final AtomicInteger refusedFetches = new AtomicInteger();
    private final Set<String> droppedWarnings = new HashSet<>();

    ResourceGuard(long maxImagePixels) {
        this.maxImagePixels = maxImagePixels;
    }

    /** Installs the access controllers, the URI resolver and the stream factories on {@code builder}. */
    void install(PdfRendererBuilder builder) {
        builder.useExternalResourceAccessControl(this::allow, ExternalResourceControlPriority.RUN_BEFORE_RESOLVING_URI);
        builder.useExternalResourceAccessControl(this::allow, ExternalResourceControlPriority.RUN_AFTER_RESOLVING_URI);
        builder.useUriResolver(resolver());
        FSStreamFactory refusing = this::refuseFetch;
        builder.useHttpStreamImplementation(refusing);
        builder.useProtocolsStreamImplementation(refusing, REFUSED_SCHEMES);
        builder.useProtocolsStreamImplementation(this::openDataUri, "data");
    }

    List<ConversionWarning> warnings() {
        List<ConversionWarning> list = new ArrayList<>(warnings.values());
        if (!droppedWarnings.isEmpty()) {
            list.add(new ConversionWarning("WARNINGS_TRUNCATED", droppedWarnings.size() + " more warnings were left out",
                    Optional.empty()));
        }
        return list;
    }

    int refusedFetches() {
        return refusedFetches.get();
    }

    /** The access controller: data: URIs pass, anything else is refused and noted. */
    boolean allow(String uri, ExternalResourceType type) {
        if (isDataUri(uri)) {
            return true;
        }
        warn("EXTERNAL_RESOURCE_REFUSED", "Refused to load " + describe(type) + " " + uri
                + " (only data: URIs are loaded; the converter never fetches from the network or reads files)", uri);
        return false;
    }

    /**
     * Keeps data: URIs and absolute URIs as they are, so that the access controller sees, refuses
     * and reports them (openhtmltopdf drops a stylesheet whose URI does not resolve without asking
     * the controller), and drops relative ones: a document sent over the wire has no base to
     * resolve them against. Which links may become link actions is {@link HtmlComposer}'s business.
     */
    static FSUriResolver resolver() {
        return (baseUri, uri) -> {
            if (uri == null || uri.isBlank()) {
                return null;
            }
            if (isDataUri(uri)) {
                return uri;
            }
            try {
                URI parsed = new URI(uri.strip());
                return parsed.isAbsolute() ? parsed.toString() : null;
            } catch (URISyntaxException e) {
                return null;
            }
        };
    }

    private FSStream refuseFetch(String uri) {
        refusedFetches.incrementAndGet();
        logger.warn("A stream was requested for {} past the access controller; refused", uri);
        warn("EXTERNAL_RESOURCE_REFUSED", "Refused to fetch " + uri, uri);
        return new BytesStream(new byte[0]);
    }

    private FSStream openDataUri(String uri) {
        byte[] bytes;
        try {
            bytes = decodeDataUri(uri);
        } catch (IllegalArgumentException e) {
            warn("INVALID_DATA_URI", "Skipped a data: URI that could not be decoded: " + e.getMessage(), uri);
            return new BytesStream(new byte[0]);
        }
        Optional<long[]> size = imageSize(bytes);
        if (size.isPresent() && size.get()[0] * size.get()[1] > maxImagePixels) {
            warn("IMAGE_TOO_LARGE", "Skipped an image of " + size.get()[0] + " × " + size.get()[1] + " pixels (expected: at most "
                    + maxImagePixels + " pixels)", uri);
            return new BytesStream(new byte[0]);
        }
        return new BytesStream(bytes);
    }

    /** Decodes {@code data:[<media type>][;base64],<data>}. */
    static byte[] decodeDataUri(String uri) {
        int comma = uri.indexOf(',');
        if (!isDataUri(uri) || comma < 0) {
            throw new IllegalArgumentException("no ',' after the media type");
        }
        String meta = uri.substring("data:".length(), comma).toLowerCase(Locale.ROOT);
        String data = uri.substring(comma + 1);
        if (meta.endsWith(";base64")) {
            return Base64.getMimeDecoder().decode(WHITESPACE.matcher(percentDecode(data)).replaceAll(""));
        }
        return percentDecode(data).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Percent-decodes into one char per byte, so the caller picks the charset. */
    private static String percentDecode(String data) {
        if (data.indexOf('%') < 0) {
            return new String(data.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length());
        byte[] raw = data.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length && Character.digit(raw[i + 1], 16) >= 0 && Character.digit(raw[i + 2], 16) >= 0) {
                out.write(Character.digit(raw[i + 1], 16) * 16 + Character.digit(raw[i + 2], 16));
                i += 2;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Width and height from the image header alone (nothing is decoded), when ImageIO knows the format. */
    static Optional<long[]> imageSize(byte[] bytes) {
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                return Optional.of(new long[] {reader.getWidth(0), reader.getHeight(0)});
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static boolean isDataUri(String uri) {
        return uri != null && uri.regionMatches(true, 0, "data:", 0, 5);
    }

    private void warn(String code, String message, String uri) {
        String key = code + " " + uri;
        if (warnings.containsKey(key)) {
            return;
        }
        if (warnings.size() >= MAX_WARNINGS) {
            droppedWarnings.add(key);
            return;
        }
        warnings.put(key, new ConversionWarning(code, shorten(message), Optional.ofNullable(uri)));
    }

    private static String shorten(String message) {
        return message.length() <= 2 * ConversionWarning.MAX_URI_CHARS ? message
                : message.substring(0, 2 * ConversionWarning.MAX_URI_CHARS) + "…";
    }

    private static String describe(ExternalResourceType type) {
        if (type == null) {
            return "resource";
        }
        return switch (type) {
            case IMAGE_RASTER, XML_SVG, SVG_BINARY -> "image";
            case CSS -> "stylesheet";
            case FONT -> "font";
            case FILE_EMBED -> "file attachment";
            case PDF -> "PDF";
            case XML_XHTML -> "document";
            case BINARY -> "resource";
        };
    }

    /** A stream over bytes already in memory. */
    private record BytesStream(byte[] bytes) implements FSStream {
        @Override
        public InputStream getStream() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public Reader getReader() {
            return new InputStreamReader(getStream(), StandardCharsets.UTF_8);
        }
    }
}
