package dev.crank.workers.documentconversion;

import com.openhtmltopdf.extend.FSTextBreaker;
import dev.crank.core.CrankException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The time one render may take. openhtmltopdf cannot be interrupted, so the deadline is checked
 * cooperatively where layout spends its time: every call into the line and character breakers
 * ({@link #guard(FSTextBreaker)}), every page layout creates and every page written to the PDF
 * ({@link PageBudget}), and between layout and painting.
 */
final class RenderDeadline {

    private final Duration budget;
    private final LongSupplier nanoTime;
    private final long deadline;

    private RenderDeadline(Duration budget, LongSupplier nanoTime) {
        this.budget = budget;
        this.nanoTime = nanoTime;
        this.deadline = nanoTime.getAsLong() + budget.toNanos();
    }

    static RenderDeadline after(Duration budget) {
        return new RenderDeadline(budget, System::nanoTime);
    }

    static RenderDeadline after(Duration budget, LongSupplier nanoTime) {
        return new RenderDeadline(budget, nanoTime);
    }

    /** Throws a 422 {@code RENDER_TIMEOUT} once the budget is spent. */
    void check() {
        if (nanoTime.getAsLong() - deadline >= 0) {
            throw new CrankException(422, "RENDER_TIMEOUT", "Rendering took longer than " + budget.toMillis()
                    + " ms; split the document or simplify its layout");
        }
    }

    /** A breaker that checks the deadline on each call, then delegates. */
    FSTextBreaker guard(FSTextBreaker breaker) {
        return new FSTextBreaker() {
            @Override
            public int next() {
                check();
                return breaker.next();
            }

            @Override
            public void setText(String text) {
                check();
                breaker.setText(text);
            }
        };
    }
}
