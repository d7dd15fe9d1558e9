package dev.crank.workers.documentconversion;

import com.openhtmltopdf.util.Diagnostic;
import com.openhtmltopdf.util.XRLog;
import com.openhtmltopdf.util.XRLogger;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends openhtmltopdf's logging (java.util.logging by default) to SLF4J, one level lower than
 * openhtmltopdf chose: what it calls a warning (an unreadable image, an unknown CSS property) is
 * about the caller's document, not about the service.
 */
final class Slf4jXrLogger implements XRLogger {

    private static final Logger logger = LoggerFactory.getLogger("com.openhtmltopdf");

    static synchronized void install() {
        if (!(XRLog.getLoggerImpl() instanceof Slf4jXrLogger)) {
            XRLog.setLoggerImpl(new Slf4jXrLogger());
        }
    }

    @Override
    public void log(String where, Level level, String msg) {
        log(where, level, msg, null);
    }

    @Override
    public void log(String where, Level level, String msg, Throwable th) {
        if (level.intValue() >= Level.SEVERE.intValue()) {
            logger.warn("{}: {}", where, msg, th);
        } else if (level.intValue() >= Level.WARNING.intValue()) {
            logger.debug("{}: {}", where, msg, th);
        } else {
            logger.trace("{}: {}", where, msg, th);
        }
    }

    @Override
    public void setLevel(String logger, Level level) {
        // Levels are the SLF4J backend's business.
    }

    @Override
    public boolean isLogLevelEnabled(Diagnostic diagnostic) {
        return diagnostic.getLevel().intValue() >= Level.SEVERE.intValue() ? logger.isWarnEnabled()
                : diagnostic.getLevel().intValue() >= Level.WARNING.intValue() ? logger.isDebugEnabled() : logger.isTraceEnabled();
    }
}
