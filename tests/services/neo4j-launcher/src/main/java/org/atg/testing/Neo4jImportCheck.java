package org.atg.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;

/**
 * Imports CSV files with Neo4j's own bulk importer ({@code neo4j-admin database import full},
 * run in-process through {@link AdminTool}) into a fresh Neo4j home, opens the imported database
 * and prints what it holds as one JSON line: {@code {"nodes":N,"relationships":M,"labels":{..},
 * "types":{..},"sample":{"key":..,"name":..}}}.
 *
 * <p>Usage: {@code java -cp neo4j-launcher.jar org.atg.testing.Neo4jImportCheck <work-dir>
 * <neo4j-admin arguments after "database import full" ...>}. Exits with the importer's status
 * when the import fails (its messages on standard error).
 */
public final class Neo4jImportCheck {
  private Neo4jImportCheck() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: Neo4jImportCheck <work-dir> <import arguments...>");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    Path conf = home.resolve("conf");
    Files.createDirectories(conf);
    // The importer and the database must agree on the store format and memory: small, defaults.
    Files.writeString(conf.resolve("neo4j.conf"), "server.memory.pagecache.size=64m\n");
    List<String> importArgs = new ArrayList<>(List.of("database", "import", "full"));
    for (int i = 1; i < args.length; ++i) importArgs.add(args[i]);
    int status =
        AdminTool.execute(new ExecutionContext(home, conf), importArgs.toArray(new String[0]));
    if (status != 0) {
      System.err.println("Neo4jImportCheck: neo4j-admin database import failed (" + status + ")");
      System.exit(status);
    }

    DatabaseManagementService dbms =
        new DatabaseManagementServiceBuilder(home)
            .loadPropertiesFromFile(conf.resolve("neo4j.conf"))
            .build();
    try {
      GraphDatabaseService db = dbms.database("neo4j");
      StringBuilder json = new StringBuilder("{");
      try (Transaction tx = db.beginTx()) {
        json.append("\"nodes\":").append(count(tx, "MATCH (n) RETURN count(n) AS c"));
        json.append(",\"relationships\":")
            .append(count(tx, "MATCH ()-[r]->() RETURN count(r) AS c"));
        json.append(",\"labels\":")
            .append(counts(tx, "MATCH (n) UNWIND labels(n) AS k RETURN k, count(*) AS c"));
        json.append(",\"types\":")
            .append(counts(tx, "MATCH ()-[r]->() RETURN type(r) AS k, count(*) AS c"));
        try (Result r =
            tx.execute(
                "MATCH (n:Resource) WHERE n.properties IS NOT NULL RETURN n.key AS key, n.name AS"
                    + " name, n.type AS type, n.properties AS properties ORDER BY n.key LIMIT 1")) {
          json.append(",\"sample\":{");
          if (r.hasNext()) {
            Map<String, Object> row = r.next();
            boolean first = true;
            for (String k : List.of("key", "name", "type", "properties")) {
              if (!first) json.append(',');
              first = false;
              json.append(quote(k)).append(':').append(quote(String.valueOf(row.get(k))));
            }
          }
          json.append('}');
        }
        tx.commit();
      }
      System.out.println(json.append('}'));
    } finally {
      dbms.shutdown();
    }
  }

  private static long count(Transaction tx, String query) {
    try (Result r = tx.execute(query)) {
      return ((Number) r.next().get("c")).longValue();
    }
  }

  private static String counts(Transaction tx, String query) {
    Map<String, Long> m = new TreeMap<>();
    try (Result r = tx.execute(query)) {
      while (r.hasNext()) {
        Map<String, Object> row = r.next();
        m.put((String) row.get("k"), ((Number) row.get("c")).longValue());
      }
    }
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, Long> e : m.entrySet()) {
      if (b.length() > 1) b.append(',');
      b.append(quote(e.getKey())).append(':').append(e.getValue());
    }
    return b.append('}').toString();
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
