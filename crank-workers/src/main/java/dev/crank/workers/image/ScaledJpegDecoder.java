package dev.crank.workers.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Decodes a baseline JPEG at 1/4 or 1/8 of its size straight from its DCT coefficients, as libjpeg's
 * {@code scale_denom} does: each 8 × 8 block becomes 2 × 2 pixels (from its four lowest coefficients) or one
 * pixel (its DC coefficient), so no full-size inverse DCT, up-sampling or colour conversion is ever done. The
 * entropy-coded data must still be read whole, but that is the smaller part of a decode.
 *
 * <p>It takes the JPEGs that cameras and encoders write by default: baseline or extended sequential Huffman,
 * 8-bit, one interleaved scan of greyscale or YCbCr (any sampling factors up to 4), restart markers. For
 * anything else (progressive, arithmetic, CMYK, RGB, several scans, 12-bit) and for any input it finds damaged
 * it answers {@code null}, and the caller decodes with ImageIO, which also gives the error messages.
 */
final class ScaledJpegDecoder {

    private static final int[] ZIGZAG_OF_11 = {1, 2, 4};
    private static final double LEVEL = 128.0;
    private static final double SQRT2 = Math.sqrt(2);
    /** Mean of cos((2x+1)π/16) over x = 0..3: the weight of the first AC coefficient in each half of a block. */
    private static final double HALF_WEIGHT = (Math.cos(Math.PI / 16) + Math.cos(3 * Math.PI / 16)
            + Math.cos(5 * Math.PI / 16) + Math.cos(7 * Math.PI / 16)) / 4;

    private ScaledJpegDecoder() {}

    /** An image decoded at 1/{@code denominator} of the {@code width × height} its header declares. */
    record Scaled(BufferedImage image, int width, int height, int denominator) {}

