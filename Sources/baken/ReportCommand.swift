import ArgumentParser
import BakenDesk
import BakenStore
import Foundation

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Figures for the funders: conversations, outcomes and the promise rate in a period, per municipality, branch, topic or language.",
        discussion: """
            Aggregates only: counts from 1 to 4 are written as "< 5" and a promise rate needs at least 5 finished \
            conversations, so no resident can be singled out. Dates are whole days (UTC); --to is included.

            Example: baken report --from 2026-01-01 --to 2026-03-31 --by municipality --format csv > q1.csv
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case md, csv, json }

    @OptionGroup var storage: StoreLocation
    @Option(help: "First day (YYYY-MM-DD).") var from: String
    @Option(help: "Last day, included (YYYY-MM-DD).") var to: String
    @Option(help: "Group by: \(Report.Grouping.allCases.map(\.rawValue).joined(separator: ", ")).") var by = "municipality"
    @Option(help: "Output: md, csv or json.") var format: Format = .md
    @OptionGroup var options: KnowledgeOptions

    func run() async throws {
        guard let grouping = Report.Grouping(rawValue: by) else {
            throw ValidationError("--by must be one of: \(Report.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let day = Date.ISO8601FormatStyle().year().month().day()
        guard let start = try? day.parse(from), let last = try? day.parse(to) else {
            throw ValidationError("--from and --to are dates like 2026-01-31")
        }
        let end = last.addingTimeInterval(24 * 3600)
        guard start < end else { throw ValidationError("--from must not be after --to") }
        if storage.databaseURL() == nil {
            let data = storage.data ?? "data"
            let path = (data as NSString).appendingPathComponent("baken.sqlite")
            guard FileManager.default.fileExists(atPath: path) else {
                printError("\(path) does not exist: start the server once with `baken serve --data \(data)`.")
                throw ExitCode(1)
            }
        }
        let knowledge = try options.load()
        let store = try await storage.open()
        let stored = try await store.conversations(from: start, to: end)
        let report = Report(
            conversations: stored.conversations, referrals: stored.referrals, feedback: try await store.feedback(from: start, to: end),
            tickets: try await store.tickets(), knowledge: knowledge, by: grouping, from: start, to: end)
        switch format {
        case .md: print(report.markdown(), terminator: "")
        case .csv: print(report.csv(), terminator: "")
        case .json: print(report.json(), terminator: "")
        }
    }
}
