import ArgumentParser
import BakenPostgres
import BakenStore
import Foundation

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the SQLite database into an empty PostgreSQL database, and check the copy.",
        discussion: """
            Stop `baken serve` first. The target database must exist and be empty (createdb baken); its schema is \
            made here. Every row is copied as it is (ids, statuses, the exact lines a resume replays); afterwards \
            every table's row count and every conversation's transcript are compared. Then start the server with \
            --database and the same URL. The SQLite file is not changed.

            Example: baken migrate --data /var/lib/baken --to postgres://baken@localhost/baken
            """)

    @Option(help: "Data directory of the SQLite database (DIR/baken.sqlite).") var data = "data"
    @Option(help: "The PostgreSQL database: postgres://user@host:5432/baken") var to: String

    func run() async throws {
        let path = (data as NSString).appendingPathComponent("baken.sqlite")
        guard FileManager.default.fileExists(atPath: path) else {
            printError("\(path) does not exist: nothing to migrate.")
            throw ExitCode(1)
        }
        let source = try SQLiteStore(path: path)
        let target: PostgresStore
        do {
            target = try await PostgresStore.connect(try PostgresURL(to), logger: StoreLocation.commandLogger)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        do {
            let summary = try await SQLiteToPostgres.migrate(from: source, to: target) { table, copied in
                if copied % 10_000 == 0 { printError("\(table): \(copied) row(s)") }
            }
            print("\(path) → \(target.location): \(summary)")
        } catch {
            await target.close()
            printError("\(error)")
            throw ExitCode(1)
        }
        await target.close()
    }
}
