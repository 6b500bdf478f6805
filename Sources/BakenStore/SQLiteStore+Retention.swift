import BakenDesk
import Foundation
import GRDB

extension SQLiteStore: ReportingStore {}

extension SQLiteStore: PurgingStore {
    /// Erases, in one transaction and with `secure_delete`: the messages of conversations closed
    /// (or left open and untouched) longer than `transcriptDays` ago (their row stays for the
    /// reports, with the session hash replaced so the token no longer resumes), inbox questions and
    /// tickets past their period, and the personal fields of referrals not updated for
    /// `referralDays`, with the webhook bodies that carried them.
    public func purge(_ policy: RetentionPolicy, now: Date) async throws -> PurgeReport {
        let seconds = now.timeIntervalSince1970
        let transcripts = seconds - policy.transcriptDays * 86400, unanswered = seconds - policy.unansweredDays * 86400
        let tickets = seconds - policy.ticketDays * 86400, referrals = seconds - policy.referralDays * 86400
        let report = try await dbWriter.writeWithoutTransaction { db -> PurgeReport in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            defer { try? db.execute(sql: "PRAGMA secure_delete = OFF") }
            var report = PurgeReport()
            try db.inTransaction {
                // A conversation still open after the whole period was abandoned (the server
                // restarted while it was with the bot, and nobody resumed it): it ends as the
                // idle sweep would have ended it, then it is purged like any closed one.
                try db.execute(
                    sql: "UPDATE conversation SET phase = 'closed', outcome = COALESCE(outcome, 'unresolved') WHERE phase != 'closed' AND updated_at < ?",
                    arguments: [transcripts])
                let expired = "SELECT id FROM conversation WHERE phase = 'closed' AND updated_at < ?"
                try db.execute(sql: "DELETE FROM message WHERE conversation_id IN (\(expired))", arguments: [transcripts])
                report.messages = db.changesCount
                try db.execute(
                    sql: "UPDATE conversation SET session_hash = 'purged:' || id WHERE phase = 'closed' AND updated_at < ? AND session_hash NOT LIKE 'purged:%'",
                    arguments: [transcripts])
                report.conversations = db.changesCount
                try db.execute(sql: "DELETE FROM unanswered WHERE created_at < ?", arguments: [unanswered])
                report.unanswered = db.changesCount
                try db.execute(sql: "DELETE FROM ticket WHERE created_at < ?", arguments: [tickets])
                report.tickets = db.changesCount
                // Every referral past its period, whatever its status: one never consented to
                // (pending) or never delivered holds the question and the branch too.
                let finished = "updated_at < ?"
                try db.execute(
                    sql: "UPDATE outbox SET payload = '{}' WHERE payload != '{}' AND referral_id IN (SELECT id FROM referral WHERE \(finished))",
                    arguments: [referrals])
                try db.execute(sql: "UPDATE referral SET fields = '{}' WHERE fields != '{}' AND \(finished)", arguments: [referrals])
                report.referrals = db.changesCount
                return .commit
            }
            return report
        }
        if !report.isEmpty {
            try await dbWriter.writeWithoutTransaction { db in _ = try? Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        return report
    }
}
