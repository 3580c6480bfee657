package org.atg.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Runs an in-process Neo4j for the integration tests until the process is terminated.
 *
 * <p>Usage: {@code java -jar neo4j-launcher.jar <bolt-port> <work-dir>}, with the password of
 * user {@code neo4j} in the environment variable {@code ATG_NEO4J_PASSWORD} (so it never shows up
 * in a process listing). Bolt listens on 127.0.0.1 only, authentication is on, the HTTP server is
 * off. Prints {@code ready bolt://127.0.0.1:<port>} on standard output once clients can connect.
 */
public final class Neo4jLauncher {
  private Neo4jLauncher() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: neo4j-launcher <bolt-port> <work-dir>");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    Path workDir = Path.of(args[1]);
    String password = System.getenv("ATG_NEO4J_PASSWORD");
    if (password == null || password.length() < 8) {
      // Neo4j rejects passwords shorter than 8 characters by default.
      System.err.println("neo4j-launcher: set ATG_NEO4J_PASSWORD (at least 8 characters)");
      System.exit(2);
    }
    Files.createDirectories(workDir);

    Neo4j neo4j =
        Neo4jBuilders.newInProcessBuilder(workDir)
            .withDisabledServer()
            .withConfig(GraphDatabaseSettings.auth_enabled, true)
            // Tests try wrong passwords on purpose; no lock-out that would fail the next test.
            .withConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
            .withConfig(BoltConnector.enabled, true)
            .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
            .withConfig(HttpConnector.enabled, false)
            .withConfig(HttpsConnector.enabled, false)
            // Tests hold tiny graphs; keep the footprint small on shared CI machines.
            .withConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
            .build();

    // Embedded transactions run with full rights, so the system database accepts the change;
    // the password goes in as a parameter, never into a query string or a log.
    neo4j
        .databaseManagementService()
        .database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
        .executeTransactionally(
            "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
            Map.of("password", password));

    System.out.println("ready bolt://127.0.0.1:" + port);
    System.out.flush();
    // Runs until terminated. No orderly shutdown on SIGTERM: the data is thrown away, and closing
    // the database waits seconds for Bolt's network threads to go quiet.
    Thread.currentThread().join();
  }
}
