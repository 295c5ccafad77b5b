package bench.powertools;

import java.nio.file.Path;

import dev.paramsecrets.powertools.AwsApiStub;

/** The local SSM API stub in a process of its own (so the cold JVMs load none of it). Prints its endpoint. */
public final class StubMain {
    public static void main(String[] args) throws Exception {
        AwsApiStub stub = AwsApiStub.start(Path.of(args[0]));
        System.out.println("listening on " + stub.endpoint());
        System.out.flush();
        Thread.currentThread().join();
    }
}
