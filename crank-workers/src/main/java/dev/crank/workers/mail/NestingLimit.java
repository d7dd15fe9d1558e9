package dev.crank.workers.mail;

import java.io.IOException;
import java.io.InputStream;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.parser.ContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;

/**
 * Stops mime4j from descending more than {@value #MAX_DEPTH} multiparts or attached messages deep. Each
 * level stacks one more boundary stream, so a hostile message nested ten thousand deep would cost time
 * quadratic in its size and then overflow the stack. Past the limit the parser switches to flat mode: deeper
 * (and later) parts are kept whole as opaque bodies, and a defect says so.
 */
final class NestingLimit implements ContentHandler {

    static final int MAX_DEPTH = 64;

    private final ContentHandler delegate;
    private final MimeStreamParser parser;
    private final Defects defects;
    private int depth;
    private boolean flat;

    NestingLimit(ContentHandler delegate, MimeStreamParser parser, Defects defects) {
        this.delegate = delegate;
        this.parser = parser;
        this.defects = defects;
    }

    private void enter() {
        depth++;
        if (depth > MAX_DEPTH && !flat) {
            flat = true;
            parser.setFlat();
            defects.add("MIME structure nested deeper than " + MAX_DEPTH + " levels: the rest was not parsed into parts");
        }
    }

    @Override
    public void startMessage() throws MimeException {
        enter();
        delegate.startMessage();
    }

    @Override
    public void endMessage() throws MimeException {
        depth--;
        delegate.endMessage();
    }

    @Override
    public void startMultipart(BodyDescriptor bd) throws MimeException {
        enter();
        delegate.startMultipart(bd);
    }

    @Override
    public void endMultipart() throws MimeException {
        depth--;
        delegate.endMultipart();
    }

    @Override
    public void startBodyPart() throws MimeException {
        delegate.startBodyPart();
    }

    @Override
    public void endBodyPart() throws MimeException {
        delegate.endBodyPart();
    }

    @Override
    public void startHeader() throws MimeException {
        delegate.startHeader();
    }

    @Override
    public void field(Field rawField) throws MimeException {
        delegate.field(rawField);
    }

    @Override
    public void endHeader() throws MimeException {
        delegate.endHeader();
    }

    @Override
    public void preamble(InputStream is) throws MimeException, IOException {
        delegate.preamble(is);
    }

    @Override
    public void epilogue(InputStream is) throws MimeException, IOException {
        delegate.epilogue(is);
    }

    @Override
    public void body(BodyDescriptor bd, InputStream is) throws MimeException, IOException {
        delegate.body(bd, is);
    }

    @Override
    public void raw(InputStream is) throws MimeException, IOException {
        delegate.raw(is);
    }
}
