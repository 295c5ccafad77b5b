package dev.paramsecrets;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the async API's futures complete: never on core's runtime thread (a dependent stage that
 * blocks there would stall every read), and never on a thread started for that one completion.
 *
 * <p>{@code ForkJoinPool.commonPool()} is the executor when its parallelism is at least two. Below
 * two (the common pool gets one thread fewer than there are CPUs: any machine with one or two, as
 * small Lambda functions are), CompletableFuture swaps the common pool for a new thread per task,
 * even when the pool is passed explicitly; the soak (soak/README.md) measured about 500 threads
 * started per second that way. There the executor is a cached pool of daemon threads,
 * {@code paramsecrets-async-N}, each reused until it has been idle for 60 s: a dependent stage
 * that blocks gets a thread of its own instead of stalling the others, and none exists until the
 * first async read completes.
 */
final class Completions {
    static final Executor EXECUTOR = ForkJoinPool.getCommonPoolParallelism() >= 2
            ? ForkJoinPool.commonPool()
            : cachedDaemonPool();

    private Completions() {}

    private static Executor cachedDaemonPool() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "paramsecrets-async-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
