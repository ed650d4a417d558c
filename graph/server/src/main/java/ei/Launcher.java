package ei;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community embedded, Bolt on 127.0.0.1 only.
 *
 * <p>Usage: {@code Launcher --port 7687 --data var/neo4j --pagecache 256m --password secret}.
 * Prints {@code NEO4J READY bolt://127.0.0.1:PORT} once Bolt accepts connections, and shuts the
 * database down cleanly on SIGTERM / SIGINT so the store is never left half-written.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        int port = 7687;
        Path data = Path.of("var/neo4j");
        String pagecache = "256m";
        String password = null;
        Duration replanInterval = null;
        for (int i = 0; i < args.length - 1; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--data" -> data = Path.of(args[i + 1]);
                case "--pagecache" -> pagecache = args[i + 1];
                case "--password" -> password = args[i + 1];
                case "--replan-interval" -> replanInterval = Duration.ofSeconds(Long.parseLong(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(data.toAbsolutePath());
        if (replanInterval != null) {
            // The test suite's graph swings between empty and the demo many times a minute: with the
            // default 10 s every search statement was planned again (about a second each) after most swings.
            builder.setConfig(GraphDatabaseSettings.cypher_min_replan_interval, replanInterval);
        }
        DatabaseManagementService dms = builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, password != null)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pagecache))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.mebiBytes(512))
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(60))
                // Plan a statement once for lists and strings of any length
                // (internal.cypher.use_parameter_size): with the sizes in its plan-cache key, each new
                // length of a search's lists (ties, territories, cells) cost a second of planning.
                .setConfig(GraphDatabaseInternalSettings.cypher_size_hint_parameters, false)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("NEO4J STOPPING");
            dms.shutdown();
            System.out.println("NEO4J STOPPED");
            stopped.countDown();
        }, "neo4j-shutdown"));

        GraphDatabaseService db = dms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(120_000)) {
            System.err.println("NEO4J FAILED database did not become available");
            System.exit(1);
        }
        if (password != null) {
            // Auth is on: set the neo4j user's password so the store is never open without one.
            // On a restart the password is usually already set, which Neo4j reports as an error.
            GraphDatabaseService system = dms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            try {
                system.executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED",
                        java.util.Map.of("pw", password));
            } catch (RuntimeException samePassword) {
                System.out.println("NEO4J password unchanged");
            }
        }
        System.out.println("NEO4J READY bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }
}
