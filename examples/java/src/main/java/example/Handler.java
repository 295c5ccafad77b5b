package example;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import dev.paramsecrets.Client;
import dev.paramsecrets.ParamSecretsException;
import dev.paramsecrets.Stats;

/**
 * The walkthrough's Lambda function in Java, with paramsecrets instead of hand-written HTTP calls
 * to the extension. Handler: {@code example.Handler::handleRequest}. Runtime: java25.
 *
 * <p>Reads the app's configuration from Parameter Store ({@code /$ENV/$APP_CONFIG_PATH}) and the
 * database credentials from Secrets Manager ({@code $CREDS_PATH}) through the AWS Parameters and
 * Secrets Lambda Extension, connects with the MariaDB JDBC driver and runs a real query.
 */
public class Handler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final String FULL_CONFIG_PATH =
            "/" + System.getenv("ENV") + "/" + System.getenv("APP_CONFIG_PATH");
    private static final String CREDS_PATH = System.getenv("CREDS_PATH");

    // Once per execution environment (INIT): port and token come from the Lambda environment
    // (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, AWS_SESSION_TOKEN). Warm invocations then read
    // both values from the in-process cache.
    static final Client CLIENT = buildClient();

    private static Client buildClient() {
        try {
            return Client.fromEnv();
        } catch (ParamSecretsException e) {
            throw new IllegalStateException("paramsecrets: " + e.code() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, Object> response = respond(context);
        // One line per invocation in the function's log: how many reads the in-process cache
        // answered.
        Stats s = CLIENT.stats();
        context.getLogger().log(String.format("paramsecrets L1: hits=%d misses=%d requests=%d errors=%d%n",
                s.hits(), s.misses(), s.requests(), s.errors()));
        return response;
    }

    private static Map<String, Object> respond(Context context) {
        Map<?, ?> config;
        Map<?, ?> creds;
        try {
            config = (Map<?, ?>) CLIENT.getParameterJson(FULL_CONFIG_PATH);
            creds = (Map<?, ?>) CLIENT.getSecretJson(CREDS_PATH);
        } catch (ParamSecretsException e) {
            // e.code() is stable (not_found_or_denied, unauthorized, ...); the message names the
            // parameter or secret, never a value.
            context.getLogger().log("reading settings failed: " + e.code() + ": " + e.getMessage() + "\n");
            return Map.of("statusCode", 500,
                    "body", "Could not read settings: " + e.code() + ": " + e.getMessage());
        }

        String host = String.valueOf(creds.get("host"));
        Object port = creds.get("port") == null ? 3306 : creds.get("port");
        String dbname = String.valueOf(creds.get("dbname"));
        String url = "jdbc:mariadb://" + host + ":" + port + "/" + dbname;
        Properties props = new Properties();
        props.setProperty("user", String.valueOf(creds.get("username")));
        props.setProperty("password", String.valueOf(creds.get("password")));
        props.setProperty("connectTimeout", "5000");

        String version;
        try (Connection conn = DriverManager.getConnection(url, props);
             Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            version = rs.getString(1);
        } catch (SQLException e) {
            context.getLogger().log("database query failed: " + e.getMessage() + "\n");
            return Map.of("statusCode", 500, "body", "Could not query the database: " + e.getMessage());
        }

        return Map.of("statusCode", 200,
                "body", "Successfully connected to " + version
                        + " (database " + dbname + " on " + host + ":" + port
                        + ", config " + FULL_CONFIG_PATH + " with " + config.size() + " settings)");
    }
}