    /**
     * The image at the smallest of 1/8 and 1/4 of its size whose longer side is still {@code minLongSide} or
     * more, or {@code null}: when it is too small for 1/4, declares more than {@code maxPixels}, is not a file
     * this decoder takes, or is damaged.
     */
    static Scaled decode(byte[] jpeg, int minLongSide, long maxPixels) {
        try {
            Parser parser = new Parser(jpeg);
            if (!parser.parse() || (long) parser.width * parser.height > maxPixels) {
                return null;
            }
            int longSide = Math.max(parser.width, parser.height);
            int denominator = longSide >= 8 * minLongSide ? 8 : longSide >= 4 * minLongSide ? 4 : 0;
            if (denominator == 0) {
                return null;
            }
            return new Scaled(parser.decodeScan(denominator), parser.width, parser.height, denominator);
        } catch (Damaged | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    /** Thrown inside the decoder for data it cannot use; never leaves it. */
    private static final class Damaged extends Exception {
        Damaged() {
            super(null, null, false, false);
        }
    }

    private static final class Parser {
        private final byte[] data;
        private int pos;
        private final int[][] quant = new int[4][];
        private final Huffman[] dc = new Huffman[4];
        private final Huffman[] ac = new Huffman[4];
        private int restartInterval;
        private boolean adobeRgb;
        private int width;
        private int height;
        private int components;
        private final int[] id = new int[3];
        private final int[] h = new int[3];
        private final int[] v = new int[3];
        private final int[] tq = new int[3];
        private final int[] td = new int[3];
        private final int[] ta = new int[3];
        private int scanStart;

        Parser(byte[] data) {
            this.data = data;
        }

        /** Reads the markers up to the first scan; {@code false} when the file is not one this decoder takes. */
        boolean parse() throws Damaged {
            if (u8(0) != 0xFF || u8(1) != 0xD8) {
                return false;
            }
            pos = 2;
            boolean frame = false;
            while (true) {
                int marker = nextMarker();
                int length = u16(pos);
                int end = pos + length;
                if (length < 2 || end > data.length) {
                    throw new Damaged();
                }
                switch (marker) {
                    case 0xC0, 0xC1 -> {
                        if (!frame(pos + 2)) {
                            return false;
                        }
                        frame = true;
                    }
                    case 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF -> {
                        return false;
                    }
                    case 0xC4 -> huffmanTables(pos + 2, end);
                    case 0xDB -> quantTables(pos + 2, end);
                    case 0xDD -> restartInterval = u16(pos + 2);
                    case 0xEE -> adobeRgb = length >= 14 && u8(pos + 2) == 'A' && u8(pos + 3) == 'd' && u8(pos + 13) == 0;
                    case 0xDA -> {
                        return frame && !adobeRgb && scan(pos + 2, end);
                    }
                    case 0xD9 -> {
                        return false;
                    }
                    default -> { }
                }
                pos = end;
            }
        }

        private int nextMarker() throws Damaged {
            if (u8(pos) != 0xFF) {
                throw new Damaged();
            }
            while (u8(pos) == 0xFF) {
                pos++;
            }
            return u8(pos++);
        }

        private boolean frame(int at) throws Damaged {
            if (u8(at) != 8) {
                return false;
            }
            height = u16(at + 1);
            width = u16(at + 3);
            components = u8(at + 5);
            if (width < 1 || height < 1 || (components != 1 && components != 3)) {
                return false;
            }
            for (int c = 0; c < components; c++) {
                int base = at + 6 + 3 * c;
                id[c] = u8(base);
                h[c] = u8(base + 1) >> 4;
                v[c] = u8(base + 1) & 15;
                tq[c] = u8(base + 2);
                if (h[c] < 1 || h[c] > 4 || v[c] < 1 || v[c] > 4 || tq[c] > 3) {
                    throw new Damaged();
                }
            }
            if (components == 3 && id[0] == 'R' && id[1] == 'G' && id[2] == 'B') {
                return false;
            }
            return true;
        }

        private void quantTables(int at, int end) throws Damaged {
            while (at < end) {
                int precision = u8(at) >> 4;
                int slot = u8(at) & 15;
                if (slot > 3 || precision > 1) {
                    throw new Damaged();
                }
                int[] table = new int[64];
                for (int k = 0; k < 64; k++) {
                    table[k] = precision == 0 ? u8(at + 1 + k) : u16(at + 1 + 2 * k);
                }
                quant[slot] = table;
                at += 1 + 64 * (precision + 1);
            }
        }

        private void huffmanTables(int at, int end) throws Damaged {
            while (at < end) {
                int kind = u8(at) >> 4;
                int slot = u8(at) & 15;
                if (kind > 1 || slot > 3) {
                    throw new Damaged();
                }
                int[] counts = new int[17];
                int total = 0;
                for (int length = 1; length <= 16; length++) {
                    counts[length] = u8(at + length);
                    total += counts[length];
                }
                if (total > 256 || at + 17 + total > end) {
                    throw new Damaged();
                }
                int[] symbols = new int[total];
                for (int i = 0; i < total; i++) {
                    symbols[i] = u8(at + 17 + i);
                }
                (kind == 0 ? dc : ac)[slot] = new Huffman(counts, symbols);
                at += 17 + total;
            }
        }

        private boolean scan(int at, int end) throws Damaged {
            int count = u8(at);
            if (count != components) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                int componentId = u8(at + 1 + 2 * i);
                int tables = u8(at + 2 + 2 * i);
                int c = indexOf(componentId);
                if (c != i) {
                    return false;
                }
                td[c] = tables >> 4;
                ta[c] = tables & 15;
                if (td[c] > 3 || ta[c] > 3 || dc[td[c]] == null || ac[ta[c]] == null || quant[tq[c]] == null) {
                    throw new Damaged();
                }
            }
            int spectral = at + 1 + 2 * count;
            if (u8(spectral) != 0 || u8(spectral + 1) != 63 || u8(spectral + 2) != 0) {
                return false;
            }
            scanStart = end;
            return true;
        }

        private int indexOf(int componentId) {
            for (int c = 0; c < components; c++) {
                if (id[c] == componentId) {
                    return c;
                }
            }
            return -1;
        }

        BufferedImage decodeScan(int denominator) throws Damaged {
            int per = 8 / denominator; // output pixels per block side: 2 or 1
            int hMax = 1;
            int vMax = 1;
            for (int c = 0; c < components; c++) {
                hMax = Math.max(hMax, h[c]);
                vMax = Math.max(vMax, v[c]);
            }
            if (components == 1) {
                // A single component is never interleaved: one block per MCU, whatever its sampling factors say.
                h[0] = 1;
                v[0] = 1;
                hMax = 1;
                vMax = 1;
            }
            int mcuColumns = (width + 8 * hMax - 1) / (8 * hMax);
            int mcuRows = (height + 8 * vMax - 1) / (8 * vMax);
            int[][] planes = new int[components][];
            int[] planeWidth = new int[components];
            for (int c = 0; c < components; c++) {
                planeWidth[c] = mcuColumns * h[c] * per;
                planes[c] = new int[planeWidth[c] * mcuRows * v[c] * per];
            }
            BitReader bits = new BitReader(data, scanStart);
            int[] predictor = new int[components];
            int[] low = new int[3];
            int mcus = mcuColumns * mcuRows;
            int sinceRestart = 0;
            for (int mcu = 0; mcu < mcus; mcu++) {
                if (restartInterval > 0 && sinceRestart == restartInterval) {
                    bits.restart();
                    java.util.Arrays.fill(predictor, 0);
                    sinceRestart = 0;
                }
                sinceRestart++;
                int mcuX = mcu % mcuColumns;
                int mcuY = mcu / mcuColumns;
                for (int c = 0; c < components; c++) {
                    int[] q = quant[tq[c]];
                    Huffman dcTable = dc[td[c]];
                    Huffman acTable = ac[ta[c]];
                    for (int by = 0; by < v[c]; by++) {
                        for (int bx = 0; bx < h[c]; bx++) {
                            int size = dcTable.decode(bits);
                            int diff = size == 0 ? 0 : extend(bits.take(size), size);
                            predictor[c] += diff;
                            low[0] = low[1] = low[2] = 0;
                            bits.acBlock(acTable, q, low, per == 2);
                            double mean = predictor[c] * q[0] / 8.0 + LEVEL;
                            int px = (mcuX * h[c] + bx) * per;
                            int py = (mcuY * v[c] + by) * per;
                            int[] plane = planes[c];
                            int stride = planeWidth[c];
                            if (per == 1) {
                                plane[py * stride + px] = clamp(mean);
                            } else {
                                // s(x,y) = 1/4 Σ C(u)C(v) F(v,u) cos((2x+1)uπ/16) cos((2y+1)vπ/16), C(0) = 1/√2,
                                // averaged over each quadrant of the block, for u, v in {0, 1}.
                                double horizontal = low[0] * HALF_WEIGHT / (4 * SQRT2);
                                double vertical = low[1] * HALF_WEIGHT / (4 * SQRT2);
                                double both = low[2] * HALF_WEIGHT * HALF_WEIGHT / 4;
                                int row = py * stride + px;
                                plane[row] = clamp(mean + horizontal + vertical + both);
                                plane[row + 1] = clamp(mean - horizontal + vertical - both);
                                plane[row + stride] = clamp(mean + horizontal - vertical - both);
                                plane[row + stride + 1] = clamp(mean - horizontal - vertical + both);
                            }
                        }
                    }
                }
            }
            bits.checkNotPastEnd();
            return image(planes, planeWidth, denominator, hMax, vMax);
        }

        private BufferedImage image(int[][] planes, int[] planeWidth, int denominator, int hMax, int vMax) {
            int outWidth = (width + denominator - 1) / denominator;
            int outHeight = (height + denominator - 1) / denominator;
            BufferedImage image = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_RGB);
            int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            // Where each output column and row reads each component: planes sampled below the maximum are stretched.
            int[][] column = new int[components][outWidth];
            for (int c = 0; c < components; c++) {
                for (int x = 0; x < outWidth; x++) {
                    column[c][x] = x * h[c] / hMax;
                }
            }
            int[] row = new int[components];
            for (int y = 0; y < outHeight; y++) {
                for (int c = 0; c < components; c++) {
                    row[c] = (y * v[c] / vMax) * planeWidth[c];
                }
                int out = y * outWidth;
                if (components == 1) {
                    int[] luma = planes[0];
                    for (int x = 0; x < outWidth; x++) {
                        int l = luma[row[0] + column[0][x]];
                        rgb[out + x] = l << 16 | l << 8 | l;
                    }
                    continue;
                }
                int[] luma = planes[0];
                int[] blue = planes[1];
                int[] red = planes[2];
                for (int x = 0; x < outWidth; x++) {
                    int l = luma[row[0] + column[0][x]] << 16;
                    int cb = blue[row[1] + column[1][x]] - 128;
                    int cr = red[row[2] + column[2][x]] - 128;
                    // JFIF's YCbCr to RGB in 16-bit fixed point.
                    int r = (l + 91881 * cr + 32768) >> 16;
                    int g = (l - 22554 * cb - 46802 * cr + 32768) >> 16;
                    int b = (l + 116130 * cb + 32768) >> 16;
                    rgb[out + x] = clamp(r) << 16 | clamp(g) << 8 | clamp(b);
                }
            }
            return image;
        }

        private int u8(int at) throws Damaged {
            if (at >= data.length) {
                throw new Damaged();
            }
            return data[at] & 0xFF;
        }

        private int u16(int at) throws Damaged {
            return u8(at) << 8 | u8(at + 1);
        }
    }

