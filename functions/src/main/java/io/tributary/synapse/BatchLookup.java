package io.tributary.synapse;

import java.util.Comparator;
import java.util.Optional;

/**
 * Finds the batch a submission started in its pool's list of batches ({@code GET …/batches?detailed=true&from=&size=},
 * at most {@value #PAGE} a page), since Synapse has no idempotency key to ask by. The list is in ascending batch id, so
 * the newest batches are at its end, and a submission looked for is one of the newest: its answer was lost a moment
 * ago.
 *
 * <p>The first page (from 0) says how long the list is, if its {@code total} counts the pool's batches as Apache
 * Livy's does: then the search reads the pages from the end backwards, the newest {@value #RECENT} batches at most.
 * Synapse's spec calls {@code total} the "number of sessions fetched", which would be the page's own length; a total
 * no larger than the page's length cannot tell the two apart, so then the list is read forward to its end (a page
 * shorter than {@value #PAGE}), {@value #WALK} pages at most; a list longer than that cannot be searched, and the
 * search says so rather than answering "not there", which could start the batch twice.
 */
final class BatchLookup {

    /** The most batches one page holds: the batch API's documented maximum of {@code size}. */
    static final int PAGE = 20;
    /** How many of the newest batches a search reads, when the list says its length. */
    static final int RECENT = 200;
    /** How many pages a search reads forward, when the list does not say its length. */
    static final int WALK = 50;

    /** Reads one page of the pool's batches. */
    @FunctionalInterface
    interface Pages {
        BatchPage read(int from, int size);
    }

    /** A list that could not be searched to its end. */
    static final class Unsearchable extends RuntimeException {
        Unsearchable(String message) {
            super(message);
        }
    }

    private BatchLookup() {
    }

    /**
     * The batch with {@code key} among the pool's newest, the newest of them if (against every submit's look-up) there
     * are two; empty when there is none.
     *
     * @throws Unsearchable when the list does not say its length and is longer than a search reads
     */
    static Optional<SparkBatch> find(String key, Pages pages) {
        BatchPage first = pages.read(0, PAGE);
        Optional<SparkBatch> found = match(first, key);
        int seen = first.batches().size();
        if (first.total() > seen) {
            // The total counts the pool's batches: read from the end backwards, the first page aside.
            int end = first.total();
            int read = 0;
            while (found.isEmpty() && end > seen && read < RECENT) {
                int from = Math.max(0, end - PAGE);
                BatchPage page = pages.read(from, PAGE);
                if (page.batches().isEmpty()) {
                    break; // the list got shorter since the first page: what is left of it was read
                }
                found = match(page, key);
                read += end - from;
                end = from;
            }
            return found;
        }
        int from = 0;
        int pagesRead = 1;
        BatchPage page = first;
        while (found.isEmpty() && page.batches().size() >= PAGE) {
            if (pagesRead >= WALK) {
                throw new Unsearchable("its list of batches is longer than " + (WALK * PAGE) + " and does not say how "
                        + "long it is (its total is " + first.total() + "), so its newest batches cannot be reached");
            }
            from += page.batches().size();
            page = pages.read(from, PAGE);
            pagesRead++;
            found = match(page, key);
        }
        return found;
    }

    private static Optional<SparkBatch> match(BatchPage page, String key) {
        return page.batches().stream().filter(batch -> batch.submittedAs(key))
                .max(Comparator.comparingInt(SparkBatch::id));
    }
}
