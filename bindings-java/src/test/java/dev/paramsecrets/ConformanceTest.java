package dev.paramsecrets;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every scenario of conformance/scenarios.json against the real emulator, in the dialect
 * each one names (extension and agent), as conformance/README.md describes.
 */
class ConformanceTest {
    static final String TOKEN = "conformance-token";
    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger RAN = new AtomicInteger();
    static int total;

    @TestFactory
    Stream<DynamicNode> scenarios() throws IOException {
        Path dir = Emulator.repo().resolve("conformance");
        JsonNode doc = JSON.readTree(dir.resolve("scenarios.json").toFile());
        JsonNode stores = doc.get("stores");
        Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        Set<String> dialects = new HashSet<>();
        for (JsonNode s : doc.get("scenarios")) {
            assertTrue(names.add(s.get("name").asText()), "duplicate scenario name " + s.get("name"));
            dialects.add(s.get("dialect").asText());
            String key = s.get("dialect").asText() + " " + s.get("store").asText() + " "
                    + s.path("emulator_args") + " " + s.path("emulator_env");
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        }
        total = names.size();
        assertTrue(total > 0, "no scenarios");
        assertEquals(Set.of("extension", "agent"), dialects, "both dialects are covered");
        List<DynamicNode> out = new ArrayList<>();
        for (var g : groups.entrySet()) {
            JsonNode first = g.getValue().get(0);
            Path store = dir.resolve(stores.get(first.get("store").asText()).asText());
            List<String> args = new ArrayList<>();
            first.path("emulator_args").forEach(a -> args.add(a.asText()));
            Map<String, String> env = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = first.path("emulator_env").fields(); it.hasNext(); ) {
                var e = it.next();
                env.put(e.getKey(), e.getValue().asText());
            }
            Emulator[] emu = new Emulator[1];
            List<DynamicTest> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest("start emulator", () ->
                    emu[0] = Emulator.start(store, first.get("dialect").asText(), TOKEN, args, env)));
            for (JsonNode s : g.getValue()) {
                tests.add(DynamicTest.dynamicTest(s.get("name").asText(), () -> {
                    assertNotNull(emu[0], "the emulator of this group did not start");
                    run(s, emu[0]);
                    RAN.incrementAndGet();
                }));
            }
            tests.add(DynamicTest.dynamicTest("stop emulator", () -> {
                if (emu[0] != null) {
                    emu[0].close();
                }
            }));
            out.add(DynamicContainer.dynamicContainer(g.getKey(), tests));
        }
        return out.stream();
    }

    @AfterAll
    static void everyScenarioRan() {
        assertEquals(total, RAN.get(), "scenarios run vs scenarios.json");
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void run(JsonNode s, Emulator emu) throws Exception {
        JsonNode c = s.path("client");
        Client.Builder b = Client.builder().token(c.has("token") ? c.get("token").asText() : TOKEN);
        if ("closed".equals(c.path("endpoint").asText(null))) {
            b.endpoint("http://127.0.0.1:" + closedPort());
        } else {
            b.endpoint(emu.endpoint());
        }
        if (c.has("timeout_ms")) {
            b.timeout(Duration.ofMillis(c.get("timeout_ms").asLong()));
        }
        if (c.has("ready_timeout_ms")) {
            b.readyTimeout(Duration.ofMillis(c.get("ready_timeout_ms").asLong()));
        }
        if (c.has("deadline_ms")) {
            b.deadline(Duration.ofMillis(c.get("deadline_ms").asLong()));
        }
        if (c.has("server")) {
            b.server(c.get("server").asText());
        }
        JsonNode req = s.get("request");
        JsonNode expect = s.get("expect");
        String name = s.get("name").asText();
        Object result;
        try (Client client = b.build()) {
            result = switch (req.get("op").asText()) {
                case "get_parameter" -> {
                    ParameterOptions o = ParameterOptions.defaults().decrypt(req.path("decrypt").asBoolean(true));
                    if (req.has("version")) {
                        o = o.version(req.get("version").asLong());
                    }
                    if (req.has("label")) {
                        o = o.label(req.get("label").asText());
                    }
                    o = o.forceFetch(req.path("force_fetch").asBoolean(false));
                    yield client.getParameterRecord(req.get("name").asText(), o);
                }
                case "get_secret" -> {
                    SecretOptions o = SecretOptions.defaults();
                    if (req.has("version_id")) {
                        o = o.versionId(req.get("version_id").asText());
                    }
                    if (req.has("version_stage")) {
                        o = o.versionStage(req.get("version_stage").asText());
                    }
                    o = o.forceFetch(req.path("force_fetch").asBoolean(false));
                    yield client.getSecretRecord(req.get("secret_id").asText(), o);
                }
                default -> throw new AssertionError(name + ": unknown op " + req.get("op"));
            };
        } catch (ParamSecretsException e) {
            assertTrue(expect.has("error"), name + ": unexpected " + e);
            assertEquals(expect.get("error").asText(), e.code(), name + ": " + e);
            if (expect.has("status")) {
                assertEquals(expect.get("status").asInt(), e.status().orElse(-1), name + ": status of " + e);
            }
            return;
        }
        assertFalse(expect.has("error"), name + ": expected error " + expect.path("error") + ", got " + result);
        if (result instanceof Parameter p) {
            if (expect.has("value")) {
                assertEquals(expect.get("value").asText(), p.value(), name);
            }
            if (expect.has("binary_base64")) {
                assertNotNull(p.binary(), name + ": expected a binary value");
                assertEquals(expect.get("binary_base64").asText(), Base64.getEncoder().encodeToString(p.binary()), name);
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("name", p.name());
            fields.put("type", p.type());
            fields.put("version", p.version());
            fields.put("arn", p.arn());
            fields.put("selector", p.selector());
            fields.put("data_type", p.dataType());
            fields.put("last_modified_ms", p.lastModified() == null ? null : p.lastModified().toEpochMilli());
            checkFields(name, expect.path("fields"), fields);
        } else if (result instanceof Secret sec) {
            if (expect.has("value")) {
                assertEquals(expect.get("value").asText(), sec.string(), name);
            }
            if (expect.has("binary_base64")) {
                assertNotNull(sec.binary(), name + ": expected a binary secret");
                assertEquals(expect.get("binary_base64").asText(), Base64.getEncoder().encodeToString(sec.binary()), name);
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("name", sec.name());
            fields.put("arn", sec.arn());
            fields.put("version_id", sec.versionId());
            fields.put("version_stages", sec.versionStages());
            fields.put("created_ms", sec.createdDate() == null ? null : sec.createdDate().toEpochMilli());
            checkFields(name, expect.path("fields"), fields);
        }
        if (expect.has("refresh_now_sent")) {
            long sent = emu.stats().path("keys").path("secret:" + req.get("secret_id").asText())
                    .path("refresh_now").asLong(0);
            assertEquals(expect.get("refresh_now_sent").asBoolean(), sent > 0,
                    name + ": refreshNow sent " + sent + " times");
        }
    }

    static void checkFields(String name, JsonNode expected, Map<String, Object> actual) {
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            var e = it.next();
            assertTrue(actual.containsKey(e.getKey()), name + ": unknown field " + e.getKey());
            Object want = JSON.convertValue(e.getValue(), Object.class);
            Object got = actual.get(e.getKey());
            if (want instanceof Number n && got instanceof Number g) {
                assertEquals(n.longValue(), g.longValue(), name + ": field " + e.getKey());
            } else {
                assertEquals(want, got, name + ": field " + e.getKey());
            }
        }
    }
}
