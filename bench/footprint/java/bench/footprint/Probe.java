package bench.footprint;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.paramsecrets.Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;

/**
 * One fresh JVM of the footprint benchmark (bench/footprint/footprint.py runs it).
 *
 * <pre>java -cp ... bench.footprint.Probe paramsecrets|sdk NAME EXPECTED [SSM_ENDPOINT]</pre>
 *
 * Prints one JSON line: RSS (VmRSS), thread ids and names (/proc/self/task) and open file
 * descriptors and what they point to (/proc/self/fd) at three stages: {@code baseline} (first statement of main: the
 * JVM started, nothing of either client loaded), {@code client} (after class loading + client
 * construction) and {@code first_read} (after the first read, a miss through the emulator or the
 * SSM stub). Each client is named only inside its own method, so the other is never loaded.
 */
public final class Probe {
    public static void main(String[] args) throws Exception {
        StringBuilder out = new StringBuilder("{\"runtime\":\"")
            .append(System.getProperty("java.version")).append("\",\"stages\":{");
        out.append("\"baseline\":").append(sample());
        String value = switch (args[0]) {
            case "paramsecrets" -> paramsecrets(args[1], out);
            case "sdk" -> sdk(args[1], args[3], out);
            default -> throw new IllegalArgumentException("unknown client " + args[0]);
        };
        out.append(",\"first_read\":").append(sample()).append("}}");
        if (!args[2].equals(value)) {
            throw new IllegalStateException("the first read returned a wrong value");
        }
        System.out.println(out);
        System.exit(0);
    }

    private static String paramsecrets(String name, StringBuilder out) throws Exception {
        Client client = Client.builder().build(); // port and token from the Lambda environment
        out.append(",\"client\":").append(sample());
        return client.getParameter(name);
    }

    private static String sdk(String name, String endpoint, StringBuilder out) throws Exception {
        // Region and keys from the environment (AWS_REGION, AWS_ACCESS_KEY_ID, ...), as on Lambda.
        SsmClient client = SsmClient.builder().endpointOverride(URI.create(endpoint)).build();
        out.append(",\"client\":").append(sample());
        return client.getParameter(GetParameterRequest.builder().name(name).build()).parameter().value();
    }

    private static String sample() throws IOException {
        long rssKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rssKb = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        Map<String, String> threads = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    threads.put(t.getFileName().toString(), Files.readString(t.resolve("comm")).strip());
                } catch (IOException gone) {
                    // the thread ended between the listing and the read
                }
            }
        }
        Map<String, String> fds = new TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (!target.endsWith("/fd")) { // not the descriptor of this listing itself
                        fds.put(fd.getFileName().toString(), target);
                    }
                } catch (IOException gone) {
                    // closed since the listing
                }
            }
        }
        return "{\"rss_kb\":" + rssKb + ",\"threads\":" + json(threads) + ",\"fds\":" + json(fds) + "}";
    }

    private static String json(Map<String, String> m) {
        StringBuilder j = new StringBuilder("{");
        String sep = "";
        for (Map.Entry<String, String> e : m.entrySet()) {
            j.append(sep).append('"').append(e.getKey()).append("\":\"")
                .append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            sep = ",";
        }
        return j.append('}').toString();
    }
}
