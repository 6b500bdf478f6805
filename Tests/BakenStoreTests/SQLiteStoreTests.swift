import BakenDesk
import BakenEngine
import Foundation
import GRDB
import Testing

@testable import BakenStore

/// A fresh temporary directory, to remove with `defer`.
private func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("baken-store-tests-\(UUID().uuidString)")
}

/// A database path one level below `directory`, so the store has to create its parent.
private func databasePath(in directory: URL) -> String {
    directory.appendingPathComponent("data/baken.sqlite").path
}

/// A date on a whole millisecond: these round-trip exactly.
private func date(_ offset: Double = 0) -> Date {
    Date(timeIntervalSince1970: 1_750_000_000.123 + offset)
}

private func conversation(_ id: String, phase: Phase = .bot, createdAt: Date = date()) -> ConversationRecord {
    var record = ConversationRecord(id: id, sessionHash: "hash-\(id)", language: .nl, location: nil, now: createdAt)
    record.phase = phase
    return record
}

private func message(_ conversation: String, _ seq: Int, clientID: String? = nil) -> MessageRecord {
    MessageRecord(
        conversation: conversation, seq: seq, type: "reply", role: clientID == nil ? .bot : .resident,
        text: "text \(seq)", clientID: clientID, payload: #"{"type":"reply","seq":\#(seq)}"#, createdAt: date(Double(seq)))
}

private func unanswered(_ conversation: String, _ seq: Int, reason: UnansweredRecord.Reason = .decline) -> UnansweredRecord {
    UnansweredRecord(conversation: conversation, seq: seq, text: "question \(seq)", reason: reason, candidates: "a:0.4 b:0.3", createdAt: date(Double(seq)))
}

@Suite struct SQLiteStoreTests {
    @Test func batchIsAtomic() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: databasePath(in: directory))
        var first = conversation("c1")
        first.lastSeq = 2
        try await store.commit([.conversation(first), .message(message("c1", 1)), .message(message("c1", 2))])

        var updated = first
        updated.lastSeq = 3
        updated.phase = .queued
        let failing: [StoreWrite] = [
            .conversation(updated),
            .conversation(conversation("c2")),
            .message(message("c2", 1)),
            .unanswered(unanswered("c1", 3)),
            .feedback(FeedbackRecord(conversation: "c1", seq: 2, helpful: true, createdAt: date())),
            .message(message("c1", 3)),
            .message(message("c1", 3)),  // duplicate (conversation, seq)
        ]
        await #expect(throws: DatabaseError.self) { try await store.commit(failing) }

        #expect(try await store.conversation(id: "c1") == first)
        #expect(try await store.conversation(id: "c2") == nil)
        #expect(try await store.messages(conversation: "c1", after: 0).map(\.seq) == [1, 2])
        #expect(try await store.messages(conversation: "c2", after: 0).isEmpty)
        #expect(try await store.unanswered(limit: 10).isEmpty)
        let feedback = try await store.dbWriter.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM feedback") }
        #expect(feedback == 0)

        // The store is still usable after the failed batch.
        try await store.commit([.conversation(updated), .message(message("c1", 3))])
        #expect(try await store.conversation(id: "c1") == updated)
    }

    @Test func conversationUpsertRoundTripsEveryField() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: databasePath(in: directory))
        let fresh = ConversationRecord(id: "c1", sessionHash: String(repeating: "ab", count: 32), language: .en, location: nil, now: date())
        try await store.commit([.conversation(fresh), .message(message("c1", 1))])
        #expect(try await store.conversation(id: "c1") == fresh)

        var changed = fresh
        changed.sessionHash = String(repeating: "cd", count: 32)
        changed.language = .nl
        changed.location = "Centrale Bibliotheek"
        changed.phase = .withStaff
        changed.outcome = .handedOff
        changed.lastSeq = 42
        changed.misses = 2
        changed.lastIntent = "digid_inloggen"
        changed.offered = ["digid_inloggen", "digid_app", "quote\"and/slash", "ü"]
        changed.answered = true
        changed.handedOff = true
        changed.referred = true
        changed.createdAt = date(-60)
        changed.updatedAt = date(3600)
        try await store.commit([.conversation(changed)])

        #expect(try await store.conversation(id: "c1") == changed)
        #expect(try await store.conversation(sessionHash: changed.sessionHash) == changed)
        #expect(try await store.conversation(sessionHash: fresh.sessionHash) == nil)
        // Updated in place: the conversation's messages are still there.
        #expect(try await store.messages(conversation: "c1", after: 0).count == 1)

        // Every outcome and phase survives.
        for (index, outcome) in Outcome.allCases.enumerated() {
            var record = conversation("o\(index)", phase: [.bot, .queued, .withStaff, .closed][index % 4])
            record.outcome = outcome
            try await store.commit([.conversation(record)])
            #expect(try await store.conversation(id: record.id) == record)
        }
    }

    @Test func arbitraryDatesRoundTripWithinAMicrosecond() async throws {
        let store = try SQLiteStore.inMemory()
        let now = Date()
        let record = conversation("c1", createdAt: now)
        try await store.commit([.conversation(record)])
        let stored = try #require(try await store.conversation(id: "c1"))
        #expect(abs(stored.createdAt.timeIntervalSince(now)) < 0.000_001)
    }

    @Test func columnsAreStoredAsPlainSQLValues() async throws {
        let store = try SQLiteStore.inMemory()
        var record = conversation("c1", phase: .withStaff)
        record.outcome = .handedOff
        record.offered = ["a", "b"]
        try await store.commit([.conversation(record), .message(message("c1", 1, clientID: "k1"))])
        // `Row` is not Sendable: copy its values out of the read.
        let values: [String: DatabaseValue] = try await store.dbWriter.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT c.language, c.phase, c.outcome, c.offered, c.answered, typeof(c.created_at) AS date_type,
                       m.role, datetime(m.created_at, 'unixepoch') AS message_date
                FROM conversation c JOIN message m ON m.conversation_id = c.id
                """)
            return Dictionary(uniqueKeysWithValues: (row ?? [:]).map { ($0.0, $0.1) })
        }
        #expect(values["language"] == "nl".databaseValue)
        #expect(values["phase"] == "with_staff".databaseValue)
        #expect(values["outcome"] == "handed_off".databaseValue)
        #expect(values["offered"] == #"["a","b"]"#.databaseValue)
        #expect(values["answered"] == 0.databaseValue)
        #expect(values["date_type"] == "real".databaseValue)
        #expect(values["role"] == "resident".databaseValue)
        #expect(values["message_date"] == "2025-06-15 15:06:41".databaseValue)
    }

    @Test func sessionHashIsUnique() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit([.conversation(conversation("c1"))])
        var other = conversation("c2")
        other.sessionHash = "hash-c1"
        await #expect(throws: DatabaseError.self) { try await store.commit([.conversation(other)]) }
        #expect(try await store.conversation(id: "c2") == nil)
    }

    @Test func messagesAfterAreInSeqOrderStrictlyAfter() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit([.conversation(conversation("c1")), .conversation(conversation("c2"))])
        try await store.commit([.message(message("c1", 3)), .message(message("c1", 1))])
        try await store.commit([.message(message("c2", 4)), .message(message("c1", 5)), .message(message("c1", 2)), .message(message("c1", 4))])

        #expect(try await store.messages(conversation: "c1", after: 2).map(\.seq) == [3, 4, 5])
        #expect(try await store.messages(conversation: "c1", after: 0).map(\.seq) == [1, 2, 3, 4, 5])
        #expect(try await store.messages(conversation: "c1", after: 5).isEmpty)
        #expect(try await store.messages(conversation: "c2", after: 0).map(\.seq) == [4])
        #expect(try await store.messages(conversation: "nope", after: 0).isEmpty)
        #expect(try await store.messages(conversation: "c1", after: 4) == [message("c1", 5)])
    }

    @Test func clientIDs() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit([
            .conversation(conversation("c1")), .conversation(conversation("c2")),
            .message(message("c1", 1, clientID: "k1")), .message(message("c1", 2)),
            .message(message("c1", 3, clientID: "k2")), .message(message("c1", 4)),
            .message(message("c2", 1, clientID: "k1")),
        ])
        #expect(try await store.clientIDs(conversation: "c1") == ["k1": 1, "k2": 3])
        #expect(try await store.clientIDs(conversation: "c2") == ["k1": 1])
        #expect(try await store.clientIDs(conversation: "c3") == [:])

        // A client id is unique within a conversation.
        await #expect(throws: DatabaseError.self) {
            try await store.commit([.message(message("c1", 5, clientID: "k2"))])
        }
        #expect(try await store.messages(conversation: "c1", after: 0).count == 4)
    }

    @Test func openConversationsExcludeClosed() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit([
            .conversation(conversation("late", phase: .withStaff, createdAt: date(30))),
            .conversation(conversation("closed", phase: .closed, createdAt: date(10))),
            .conversation(conversation("early", phase: .bot, createdAt: date(0))),
            .conversation(conversation("middle", phase: .queued, createdAt: date(20))),
        ])
        #expect(try await store.openConversations().map(\.id) == ["early", "middle", "late"])

        var closing = try #require(try await store.conversation(id: "middle"))
        closing.phase = .closed
        closing.outcome = .unresolved
        try await store.commit([.conversation(closing)])
        #expect(try await store.openConversations().map(\.id) == ["early", "late"])
    }

    @Test func unansweredNewestFirstWithLimit() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit([.conversation(conversation("c1")), .unanswered(unanswered("c1", 1))])
        try await store.commit([.unanswered(unanswered("c1", 2, reason: .clarify)), .unanswered(unanswered("c1", 3, reason: .outOfScope))])
        try await store.commit([.unanswered(unanswered("c1", 4, reason: .notHelpful))])

        #expect(try await store.unanswered(limit: 2) == [unanswered("c1", 4, reason: .notHelpful), unanswered("c1", 3, reason: .outOfScope)])
        #expect(try await store.unanswered(limit: 10).map(\.seq) == [4, 3, 2, 1])
        #expect(try await store.unanswered(limit: 0).isEmpty)

        // Handled questions leave the inbox.
        try await store.dbWriter.write { try $0.execute(sql: "UPDATE unanswered SET status = 'done' WHERE seq = 4") }
        #expect(try await store.unanswered(limit: 2).map(\.seq) == [3, 2])
    }

    @Test func feedbackReplacesEarlierFeedback() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.commit([
            .conversation(conversation("c1")),
            .feedback(FeedbackRecord(conversation: "c1", seq: 2, helpful: true, createdAt: date(1))),
        ])
        try await store.commit([.feedback(FeedbackRecord(conversation: "c1", seq: 2, helpful: false, createdAt: date(2)))])
        let rows = try await store.dbWriter.read { try FeedbackRecord.fetchAll($0) }
        #expect(rows == [FeedbackRecord(conversation: "c1", seq: 2, helpful: false, createdAt: date(2))])
    }

    @Test func writesOfABatchMayComeInAnyOrder() async throws {
        let store = try SQLiteStore.inMemory()
        // Foreign keys are checked at commit: a message may precede its new conversation.
        try await store.commit([.message(message("c1", 1)), .conversation(conversation("c1"))])
        #expect(try await store.messages(conversation: "c1", after: 0).count == 1)
        // But a write for an unknown conversation fails the batch.
        await #expect(throws: DatabaseError.self) { try await store.commit([.message(message("ghost", 1))]) }
        await #expect(throws: DatabaseError.self) { try await store.commit([.unanswered(unanswered("ghost", 1))]) }
    }

    @Test func reopeningTheFileSeesEverything() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var record = conversation("c1", phase: .queued)
        record.offered = ["a", "b"]
        record.lastSeq = 2
        do {
            let store = try SQLiteStore(path: databasePath(in: directory))
            try await store.commit([
                .conversation(record),
                .conversation(conversation("c2", phase: .closed)),
                .message(message("c1", 1, clientID: "k1")), .message(message("c1", 2)),
                .unanswered(unanswered("c1", 1)),
                .feedback(FeedbackRecord(conversation: "c1", seq: 2, helpful: true, createdAt: date())),
            ])
        }
        let reopened = try SQLiteStore(path: databasePath(in: directory))
        #expect(try await reopened.conversation(id: "c1") == record)
        #expect(try await reopened.conversation(sessionHash: "hash-c1") == record)
        #expect(try await reopened.messages(conversation: "c1", after: 0) == [message("c1", 1, clientID: "k1"), message("c1", 2)])
        #expect(try await reopened.clientIDs(conversation: "c1") == ["k1": 1])
        #expect(try await reopened.openConversations() == [record])
        #expect(try await reopened.unanswered(limit: 5) == [unanswered("c1", 1)])
        let feedback = try await reopened.dbWriter.read { try FeedbackRecord.fetchAll($0) }
        #expect(feedback.count == 1)
        let migrations = try await reopened.dbWriter.read { try Migrations.migrator.appliedMigrations($0) }
        #expect(migrations == ["v1-conversations", "v2-messages", "v3-unanswered", "v4-feedback", "v5-handoff", "v6-referrals", "v7-report-index", "v8-insight"])
    }

    @Test func pragmas() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: databasePath(in: directory))
        let (journal, synchronous, foreignKeys, busyTimeout) = try await store.dbWriter.write { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
                try Int.fetchOne(db, sql: "PRAGMA busy_timeout")
            )
        }
        #expect(journal == "wal")
        #expect(synchronous == 2)  // FULL
        #expect(foreignKeys == 1)
        #expect(busyTimeout == 5000)
        #expect(try await store.dbWriter.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")

        let normal = try SQLiteStore(path: directory.appendingPathComponent("normal.sqlite").path, synchronous: .normal)
        #expect(try await normal.dbWriter.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 1)
    }

    @Test func concurrentCommitsAllLand() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: databasePath(in: directory))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    let id = "c\(index)"
                    var record = conversation(id, phase: index.isMultiple(of: 5) ? .closed : .bot)
                    record.lastSeq = 3
                    try await store.commit([
                        .conversation(record),
                        .message(message(id, 1, clientID: "k\(index)")), .message(message(id, 2)), .message(message(id, 3)),
                    ])
                }
            }
            try await group.waitForAll()
        }
        let stats = try await store.stats()
        #expect(stats.conversations == 50)
        #expect(stats.messages == 150)
        #expect(stats.byPhase == [.closed: 10, .bot: 40])
        for index in 0..<50 {
            #expect(try await store.messages(conversation: "c\(index)", after: 0).map(\.seq) == [1, 2, 3])
        }
    }

    @Test func stats() async throws {
        let store = try SQLiteStore.inMemory()
        #expect(try await store.stats() == StoreStats(conversations: 0, byPhase: [:], byOutcome: [:], messages: 0, openUnanswered: 0))

        var answered = conversation("a", phase: .closed)
        answered.outcome = .answered
        var referred = conversation("b", phase: .closed)
        referred.outcome = .referred
        var alsoAnswered = conversation("c", phase: .bot)
        alsoAnswered.outcome = .answered
        try await store.commit([
            .conversation(answered), .conversation(referred), .conversation(alsoAnswered),
            .conversation(conversation("d", phase: .queued)),
            .message(message("a", 1)), .message(message("a", 2)), .message(message("d", 1)),
            .unanswered(unanswered("d", 1)),
        ])
        #expect(try await store.stats() == StoreStats(
            conversations: 4,
            byPhase: [.closed: 2, .bot: 1, .queued: 1],
            byOutcome: [.answered: 2, .referred: 1],
            messages: 3,
            openUnanswered: 1))
    }
}

/// `baken report` reads the conversations that started in a period, with their referrals.
@Suite struct ReportQueryTests {
    @Test func onlyConversationsOfThePeriodAndTheirReferrals() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: databasePath(in: directory))
        let day: TimeInterval = 24 * 3600
        let before = conversation("before", createdAt: date(-1))
        let first = conversation("first", createdAt: date(0))
        let last = conversation("last", createdAt: date(day - 0.001))
        let after = conversation("after", createdAt: date(day))
        let referral = ReferralRecord(
            id: "r_1", conversation: "first", partner: "taalhuis", status: .delivered, requestedBy: "bot", createdAt: date(), updatedAt: date())
        let outside = ReferralRecord(
            id: "r_2", conversation: "after", partner: "taalhuis", status: .delivered, requestedBy: "bot", createdAt: date(), updatedAt: date())
        try await store.commit([.conversation(before), .conversation(first), .conversation(last), .conversation(after), .referral(referral), .referral(outside)])
        let found = try await store.conversations(from: date(0), to: date(day))
        #expect(found.conversations.map(\.id) == ["first", "last"])
        #expect(found.referrals.map(\.id) == ["r_1"])
    }
}

/// Retention: personal data past its period is erased; the anonymous facts stay for the reports.
@Suite struct RetentionTests {
    @Test func aPurgeErasesOnlyWhatIsPastItsPeriod() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = databasePath(in: directory)
        let store = try SQLiteStore(path: path)
        let day: TimeInterval = 24 * 3600
        let now = date(100 * day)
        var old = conversation("old", phase: .closed, createdAt: date(60 * day))
        old.outcome = .answered
        old.lastIntent = "digid"
        let recent = conversation("recent", phase: .closed, createdAt: date(90 * day))
        let open = conversation("open", phase: .bot, createdAt: date(90 * day))  // open and recent: kept
        let abandoned = conversation("abandoned", phase: .bot, createdAt: date(10 * day))  // left open by a restart 90 days ago
        var oldMessage = message("old", 1, clientID: "1")
        oldMessage.text = "mijn telefoonnummer is 0612345678"
        let ticketOld = TicketRecord(conversation: "old", name: "Jan", contact: "0612345678", location: nil, topic: "digid", createdAt: date(5 * day))
        let ticketNew = TicketRecord(conversation: "recent", name: "Piet", contact: "piet@example.nl", location: nil, topic: "digid", createdAt: date(90 * day))
        let delivered = ReferralRecord(
            id: "r_old", conversation: "old", partner: "taalhuis", status: .delivered, fields: ["first_name": "Jan", "contact": "0612345678"],
            requestedBy: "bot", createdAt: date(5 * day), updatedAt: date(5 * day))
        let queued = ReferralRecord(
            id: "r_queued", conversation: "old", partner: "taalhuis", status: .queued, fields: ["first_name": "Jan"], requestedBy: "bot",
            createdAt: date(95 * day), updatedAt: date(95 * day))
        let pending = ReferralRecord(
            id: "r_pending", conversation: "old", partner: "taalhuis", status: .pendingConsent, fields: ["summary": "mijn schulden"],
            requestedBy: "bot", createdAt: date(5 * day), updatedAt: date(5 * day))
        let event = OutboxRecord(
            id: "e_1", referral: "r_old", partner: "taalhuis", payload: #"{"fields":{"first_name":"Jan"}}"#, status: .delivered, attempts: 1,
            nextAttemptAt: date(5 * day), createdAt: date(5 * day))
        try await store.commit([
            .conversation(old), .conversation(recent), .conversation(open), .conversation(abandoned), .message(oldMessage),
            .message(message("recent", 1)), .message(message("open", 1)), .message(message("abandoned", 1)), .unanswered(unanswered("old", 1)),
            .ticket(ticketOld), .ticket(ticketNew), .referral(delivered), .referral(queued), .referral(pending), .outbox(event),
        ])

        let report = try await store.purge(RetentionPolicy(), now: now)
        #expect(report.conversations == 2 && report.messages == 2 && report.tickets == 1 && report.referrals == 2)
        // The unanswered question was written at date(1): older than 30 days.
        #expect(report.unanswered == 1)

        #expect(try await store.messages(conversation: "old", after: 0).isEmpty)
        #expect(try await store.messages(conversation: "recent", after: 0).count == 1)
        #expect(try await store.messages(conversation: "open", after: 0).count == 1, "a recent open conversation is kept")
        #expect(try await store.messages(conversation: "abandoned", after: 0).isEmpty, "one left open for the whole period is purged")
        #expect(try await store.conversation(id: "abandoned")?.outcome == .unresolved)
        #expect(try await store.conversation(sessionHash: "hash-old") == nil, "the session token no longer resumes")
        let kept = try #require(try await store.conversation(id: "old"))
        #expect(kept.outcome == .answered && kept.lastIntent == "digid", "the report still counts it")
        #expect(try await store.tickets().map(\.name) == ["Piet"])
        #expect(try await store.referral(id: "r_old")?.fields == [:])
        #expect(try await store.referral(id: "r_queued")?.fields == ["first_name": "Jan"], "a recent referral keeps its fields")
        #expect(try await store.referral(id: "r_pending")?.fields == [:], "one never consented to is erased after the period too")
        #expect(try await store.events(referral: "r_old").first?.payload == "{}")

        // Nothing of the erased texts is left in the file.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.range(of: Data("0612345678".utf8)) == nil)
        #expect(try await store.purge(RetentionPolicy(), now: now).isEmpty, "a second purge finds nothing")
    }
}

extension ReportQueryTests {
    /// Feedback carries the topic of the reply it is about, or the conversation's last topic
    /// once the reply was purged.
    @Test func feedbackCarriesTheTopicOfItsReply() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: databasePath(in: directory))
        var record = conversation("c", createdAt: date(0))
        record.lastIntent = "toeslagen"
        var reply = message("c", 2)
        reply.payload = #"{"type":"reply","seq":2,"intent":"digid_inloggen"}"#
        try await store.commit([
            .conversation(record), .message(reply),
            .feedback(FeedbackRecord(conversation: "c", seq: 2, helpful: true, createdAt: date(1))),
            .feedback(FeedbackRecord(conversation: "c", seq: 9, helpful: false, createdAt: date(2))),
        ])
        let found = try await store.feedback(from: date(-1), to: date(10))
        #expect(Set(found.map { "\($0.topic ?? "-") \($0.helpful)" }) == ["digid_inloggen true", "toeslagen false"])
    }
}

/// The offered option ids are stored as a JSON array; the fast path and JSONDecoder agree.
@Suite struct OfferedColumnTests {
    @Test(arguments: [[], ["digid_inloggen/wachtwoord_vergeten", "handoff"], ["a \"quoted\" id", "back\\slash", "é"]])
    func writtenArraysReadBackTheSame(ids: [String]) throws {
        let text = JSONWriter.array(ids)
        #expect(ConversationRecord.strings(fromJSON: text) == ids)
        #expect(try JSONDecoder().decode([String].self, from: Data(text.utf8)) == ids, "valid JSON: \(text)")
    }

    @Test func arraysWrittenByTheOldEncoderStillRead() {
        #expect(ConversationRecord.strings(fromJSON: #"["digid_inloggen\/wachtwoord","handoff"]"#) == ["digid_inloggen/wachtwoord", "handoff"])
        #expect(ConversationRecord.strings(fromJSON: #"["a", "b"]"#) == ["a", "b"])
    }
}
