import ArgumentParser
import BakenDesk
import BakenPostgres
import BakenStore
import Foundation
import Logging

/// What every store of the server does: conversations, reports and retention.
typealias BakenStorage = ConversationStore & ReportingStore & PurgingStore

/// Where the server's data is: SQLite in `--data DIR` (the default, `DIR/baken.sqlite`), or the
/// PostgreSQL database of `--database postgres://…` (or of `BAKEN_DATABASE` in the environment).
struct StoreLocation: ParsableArguments {
    @Option(help: "Data directory; the SQLite database is DIR/baken.sqlite.") var data: String?
    @Option(help: "A PostgreSQL database instead of SQLite: postgres://user@host:5432/baken (default: $BAKEN_DATABASE).")
    var database: String?
    @Option(help: "This node's name, with --database; keep it the same across restarts (serve's default: HOST:PORT).") var node: String?

    /// The URL in use: `--database`, the config file's `database:`, then `BAKEN_DATABASE`.
    func databaseURL(file: String? = nil) -> String? {
        database ?? file ?? ProcessInfo.processInfo.environment["BAKEN_DATABASE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Opens the store, telling the operator clearly when it cannot (exit code 1). A
    /// PostgreSQL store keeps a connection pool until ``close(_:)`` or the end of the process.
    func open(
        fileDatabase: String? = nil, fileData: String? = nil, defaultNode: String? = nil, logger: Logger = StoreLocation.commandLogger
    ) async throws -> any BakenStorage {
        if let url = databaseURL(file: fileDatabase) {
            do {
                return try await PostgresStore.connect(try PostgresURL(url), node: node ?? defaultNode ?? PostgresStore.defaultNodeName(), logger: logger)
            } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
        }
        let directory = data ?? fileData ?? "data"
        return try SQLiteStore(path: (directory as NSString).appendingPathComponent("baken.sqlite"))
    }

    /// Where the data is, for logs (a PostgreSQL URL without its password).
    func describe(fileDatabase: String? = nil, fileData: String? = nil) -> String {
        if let url = databaseURL(file: fileDatabase) { return (try? PostgresURL(url).redacted) ?? "postgres" }
        return ((data ?? fileData ?? "data") as NSString).appendingPathComponent("baken.sqlite")
    }

    /// The logger of one-shot commands (`baken staff`, `report` …): warnings and errors on
    /// standard error, so stdout carries only the command's output (a token, a CSV).
    static var commandLogger: Logger {
        var logger = Logger(label: "baken") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        return logger
    }

    /// Closes a PostgreSQL store's connections (SQLite needs nothing).
    static func close(_ store: any BakenStorage) async {
        if let store = store as? PostgresStore { await store.close() }
    }
}
