import Foundation
import Synchronization
import Testing

@testable import BakenDesk

/// A store whose commits can be held at a gate and made to fail; reads go to a `MemoryStore`.
final class GatedStore: ConversationStore {
    let inner = MemoryStore()
    /// Commits that contain a message of this seq fail.
    let failingSeq = Mutex<Int?>(nil)
    /// While set, every commit fails as if the database could not be reached.
    let unreachable = Atomic<Bool>(false)
    /// While set, a commit containing this seq waits until `open()`.
    private let gate = Mutex<(seq: Int, waiter: CheckedContinuation<Void, Never>?, open: Bool)?>(nil)
    let commitsStarted = Atomic<Int>(0)

    func hold(seq: Int) { gate.withLock { $0 = (seq, nil, false) } }
    func open() {
        let waiter = gate.withLock { gate -> CheckedContinuation<Void, Never>? in
            gate?.open = true
            defer { gate?.waiter = nil }
            return gate?.waiter
        }
        waiter?.resume()
    }

    private static func seqs(_ writes: [StoreWrite]) -> [Int] {
        writes.compactMap { if case .message(let message) = $0 { message.seq } else { nil } }
    }

    func commit(_ writes: [StoreWrite]) async throws {
        commitsStarted.add(1, ordering: .relaxed)
        let seqs = Self.seqs(writes)
        await withCheckedContinuation { continuation in
            let wait = gate.withLock { gate -> Bool in
                guard let held = gate, !held.open, seqs.contains(held.seq) else { return false }
                gate?.waiter = continuation
                return true
            }
            if !wait { continuation.resume() }
        }
        if unreachable.load(ordering: .relaxed) { throw Unreachable() }
        if let failing = failingSeq.withLock({ $0 }), seqs.contains(failing) { throw CocoaError(.fileWriteUnknown) }
        try await inner.commit(writes)
    }

    func conversation(sessionHash: String) async throws -> ConversationRecord? { try await inner.conversation(sessionHash: sessionHash) }
    func conversation(id: String) async throws -> ConversationRecord? { try await inner.conversation(id: id) }
    func messages(conversation: String, after: Int) async throws -> [MessageRecord] { try await inner.messages(conversation: conversation, after: after) }
    func clientIDs(conversation: String) async throws -> [String: Int] { try await inner.clientIDs(conversation: conversation) }
    func openConversations() async throws -> [ConversationRecord] { try await inner.openConversations() }
    func unanswered(limit: Int) async throws -> [UnansweredRecord] { try await inner.unanswered(limit: limit) }
    func staffMembers() async throws -> [StaffRecord] { try await inner.staffMembers() }
    func tickets() async throws -> [TicketRecord] { try await inner.tickets() }
    func referral(id: String) async throws -> ReferralRecord? { try await inner.referral(id: id) }
    func referrals(status: ReferralRecord.Status?) async throws -> [ReferralRecord] { try await inner.referrals(status: status) }
    func claimDueEvents(_ filter: OutboxFilter, now: Date, until: Date, limit: Int) async throws -> [OutboxRecord] {
        try await inner.claimDueEvents(filter, now: now, until: until, limit: limit)
    }
    func events(referral: String) async throws -> [OutboxRecord] { try await inner.events(referral: referral) }
    func attempts(event: String) async throws -> [DeliveryAttemptRecord] { try await inner.attempts(event: event) }
}

struct Unreachable: StoreUnreachable {}

private func message(_ conversation: String, _ seq: Int) -> StoreWrite {
    .message(MessageRecord(conversation: conversation, seq: seq, type: "ack", role: .resident, text: "t", payload: "{}", createdAt: Date(timeIntervalSince1970: 0)))
}

@Suite struct CommitQueueTests {
    /// Batch 1 of conversation "a" fails while batch 2 of "a" waits for the next round: batch 2
    /// must fail too (it would leave a gap in seq), while a batch of "b" in the same round commits.
    @Test func aLaterBatchOfAFailedConversationFailsInTheNextRound() async throws {
        let store = GatedStore()
        store.hold(seq: 1)
        store.failingSeq.withLock { $0 = 1 }
        let queue = CommitQueue(store: store)

        let first = queue.enqueue([message("a", 1)])
        let firstResult = Task { try await queue.wait(first) }
        while store.commitsStarted.load(ordering: .relaxed) == 0 { await Task.yield() }
        // Round one holds batch 1 at the gate; these two are left for round two.
        let second = queue.enqueue([message("a", 2)])
        let other = queue.enqueue([message("b", 3)])  // seq 3: only seq 1 fails
        let secondResult = Task { try await queue.wait(second) }
        let otherResult = Task { try await queue.wait(other) }
        store.open()

        await #expect(throws: (any Error).self) { try await firstResult.value }
        await #expect(throws: CommitError.earlierBatchFailed) { try await secondResult.value }
        try await otherResult.value
        #expect(try await store.messages(conversation: "a", after: 0).isEmpty, "no seq 2 without seq 1")
        #expect(try await store.messages(conversation: "b", after: 0).map(\.seq) == [3])
    }

    /// The database is down: a group of batches fails with one attempt, not one per batch (each
    /// attempt may wait seconds for a connection), and every conversation in it is marked failed.
    @Test func anUnreachableDatabaseFailsTheWholeGroupAtOnce() async throws {
        let store = GatedStore()
        store.hold(seq: 1)
        let queue = CommitQueue(store: store)
        let first = Task { try await queue.wait(queue.enqueue([message("a", 1)])) }
        while store.commitsStarted.load(ordering: .relaxed) == 0 { await Task.yield() }
        // Round two: three conversations in one group.
        let tickets = ["b", "c", "d"].map { queue.enqueue([message($0, 1)]) }
        let waits = tickets.map { ticket in Task { try await queue.wait(ticket) } }
        store.unreachable.store(true, ordering: .relaxed)
        store.open()
        await #expect(throws: Unreachable.self) { try await first.value }
        for wait in waits { await #expect(throws: Unreachable.self) { try await wait.value } }
        #expect(store.commitsStarted.load(ordering: .relaxed) == 2, "one attempt per round, no retry batch by batch")
        // Later batches of those conversations fail until they are reloaded (no seq gap).
        store.unreachable.store(false, ordering: .relaxed)
        await #expect(throws: CommitError.earlierBatchFailed) { try await queue.wait(queue.enqueue([message("c", 2)])) }
    }

    /// Once the desk has reloaded the conversation from the store, its new batches commit again.
    @Test func reopeningLetsNewBatchesCommit() async throws {
        let store = GatedStore()
        store.failingSeq.withLock { $0 = 1 }
        let queue = CommitQueue(store: store)
        await #expect(throws: (any Error).self) { try await queue.wait(queue.enqueue([message("a", 1)])) }
        let stale = queue.enqueue([message("a", 2)])
        queue.reopen("a")
        store.failingSeq.withLock { $0 = nil }
        await #expect(throws: CommitError.earlierBatchFailed) { try await queue.wait(stale) }
        try await queue.wait(queue.enqueue([message("a", 1)]))
        #expect(try await store.messages(conversation: "a", after: 0).map(\.seq) == [1])
    }
}

@Suite struct DurationTests {
    /// The reply timer recorded only the fraction of a second; whole seconds count too.
    @Test func nanosecondsIncludeWholeSeconds() {
        #expect((Duration.seconds(2) + .milliseconds(5)).nanoseconds == 2_005_000_000)
        #expect(Duration.microseconds(7).nanoseconds == 7_000)
    }
}
