package dev.paramsecrets;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every failure path of the library's async completion (bindings-java/src/runtime.rs) completes
 * the Java future exceptionally: none may leave it pending forever. Each test drives one path
 * through {@code NativeBridge.asyncFaultForTest}; before issue 23's fix, modes 2, 3, 4 and 5
 * left their futures pending (the {@code get} timed out).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AsyncFailureTest {
    @BeforeAll
    static void load() {
        NativeLoader.ensureLoaded();
    }

    private static Throwable failure(CompletableFuture<Object> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void aPanicInTheReadsTaskCompletesWithInternal() throws Exception {
        CompletableFuture<Object> f = new CompletableFuture<>();
        NativeBridge.asyncFaultForTest(1, f);
        InternalException e = assertInstanceOf(InternalException.class, failure(f));
        assertTrue(e.getMessage().contains("panicked"), e.getMessage());
    }

    @Test
    void aPanicConvertingTheResultCompletesWithInternal() throws Exception {
        CompletableFuture<Object> f = new CompletableFuture<>();
        NativeBridge.asyncFaultForTest(2, f);
        InternalException e = assertInstanceOf(InternalException.class, failure(f));
        assertTrue(e.getMessage().contains("panicked"), e.getMessage());
    }

    @Test
    void anErrorReportedWithAJavaExceptionPendingKeepsItAsTheCause() throws Exception {
        CompletableFuture<Object> f = new CompletableFuture<>();
        NativeBridge.asyncFaultForTest(3, f);
        InternalException e = assertInstanceOf(InternalException.class, failure(f));
        assertTrue(e.getMessage().contains("exception pending"), e.getMessage());
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("pending for the test", cause.getMessage());
    }

    /** A future whose first completion call throws (as one could on OutOfMemoryError). */
    static final class ThrowsOnce extends CompletableFuture<Object> {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public boolean complete(Object value) {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalStateException("first completion refused (test)");
            }
            return super.complete(value);
        }

        @Override
        public boolean completeExceptionally(Throwable ex) {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalStateException("first completion refused (test)");
            }
            return super.completeExceptionally(ex);
        }
    }

    @Test
    void whenCompletingThrowsTheFutureStillCompletesExceptionally() throws Exception {
        ThrowsOnce f = new ThrowsOnce();
        NativeBridge.asyncFaultForTest(4, f);
        InternalException e = assertInstanceOf(InternalException.class, failure(f));
        assertTrue(e.getMessage().contains("could not deliver"), e.getMessage());
        assertEquals(2, f.calls.get());
    }

    @Test
    void theResultIsDeliveredWhenNothingFails() throws Exception {
        CompletableFuture<Object> f = new CompletableFuture<>();
        NativeBridge.asyncFaultForTest(4, f);
        assertEquals("ok", f.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aTaskDroppedBeforeItCompletesCompletesWithInternal() throws Exception {
        CompletableFuture<Object> f = new CompletableFuture<>();
        NativeBridge.asyncFaultForTest(5, f);
        InternalException e = assertInstanceOf(InternalException.class, failure(f));
        assertTrue(e.getMessage().contains("dropped"), e.getMessage());
    }

    @Test
    void aSyncErrorReportedWithAJavaExceptionPendingKeepsItAsTheCause() {
        InternalException e = assertThrows(InternalException.class, NativeBridge::pendingForTest);
        assertTrue(e.getMessage().contains("exception pending"), e.getMessage());
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("pending for the test", cause.getMessage());
    }

    @Test
    void noFaultModeIsAnInvalidArgument() throws Exception {
        CompletableFuture<Object> f = new CompletableFuture<>();
        NativeBridge.asyncFaultForTest(99, f);
        assertInstanceOf(InvalidArgumentException.class, failure(f));
        assertThrows(InvalidArgumentException.class, () -> NativeBridge.asyncFaultForTest(1, null));
    }
}
