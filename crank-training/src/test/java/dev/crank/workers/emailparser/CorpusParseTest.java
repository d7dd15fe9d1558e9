package dev.crank.workers.emailparser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.workers.mail.SpamAssassinCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every message of the SpamAssassin corpus parses without an exception. Runs only where
 * {@code tools/fetch-corpora.sh} has fetched the corpus (or {@code -Dcrank.corpus.dir} points at it).
 */
@EnabledIf("corpusPresent")
class CorpusParseTest {

    private static final Logger logger = LoggerFactory.getLogger(CorpusParseTest.class);

    static boolean corpusPresent() {
        return SpamAssassinCorpus.isPresent(SpamAssassinCorpus.locate());
    }

    @Test
    void everyCorpusMessageParsesWithoutAnException() {
        SpamAssassinCorpus corpus = SpamAssassinCorpus.at(SpamAssassinCorpus.locate());

        CorpusParseCheck.Result result = CorpusParseCheck.run(corpus.read(SpamAssassinCorpus.FOLDERS));

        logger.info("corpus: {} messages parsed, {} with defects, {} failures", result.messages(), result.withDefects(),
                result.failures().size());
        assertThat(result.messages()).isEqualTo(6046);
        assertThat(result.failures()).isEmpty();
        assertThat(result.withDefects()).isLessThan(result.messages());
    }
}
