package dev.paramsecrets.powertools;

/**
 * Entry points besides the two providers. {@link #appConfig} exists so that a migration finds
 * out at once: the extension serves no AppConfig.
 */
public final class Providers {
    static final String APPCONFIG_PROVIDER = "software.amazon.lambda.powertools.parameters.appconfig.AppConfigProvider";

    private Providers() {}

    /**
     * Always throws: the Parameters and Secrets Lambda Extension serves SSM parameters and
     * Secrets Manager secrets only. Keep Powertools' {@code AppConfigProvider} (or the AppConfig
     * Lambda extension) for AppConfig.
     *
     * @param environment the AppConfig environment
     * @param application the AppConfig application
     * @return never
     * @throws NotSupportedByExtensionException always
     */
    public static ExtensionProvider appConfig(String environment, String application) {
        throw new NotSupportedByExtensionException("AppConfig", APPCONFIG_PROVIDER,
                "it serves SSM parameters and Secrets Manager secrets only (application " + application
                        + ", environment " + environment + "); keep Powertools' AppConfigProvider");
    }
}
