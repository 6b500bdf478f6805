import BakenDesk
import BakenEngine
import Foundation
import Testing

/// What every ``ConversationStore`` must do, run against each store of ``StoreKind/all``
/// (SQLite, and PostgreSQL when `BAKEN_TEST_POSTGRES` is set): one suite, so the two cannot drift.
@Suite struct StoreContractTests {
    @Test(arguments: StoreKind.all) func batchIsAtomic(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
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
            await #expect(throws: (any Error).self) { try await store.commit(failing) }

            #expect(try await store.conversation(id: "c1") == first)
            #expect(try await store.conversation(id: "c2") == nil)
            #expect(try await store.messages(conversation: "c1", after: 0).map(\.seq) == [1, 2])
            #expect(try await store.messages(conversation: "c2", after: 0).isEmpty)
            #expect(try await store.unanswered(limit: 10).isEmpty)
            #expect(try await store.feedback(from: .distantPast, to: .distantFuture).isEmpty)

            // The store is still usable after the failed batch.
            try await store.commit([.conversation(updated), .message(message("c1", 3))])
            #expect(try await store.conversation(id: "c1") == updated)
        }
    }

    /// A group commit of many turns: several records of one conversation (the last is its
    /// state) and more messages than one statement takes, all stored.
    @Test(arguments: StoreKind.all) func aLargeGroupLandsWholeWithTheLastRecordOfEachConversation(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            var writes: [StoreWrite] = []
            var record = conversation("big")
            for seq in 1...2_500 {
                record.lastSeq = seq
                writes += [.conversation(record), .message(message("big", seq, clientID: seq.isMultiple(of: 3) ? "k\(seq)" : nil))]
            }
            writes += [.conversation(conversation("small")), .message(message("small", 1))]
            try await store.commit(writes)
            #expect(try await store.conversation(id: "big")?.lastSeq == 2_500)
            #expect(try await store.messages(conversation: "big", after: 0).map(\.seq) == Array(1...2_500))
            #expect(try await store.clientIDs(conversation: "big").count == 833)
            #expect(try await store.messages(conversation: "small", after: 0).count == 1)
        }
    }

    @Test(arguments: StoreKind.all) func conversationUpsertRoundTripsEveryField(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
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
            changed.queuedAt = date(120)
            changed.staff = "anna"
            changed.firstAnswered = false
            changed.waitedSeconds = 93.5
            changed.leftQueue = true
            changed.fallbackGiven = true
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
    }

    @Test(arguments: StoreKind.all) func arbitraryDatesRoundTripWithinAMicrosecond(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let now = Date()
            try await store.commit([.conversation(conversation("c1", createdAt: now))])
            let stored = try #require(try await store.conversation(id: "c1"))
            #expect(abs(stored.createdAt.timeIntervalSince(now)) < 0.000_001)
        }
    }

    @Test(arguments: StoreKind.all) func sessionHashIsUnique(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            try await store.commit([.conversation(conversation("c1"))])
            var other = conversation("c2")
            other.sessionHash = "hash-c1"
            await #expect(throws: (any Error).self) { try await store.commit([.conversation(other)]) }
            #expect(try await store.conversation(id: "c2") == nil)
        }
    }

    @Test(arguments: StoreKind.all) func messagesAfterAreInSeqOrderStrictlyAfter(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
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
    }

    @Test(arguments: StoreKind.all) func clientIDs(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
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
            await #expect(throws: (any Error).self) {
                try await store.commit([.message(message("c1", 5, clientID: "k2"))])
            }
            #expect(try await store.messages(conversation: "c1", after: 0).count == 4)
        }
    }

    @Test(arguments: StoreKind.all) func openConversationsExcludeClosed(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
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
    }

    @Test(arguments: StoreKind.all) func unansweredNewestFirstWithLimit(kind: StoreKind) async throws {
        try await kind.withStore { store, execute in
            try await store.commit([.conversation(conversation("c1")), .unanswered(unanswered("c1", 1))])
            try await store.commit([.unanswered(unanswered("c1", 2, reason: .clarify)), .unanswered(unanswered("c1", 3, reason: .outOfScope))])
            try await store.commit([.unanswered(unanswered("c1", 4, reason: .notHelpful))])

            #expect(try await store.unanswered(limit: 2) == [unanswered("c1", 4, reason: .notHelpful), unanswered("c1", 3, reason: .outOfScope)])
            #expect(try await store.unanswered(limit: 10).map(\.seq) == [4, 3, 2, 1])
            #expect(try await store.unanswered(limit: 0).isEmpty)

            // Handled questions leave the inbox.
            try await execute("UPDATE unanswered SET status = 'done' WHERE seq = 4")
            #expect(try await store.unanswered(limit: 2).map(\.seq) == [3, 2])
        }
    }

    @Test(arguments: StoreKind.all) func feedbackReplacesEarlierFeedback(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            try await store.commit([
                .conversation(conversation("c1")),
                .feedback(FeedbackRecord(conversation: "c1", seq: 2, helpful: true, createdAt: date(1))),
            ])
            try await store.commit([.feedback(FeedbackRecord(conversation: "c1", seq: 2, helpful: false, createdAt: date(2)))])
            let rows = try await store.feedback(from: .distantPast, to: .distantFuture)
            #expect(rows.map(\.helpful) == [false])
        }
    }

    @Test(arguments: StoreKind.all) func writesOfABatchMayComeInAnyOrder(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            // Foreign keys are checked at commit: a message may precede its new conversation.
            try await store.commit([.message(message("c1", 1)), .conversation(conversation("c1"))])
            #expect(try await store.messages(conversation: "c1", after: 0).count == 1)
            // But a write for an unknown conversation fails the batch.
            await #expect(throws: (any Error).self) { try await store.commit([.message(message("ghost", 1))]) }
            await #expect(throws: (any Error).self) { try await store.commit([.unanswered(unanswered("ghost", 1))]) }
        }
    }

    @Test(arguments: StoreKind.all) func concurrentCommitsAllLand(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
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
            #expect(try await store.openConversations().count == 40)
            for index in 0..<50 {
                #expect(try await store.messages(conversation: "c\(index)", after: 0).map(\.seq) == [1, 2, 3])
                #expect(try await store.clientIDs(conversation: "c\(index)") == ["k\(index)": 1])
            }
        }
    }

    /// Staff, call-back requests, referrals, webhook events and their attempts round-trip.
    @Test(arguments: StoreKind.all) func staffTicketsReferralsAndWebhookEvents(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let anna = StaffRecord(name: "anna", role: .coordinator, locations: ["schagen", "den-helder"], tokenHash: "t1", createdAt: date())
            let bob = StaffRecord(name: "bob", role: .volunteer, locations: [], tokenHash: "t2", createdAt: date(1))
            let ticket = TicketRecord(conversation: "c1", name: "Jan", contact: "06 1234", location: "schagen", topic: "digid", createdAt: date())
            let referral = ReferralRecord(
                id: "r_1", conversation: "c1", partner: "taalhuis", status: .queued, fields: ["first_name": "Jan", "note": "a/b \"c\""],
                requestedBy: "bot", createdAt: date(), updatedAt: date(5))
            let due = OutboxRecord(id: "e_1", referral: "r_1", partner: "taalhuis", payload: #"{"a":1}"#, nextAttemptAt: date(10), createdAt: date(1))
            let later = OutboxRecord(id: "e_2", referral: "r_1", partner: "schuldhulp", payload: "{}", nextAttemptAt: date(100), createdAt: date(2))
            try await store.commit([
                .conversation(conversation("c1")), .staff(bob), .staff(anna), .ticket(ticket), .referral(referral), .outbox(due), .outbox(later),
                .attempt(DeliveryAttemptRecord(event: "e_1", attempt: 1, statusCode: 503, latencyMilliseconds: 12, error: "busy", at: date(3))),
                .attempt(DeliveryAttemptRecord(event: "e_1", attempt: 2, statusCode: nil, latencyMilliseconds: 5000, error: nil, at: date(4))),
            ])
            #expect(try await store.staffMembers() == [anna, bob])
            var revoked = bob
            revoked.revoked = true
            try await store.commit([.staff(revoked)])
            #expect(try await store.staffMembers().last?.revoked == true)

            let stored = try await store.tickets()
            #expect(stored.count == 1 && stored[0].name == "Jan" && stored[0].id != nil)
            var handled = stored[0]
            handled.status = "done"
            try await store.commit([.ticket(handled)])
            #expect(try await store.tickets() == [handled], "a handled request is updated, not added")

            #expect(try await store.referral(id: "r_1") == referral)
            #expect(try await store.referrals(status: .queued) == [referral])
            #expect(try await store.referrals(status: .delivered).isEmpty)
            #expect(try await store.events(referral: "r_1").map(\.id) == ["e_1", "e_2"])
            #expect(try await store.attempts(event: "e_1").map(\.attempt) == [1, 2])
            #expect(try await store.attempts(event: "e_1").first?.statusCode == 503)

            var delivered = due
            delivered.status = .delivered
            delivered.attempts = 3
            try await store.commit([.outbox(delivered)])
            #expect(try await store.claimDueEvents(.otherThan([]), now: date(50), until: date(60), limit: 10).isEmpty)
            #expect(try await store.events(referral: "r_1").first == delivered)
        }
    }

    /// Webhook events are claimed for delivery: a claimed event is not due again until its lease
    /// ends, two claims at once never get the same event, and a partner's filter holds.
    @Test(arguments: StoreKind.all) func dueWebhookEventsAreClaimedOnce(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let referral = ReferralRecord(id: "r_1", conversation: "c1", partner: "taalhuis", status: .queued, requestedBy: "bot", createdAt: date(), updatedAt: date())
            var writes: [StoreWrite] = [.conversation(conversation("c1")), .referral(referral)]
            for index in 0..<40 {
                writes.append(.outbox(OutboxRecord(
                    id: String(format: "e_%02d", index), referral: "r_1", partner: index < 30 ? "taalhuis" : "schuldhulp", payload: "{}",
                    nextAttemptAt: date(Double(index % 5)), createdAt: date(Double(index)))))
            }
            writes.append(.outbox(OutboxRecord(id: "e_later", referral: "r_1", partner: "taalhuis", payload: "{}", nextAttemptAt: date(500), createdAt: date())))
            try await store.commit(writes)

            // Four workers at once: 30 taalhuis events, each taken exactly once.
            let claimed = try await withThrowingTaskGroup(of: [OutboxRecord].self) { group in
                for _ in 0..<4 { group.addTask { try await store.claimDueEvents(.partner("taalhuis"), now: date(100), until: date(220), limit: 9) } }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claimed.count == 30)
            #expect(Set(claimed.map(\.id)).count == 30, "no event claimed twice")
            #expect(claimed.allSatisfy { $0.partner == "taalhuis" && $0.nextAttemptAt == date(220) })
            #expect(try await store.claimDueEvents(.partner("taalhuis"), now: date(200), until: date(300), limit: 50).isEmpty, "leased until 220")

            let others = try await store.claimDueEvents(.otherThan(["taalhuis"]), now: date(100), until: date(220), limit: 4)
            #expect(others.map(\.id) == ["e_30", "e_31", "e_32", "e_33"], "oldest first, only other partners")
            // The lease ends: not recorded (the node died), so the events are due again.
            let again = try await store.claimDueEvents(.partner("taalhuis"), now: date(221), until: date(1000), limit: 50)
            #expect(again.count == 30)
            #expect(try await store.claimDueEvents(.partner("taalhuis"), now: date(600), until: date(700), limit: 50).map(\.id) == ["e_later"])
        }
    }

    /// `baken report` reads the conversations that started in a period, with their referrals.
    @Test(arguments: StoreKind.all) func reportReadsOnlyConversationsOfThePeriodAndTheirReferrals(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let day: TimeInterval = 24 * 3600
            let before = conversation("before", createdAt: date(-1))
            var first = conversation("first", createdAt: date(0))
            first.handedOff = true
            first.queuedAt = date(5)
            first.waitedSeconds = 42
            first.firstAnswered = true
            let last = conversation("last", createdAt: date(day - 0.001))
            let after = conversation("after", createdAt: date(day))
            let referral = ReferralRecord(
                id: "r_1", conversation: "first", partner: "taalhuis", status: .delivered, requestedBy: "bot", createdAt: date(), updatedAt: date())
            let outside = ReferralRecord(
                id: "r_2", conversation: "after", partner: "taalhuis", status: .delivered, requestedBy: "bot", createdAt: date(), updatedAt: date())
            try await store.commit([
                .conversation(before), .conversation(first), .conversation(last), .conversation(after), .referral(referral), .referral(outside),
            ])
            let found = try await store.conversations(from: date(0), to: date(day))
            #expect(found.conversations.map(\.id) == ["first", "last"])
            #expect(found.conversations.first?.waitedSeconds == 42 && found.conversations.first?.queuedAt == date(5))
            #expect(found.conversations.first?.firstAnswered == true && found.conversations.first?.handedOff == true)
            #expect(found.referrals.map(\.id) == ["r_1"])
        }
    }

    /// Feedback carries the topic of the reply it is about, or the conversation's last topic
    /// once the reply was purged.
    @Test(arguments: StoreKind.all) func feedbackCarriesTheTopicOfItsReply(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
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

    /// Retention: personal data past its period is erased; the anonymous facts stay for the reports.
    @Test(arguments: StoreKind.all) func aPurgeErasesOnlyWhatIsPastItsPeriod(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let day: TimeInterval = 24 * 3600
            let now = date(100 * day)
            try await store.commit(RetentionFixture.writes(day: day))

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
            #expect(try await store.purge(RetentionPolicy(), now: now).isEmpty, "a second purge finds nothing")
        }
    }
}

/// The records of the retention tests: conversations, messages, tickets and referrals of several ages.
enum RetentionFixture {
    static func writes(day: TimeInterval) -> [StoreWrite] {
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
        return [
            .conversation(old), .conversation(recent), .conversation(open), .conversation(abandoned), .message(oldMessage),
            .message(message("recent", 1)), .message(message("open", 1)), .message(message("abandoned", 1)), .unanswered(unanswered("old", 1)),
            .ticket(ticketOld), .ticket(ticketNew), .referral(delivered), .referral(queued), .referral(pending), .outbox(event),
        ]
    }
}
