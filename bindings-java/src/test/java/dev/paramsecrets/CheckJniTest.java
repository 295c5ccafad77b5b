package dev.paramsecrets;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

/**
 * {@code make test-checkjni} runs the whole suite with {@code -Xcheck:jni} and fails on any
 * warning the JVM's checks print; this makes sure the flag really reached the test JVM then.
 */
class CheckJniTest {
    @Test
    void theTestJvmRunsWithCheckJniWhenAskedTo() {
        boolean wanted = Boolean.getBoolean("paramsecrets.expect.checkjni");
        boolean has = ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-Xcheck:jni");
        if (wanted) {
            assertTrue(has, "-Xcheck:jni was asked for but the test JVM runs without it: "
                    + ManagementFactory.getRuntimeMXBean().getInputArguments());
        }
        assertEquals(wanted, has, "-Xcheck:jni without paramsecrets.expect.checkjni");
    }
}