    private static int extend(int value, int size) {
        return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
    }

    private static int clamp(double value) {
        return clamp((int) Math.floor(value + 0.5));
    }

    private static int clamp(int value) {
        return value < 0 ? 0 : Math.min(value, 255);
    }

    /** The entropy-coded data: bytes with 0xFF00 stuffing, ended by a marker. */
    private static final class BitReader {
        private final byte[] data;
        private int pos;
        private long buffer;
        private int count;
        private boolean marker;
        private int padding;

        BitReader(byte[] data, int pos) {
            this.data = data;
            this.pos = pos;
        }

        private void fill() {
            while (count <= 56) {
                int b = 0;
                if (!marker && pos < data.length) {
                    b = data[pos] & 0xFF;
                    if (b == 0xFF) {
                        int next = pos + 1 < data.length ? data[pos + 1] & 0xFF : -1;
                        if (next == 0) {
                            pos += 2;
                        } else {
                            marker = true;
                            b = 0;
                            padding += 8;
                        }
                    } else {
                        pos++;
                    }
                } else {
                    padding += 8;
                }
                buffer |= (long) b << (56 - count);
                count += 8;
            }
        }

        int peek(int n) {
            if (count < n) {
                fill();
            }
            return (int) (buffer >>> (64 - n));
        }

