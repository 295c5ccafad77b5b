package dev.paramsecrets;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ...Async forms: CompletableFutures completing with values or ParamSecretsExceptions. */
class AsyncTest {
    static Emulator emu;
    Client client;

    @BeforeAll
    static void up() throws Exception {
        emu = Emulator.start();
    }

    @AfterAll
    static void down() {
        emu.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        emu.reset();
        client = emu.client();
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void everyOperationHasAnAsyncForm() throws Exception {
        assertEquals("plain-value-7f3a", await(client.getParameterAsync("/app/plain")));
        assertEquals("v1", await(client.getParameterAsync("/app/versioned", ParameterOptions.defaults().version(1))));
        assertEquals(2, await(client.getParameterRecordAsync("/app/versioned")).version());
        assertEquals(3L, ((Map<?, ?>) await(client.getParameterJsonAsync("/app/config.json"))).get("level"));
        assertEquals(2, await(client.getParametersAsync(List.of("/app/plain", "/app/list"))).size());
        assertEquals("text-secret-0b9d", await(client.getSecretAsync("app/text")));
        assertEquals("old-secret", await(client.getSecretAsync("app/rotated", SecretOptions.defaults().versionStage("AWSPREVIOUS"))));
        assertEquals(4, await(client.getSecretBinaryAsync("app/bin")).length);
        assertEquals("new-secret", await(client.getSecretRecordAsync("app/rotated")).string());
        assertEquals("admin", ((Map<?, ?>) await(client.getSecretJsonAsync("app/db"))).get("username"));
        assertEquals(3, await(client.getSecretsAsync(List.of("app/text", "app/bin", "app/nope"))).size());
    }

    @Test
    void aHitCompletesBeforeReturning() throws Exception {
        client.getParameter("/app/plain");
        CompletableFuture<String> f = client.getParameterAsync("/app/plain");
        assertTrue(f.isDone());
        assertEquals("plain-value-7f3a", f.join());
        client.getSecretRecord("app/text");
        assertTrue(client.getSecretRecordAsync("app/text").isDone());
        assertEquals(1, emu.requests("parameter:/app/plain"));
    }

    @Test
    void failuresCompleteExceptionallyWithTheTranslatedException() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(client.getParameterAsync("/app/missing")));
        assertInstanceOf(NotFoundOrDeniedException.class, e.getCause());
        e = assertThrows(ExecutionException.class, () -> await(client.getSecretAsync("app/bin")));
        assertInstanceOf(InvalidArgumentException.class, e.getCause());
        e = assertThrows(ExecutionException.class, () -> await(client.getParameterAsync(null)));
        assertInstanceOf(InvalidArgumentException.class, e.getCause());
        e = assertThrows(ExecutionException.class, () -> await(client.getParameterAsync("")));
        assertInstanceOf(InvalidArgumentException.class, e.getCause());
    }

    @Test
    void completionsReuseTheirThreadsAndNeverRunOnTheRuntime() throws Exception {
        // CompletableFuture runs common-pool work on a new thread per task when the pool's
        // parallelism is below two (2 CPUs here): 200 misses must not start 200 threads.
        Set<Thread> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Thread t = await(client.getParameterAsync("/app/plain", ParameterOptions.defaults().forceFetch(true))
                    .thenApply(v -> Thread.currentThread()));
            assertNotEquals("paramsecrets", t.getName(), "a completion ran on core's runtime thread");
            seen.add(t);
        }
        assertEquals(200, emu.requests("parameter:/app/plain"));
        assertTrue(seen.size() <= 8, "200 sequential completions ran on " + seen.size() + " threads");
    }

    @Test
    void thousandConcurrentFuturesOfOneColdKeySendOneRequest() throws Exception {
        List<CompletableFuture<String>> fs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            fs.add(client.getParameterAsync("/app/cold-async"));
        }
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        for (CompletableFuture<String> f : fs) {
            assertEquals("cold-async-value", f.join());
        }
        assertEquals(1, emu.requests("parameter:/app/cold-async"));
        assertEquals(1, emu.requests());
        assertEquals(1, client.stats().requests());
    }

    @Test
    void syncCallsFromFutureCallbacksWork() throws Exception {
        // Completion runs on the generated code's executor (not a Rust runtime thread), so a
        // blocking miss inside a callback is allowed.
        String v = await(client.getParameterAsync("/app/plain").thenApply(x -> {
            try {
                return client.getSecret("app/text");
            } catch (ParamSecretsException ex) {
                throw new RuntimeException(ex);
            }
        }));
        assertEquals("text-secret-0b9d", v);
    }
}
