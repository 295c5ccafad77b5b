package dev.paramsecrets;

/**
 * The client's counters since it was built ({@link Client#clearCache()} keeps them).
 *
 * @param hits        reads served from the in-process cache
 * @param misses      reads that needed the extension (coalesced ones included)
 * @param staleServed reads served an expired value because the refresh failed transiently
 * @param coalesced   misses that joined a request already in flight
 * @param requests    HTTP requests sent to the extension (every attempt)
 * @param retries     of those, retries
 * @param errors      reads that ended in an error
 * @param evictions   entries dropped because the cache was full
 */
public record Stats(long hits, long misses, long staleServed, long coalesced, long requests,
                    long retries, long errors, long evictions) {

    /** From the native counters, in this record's field order, plus the hits the memo served. */
    static Stats of(long[] s, long memoHits) {
        return new Stats(s[0] + memoHits, s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
    }
}