        void skip(int n) {
            buffer <<= n;
            count -= n;
        }

        void drop(int n) {
            if (count < n) {
                fill();
            }
            skip(n);
        }

        int take(int n) {
            int value = peek(n);
            skip(n);
            return value;
        }

        /**
         * Reads the 63 AC coefficients of one block. With {@code lowWanted} (the 1/4 scale), {@code low} receives the
         * dequantised F(0,1), F(1,0) and F(1,1); every other coefficient's magnitude bits are skipped unread. Most
         * symbols come whole, magnitude included, from one look-up ({@link Huffman#fast}); codes longer than its
         * 9 bits take {@link Huffman#decode}. Reads and refills exactly where the bit-at-a-time decoding did.
         */
        void acBlock(Huffman table, int[] q, int[] low, boolean lowWanted) throws Damaged {
            int[] fast = table.fast;
            for (int k = 1; k < 64; ) {
                if (count < Huffman.LOOKUP_BITS) {
                    fill();
                }
                int entry = fast[(int) (buffer >>> (64 - Huffman.LOOKUP_BITS))];
                int run;
                int s;
                boolean whole;
                if (entry != 0) {
                    int length = entry & Huffman.LENGTH_MASK;
                    buffer <<= length;
                    count -= length;
                    run = entry >> Huffman.RUN_SHIFT & 15;
                    s = entry >> Huffman.SIZE_SHIFT & 15;
                    whole = (entry & Huffman.WHOLE) != 0;
                } else {
                    int rs = table.decode(this);
                    run = rs >> 4;
                    s = rs & 15;
                    whole = false;
                }
                if (s == 0) {
                    if (run != 15) {
                        break;
                    }
                    k += 16;
                    continue;
                }
                k += run;
                if (lowWanted && k <= 4 && k != 3) {
                    int slot = k == 4 ? 2 : k - 1;
                    low[slot] = (whole ? entry >> Huffman.VALUE_SHIFT : extend(take(s), s)) * q[ZIGZAG_OF_11[slot]];
                } else if (!whole) {
                    drop(s); // a coefficient this scale does not use: its bits are only skipped
                }
                k++;
            }
        }

