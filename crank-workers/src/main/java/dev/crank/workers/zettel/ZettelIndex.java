package dev.crank.workers.zettel;

import dev.crank.core.CrankException;
import java.io.Closeable;
import java.io.IOException;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.LengthGoalBreakIterator;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/**
 * Ranked full-text search over title, content and tags with Apache Lucene (BM25, English stemming),
 * held in memory and rebuilt from the files at start: the Markdown files stay the source of truth.
 * Queries use Lucene's classic syntax ({@code sonnet AND title:volta}, {@code "iambic pentameter"},
 * {@code rhym*}); a query that does not parse is a 400 {@code INVALID_QUERY}.
 */
final class ZettelIndex implements Closeable {

    /** One hit: the zettel's id, its BM25 score and an HTML-escaped snippet with {@code <mark>}ed matches. */
    record Hit(String id, float score, String snippet) {}

    /** A page of hits. */
    record Hits(long total, List<Hit> hits) {}

    /** Exact-match restrictions, combined with AND. */
    record Filter(Optional<String> category, Optional<String> tag, Optional<String> sourceAgent) {}

    static final String ID = "id";
    static final String TITLE = "title";
    static final String CONTENT = "content";
    static final String TAGS = "tags";
    static final String TAG = "tag";
    static final String CATEGORY = "category";
    static final String SOURCE_AGENT = "source_agent";

    private static final Map<String, Float> BOOSTS = Map.of(TITLE, 2.0f, TAGS, 1.5f, CONTENT, 1.0f);
    private static final int SNIPPET_LENGTH = 160;
    private static final FieldType CONTENT_TYPE = contentType();

    private final Analyzer analyzer = new PerFieldAnalyzerWrapper(new EnglishAnalyzer(), Map.of(
            ID, new KeywordAnalyzer(), TAG, new KeywordAnalyzer(), CATEGORY, new KeywordAnalyzer(),
            SOURCE_AGENT, new KeywordAnalyzer()));
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private final SearcherManager searchers;

    ZettelIndex() throws IOException {
        writer = new IndexWriter(directory, new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE));
        searchers = new SearcherManager(writer, null);
    }

    /** Adds or replaces {@code zettel}; visible to searches after {@link #refresh()}. */
    void put(Zettel zettel) throws IOException {
        writer.updateDocument(new Term(ID, zettel.id()), document(zettel));
    }

    void remove(String id) throws IOException {
        writer.deleteDocuments(new Term(ID, id));
    }

    void refresh() throws IOException {
        searchers.maybeRefreshBlocking();
    }

    int documents() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return searcher.getIndexReader().numDocs();
        } finally {
            searchers.release(searcher);
        }
    }

    Hits search(String text, Filter filter, int limit, int offset) throws IOException {
        Query query = parse(text, filter);
        IndexSearcher searcher = searchers.acquire();
        try {
            TopDocs top = searcher.search(query, offset + limit);
            long total = searcher.count(query);
            ScoreDoc[] page = offset >= top.scoreDocs.length ? new ScoreDoc[0]
                    : Arrays.copyOfRange(top.scoreDocs, offset, Math.min(top.scoreDocs.length, offset + limit));
            String[] snippets = highlighter(searcher).highlight(CONTENT, query, new TopDocs(top.totalHits, page), 2);
            List<Hit> hits = new ArrayList<>(page.length);
            for (int i = 0; i < page.length; i++) {
                String id = searcher.storedFields().document(page[i].doc, Set.of(ID)).get(ID);
                hits.add(new Hit(id, page[i].score, snippets[i] == null ? "" : snippets[i].strip()));
            }
            return new Hits(total, hits);
        } catch (IndexSearcher.TooManyClauses | TooComplexToDeterminizeException e) {
            throw CrankException.badRequest("QUERY_TOO_COMPLEX", "The query expands to too many terms: " + e.getMessage());
        } finally {
            searchers.release(searcher);
        }
    }

    private Query parse(String text, Filter filter) {
        MultiFieldQueryParser parser = new MultiFieldQueryParser(new String[] {TITLE, CONTENT, TAGS}, analyzer, BOOSTS);
        parser.setAllowLeadingWildcard(false);
        Query user;
        try {
            user = parser.parse(text);
        } catch (ParseException | RuntimeException e) {
            throw CrankException.badRequest("INVALID_QUERY", "The query does not parse: " + firstLine(e.getMessage()));
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder().add(user, BooleanClause.Occur.MUST);
        filter.category().ifPresent(value -> query.add(new TermQuery(new Term(CATEGORY, value)), BooleanClause.Occur.FILTER));
        filter.tag().ifPresent(value -> query.add(new TermQuery(new Term(TAG, value)), BooleanClause.Occur.FILTER));
        filter.sourceAgent().ifPresent(value -> query.add(new TermQuery(new Term(SOURCE_AGENT, value)), BooleanClause.Occur.FILTER));
        return query.build();
    }

    private UnifiedHighlighter highlighter(IndexSearcher searcher) {
        return UnifiedHighlighter.builder(searcher, analyzer)
                .withFormatter(new DefaultPassageFormatter("<mark>", "</mark>", " \u2026 ", true))
                .withBreakIterator(() -> LengthGoalBreakIterator.createClosestToLength(
                        BreakIterator.getSentenceInstance(Locale.ROOT), SNIPPET_LENGTH, 0.5f))
                // Terms matched in the title or tags are marked in the content snippet too.
                .withFieldMatcher(field -> true)
                .build();
    }

    private static Document document(Zettel zettel) {
        Document document = new Document();
        document.add(new StringField(ID, zettel.id(), Field.Store.YES));
        document.add(new TextField(TITLE, zettel.title(), Field.Store.NO));
        document.add(new Field(CONTENT, zettel.content(), CONTENT_TYPE));
        for (String tag : zettel.tags()) {
            document.add(new TextField(TAGS, tag, Field.Store.NO));
            document.add(new StringField(TAG, tag, Field.Store.NO));
        }
        zettel.category().ifPresent(category -> document.add(new StringField(CATEGORY, category, Field.Store.NO)));
        zettel.sourceAgent().ifPresent(agent -> document.add(new StringField(SOURCE_AGENT, agent, Field.Store.NO)));
        return document;
    }

    private static FieldType contentType() {
        // Stored for snippets, with offsets in the postings so the highlighter need not re-analyse.
        FieldType type = new FieldType(TextField.TYPE_STORED);
        type.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);
        type.freeze();
        return type;
    }

    private static String firstLine(String message) {
        return message == null ? "syntax error" : message.lines().findFirst().orElse("syntax error");
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }
}
