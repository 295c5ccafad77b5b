package dev.paramsecrets;

import java.io.IOException;

/** The main suite's {@link Emulator} (from paramsecrets-tests.jar) for the Powertools provider's tests. */
public final class TestEmulator implements AutoCloseable {
    private final Emulator emu;

    private TestEmulator(Emulator emu) {
        this.emu = emu;
    }

    /** The real emulator on this module's src/test/resources/store.json, extension dialect. */
    public static TestEmulator start() throws IOException {
        return new TestEmulator(Emulator.start());
    }

    public Client client() throws ParamSecretsException {
        return emu.client();
    }

    /** Requests the emulator saw for one key, e.g. {@code parameter:/powertools/plain}. */
    public long requests(String key) throws IOException, InterruptedException {
        return emu.requests(key);
    }

    public void reset() throws IOException, InterruptedException {
        emu.reset();
    }

    @Override
    public void close() {
        emu.close();
    }
}