        /** Aligns to the next byte and consumes the RSTn marker that must stand there. */
        void restart() throws Damaged {
            buffer = 0;
            count = 0;
            padding = 0;
            marker = false;
            while (pos + 1 < data.length && !((data[pos] & 0xFF) == 0xFF && (data[pos + 1] & 0xF8) == 0xD0)) {
                pos++;
            }
            if (pos + 1 >= data.length) {
                throw new Damaged();
            }
            pos += 2;
        }

        /** Reading into the zeros past the data's end (rather than into its last byte's padding) is a truncated file. */
        void checkNotPastEnd() throws Damaged {
            if (padding - count > 8 || (!marker && pos >= data.length)) {
                throw new Damaged();
            }
        }
    }

    /** One Huffman table: a 9-bit look-up for the common short codes, the canonical limits for the rest. */
    private static final class Huffman {
        private static final int LOOKUP_BITS = 9;
        private static final int LENGTH_MASK = 31;
        private static final int RUN_SHIFT = 5;
        private static final int SIZE_SHIFT = 9;
        private static final int WHOLE = 1 << 13;
        private static final int VALUE_SHIFT = 16;
        private final int[] lookup = new int[1 << LOOKUP_BITS];
        /**
         * For an AC table, per 9 bits ahead: 0 when the code is longer; otherwise the bits to consume (bits 0-4), the
         * run (5-8) and size (9-12) of the symbol, and when its magnitude bits fit in the 9 as well ({@link #WHOLE})
         * the bits consumed include them and bits 16-31 hold the coefficient's value.
         */
        private final int[] fast = new int[1 << LOOKUP_BITS];
        private final int[] maxCode = new int[18];
        private final int[] offset = new int[17];
        private final int[] symbols;

        Huffman(int[] counts, int[] symbols) throws Damaged {
            this.symbols = symbols;
            int code = 0;
            int index = 0;
            for (int length = 1; length <= 16; length++) {
                offset[length] = index - code;
                for (int i = 0; i < counts[length]; i++) {
                    if (length <= LOOKUP_BITS) {
                        int shift = LOOKUP_BITS - length;
                        for (int fill = 0; fill < 1 << shift; fill++) {
                            lookup[(code << shift) | fill] = length << 8 | symbols[index];
                        }
                    }
                    code++;
                    index++;
                }
                if (code > 1 << length) {
                    throw new Damaged();
                }
                maxCode[length] = counts[length] == 0 ? -1 : code - 1;
                code <<= 1;
            }
            maxCode[17] = Integer.MAX_VALUE;
            for (int ahead = 0; ahead < fast.length; ahead++) {
                int entry = lookup[ahead];
                if (entry == 0) {
                    continue;
                }
                int length = entry >> 8;
                int run = entry >> 4 & 15;
                int size = entry & 15;
                int fields = run << RUN_SHIFT | size << SIZE_SHIFT;
                if (size == 0) {
                    fast[ahead] = length | fields | WHOLE;
                } else if (length + size <= LOOKUP_BITS) {
                    int magnitude = ahead >> (LOOKUP_BITS - length - size) & ((1 << size) - 1);
                    fast[ahead] = extend(magnitude, size) << VALUE_SHIFT | (length + size) | fields | WHOLE;
                } else {
                    fast[ahead] = length | fields;
                }
            }
        }

        int decode(BitReader bits) throws Damaged {
            int entry = lookup[bits.peek(LOOKUP_BITS)];
            if (entry != 0) {
                bits.skip(entry >> 8);
                return entry & 0xFF;
            }
            for (int length = LOOKUP_BITS + 1; length <= 16; length++) {
                int code = bits.peek(length);
                if (maxCode[length] >= 0 && code <= maxCode[length]) {
                    bits.skip(length);
                    int index = code + offset[length];
                    if (index < 0 || index >= symbols.length) {
                        throw new Damaged();
                    }
                    return symbols[index];
                }
            }
            throw new Damaged();
        }
    }
}
