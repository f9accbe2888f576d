package io.edgebridge.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * The bridge's entry point. {@code try} runs one message through a rules file, without brokers and without starting
 * the bridge ({@link TryCommand}); anything else starts the bridge as always.
 */
@QuarkusMain
public class BridgeMain {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals(TryCommand.NAME)) {
            System.exit(TryCommand.run(
                    Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.in, System.out, System.err));
        }
        Quarkus.run(args);
    }
}
