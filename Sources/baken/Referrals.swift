import ArgumentParser
import BakenDesk
import BakenStore
import Foundation

struct Referrals: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "See partner referrals and their webhook deliveries; deliver dead ones again.", subcommands: [List.self, Redeliver.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List referrals, newest first, with their delivery attempts.")
        @Option(help: "Only this status: pending_consent, queued, delivered, dead, cancelled.") var status: String?
        @OptionGroup var storage: StoreLocation

        func run() async throws {
            var filter: ReferralRecord.Status?
            if let status {
                guard let parsed = ReferralRecord.Status(rawValue: status) else {
                    printError("--status must be one of: \(ReferralRecord.Status.allCases.map(\.rawValue).joined(separator: ", ")).")
                    throw ExitCode(1)
                }
                filter = parsed
            }
            let store = try await storage.open()
            let formatter = ISO8601DateFormatter()
            for referral in try await store.referrals(status: filter) {
                print("\(referral.id)  \(referral.status.rawValue)  \(referral.partner)  \(formatter.string(from: referral.createdAt))  by \(referral.requestedBy)")
                for event in try await store.events(referral: referral.id) {
                    print("    event \(event.id): \(event.status.rawValue), \(event.attempts) attempt(s)\(event.lastError.map { ", last error: \($0)" } ?? "")")
                    for attempt in try await store.attempts(event: event.id) {
                        print("      #\(attempt.attempt) \(formatter.string(from: attempt.at))  \(attempt.statusCode.map { "HTTP \($0)" } ?? attempt.error ?? "-")  \(attempt.latencyMilliseconds) ms")
                    }
                }
            }
        }
    }

    struct Redeliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a dead (or any) referral's webhook again, with the same event id.")
        @Argument(help: "The referral id (r_…).") var id: String
        @OptionGroup var storage: StoreLocation

        func run() async throws {
            let store = try await storage.open()
            guard var referral = try await store.referral(id: id) else {
                printError("There is no referral '\(id)'.")
                throw ExitCode(1)
            }
            let events = try await store.events(referral: id)
            guard !events.isEmpty else {
                printError("Referral '\(id)' has no webhook event (status \(referral.status.rawValue)): the resident did not consent.")
                throw ExitCode(1)
            }
            var writes: [StoreWrite] = events.map { event in
                var event = event
                event.status = .pending
                event.attempts = 0
                event.nextAttemptAt = Date()
                return .outbox(event)
            }
            referral.status = .queued
            referral.updatedAt = Date()
            writes.append(.referral(referral))
            try await store.commit(writes)
            print("Queued \(id) again (event \(events.map(\.id).joined(separator: ", "))). A running server delivers it within a second.")
        }
    }
}
