import Synchronization

/// Group commit: batches enqueued in order are written together, in order, by whichever
/// caller gets there first; each caller waits until its own batch is durable.
///
/// When a batch of a conversation fails, every later batch of that conversation fails too —
/// its seqs continue from messages that were not stored — until the conversation is reloaded
/// from the store (`reopen`). So a conversation's stored seqs never have a gap.
///
/// ```swift
/// let ticket = queue.enqueue(writes)   // synchronous: call order = commit order
/// try await queue.wait(ticket)         // returns once the batch is committed
/// ```
public final class CommitQueue: Sendable {
    /// Identifies one enqueued batch.
    public struct Ticket: Sendable, Hashable {
        let number: Int
    }

    private struct State {
        var pending: [(number: Int, writes: [StoreWrite])] = []
        var results: [Int: Result<Void, any Error>] = [:]
        var next = 0
        var leading = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var batches = 0
        /// Conversations whose batch `failed` did not commit; batches after it fail up to and
        /// including `reopened` (the last ticket handed out before the conversation was reloaded).
        var failures: [String: (failed: Int, reopened: Int?)] = [:]

        func blocked(_ number: Int, _ conversations: Set<String>) -> Bool {
            conversations.contains { conversation in
                guard let failure = failures[conversation], number > failure.failed else { return false }
                return failure.reopened.map { number <= $0 } ?? true
            }
        }
    }

    private let store: any ConversationStore
    private let state = Mutex(State())

    /// Creates a queue in front of a store.
    public init(store: any ConversationStore) { self.store = store }

    /// How many transactions were written (for metrics and benchmarks).
    public var transactionCount: Int { state.withLock { $0.batches } }

    /// Adds a batch; batches are committed in the order they were enqueued.
    public func enqueue(_ writes: [StoreWrite]) -> Ticket {
        state.withLock { state in
            state.next += 1
            state.pending.append((state.next, writes))
            return Ticket(number: state.next)
        }
    }

    /// The conversation was reloaded from the store: batches enqueued from now on may commit
    /// again (those enqueued before still fail).
    public func reopen(_ conversation: String) {
        state.withLock { state in
            if state.failures[conversation] != nil { state.failures[conversation]!.reopened = state.next }
        }
    }

    /// Waits until the batch of `ticket` is committed; throws its error if the commit failed.
    public func wait(_ ticket: Ticket) async throws {
        while true {
            enum Step {
                case done(Result<Void, any Error>)
                case lead([(number: Int, writes: [StoreWrite])])
                case follow
            }
            let step: Step = state.withLock { state in
                if let result = state.results.removeValue(forKey: ticket.number) { return .done(result) }
                if state.leading { return .follow }
                state.leading = true
                let batch = state.pending
                state.pending = []
                return .lead(batch)
            }
            switch step {
            case .done(let result):
                return try result.get()
            case .lead(let batch):
                await commit(batch)
            case .follow:
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLock { state in
                        if state.leading && state.results[ticket.number] == nil {
                            state.waiters.append(continuation)
                            return false
                        }
                        return true
                    }
                    if resumeNow { continuation.resume() }
                }
            }
        }
    }

    private static func conversations(in writes: [StoreWrite]) -> Set<String> {
        Set(
            writes.compactMap { write in
                switch write {
                case .conversation(let record): record.id
                case .message(let record): record.conversation
                default: nil
                }
            })
    }

    private func commit(_ pending: [(number: Int, writes: [StoreWrite])]) async {
        var results: [Int: Result<Void, any Error>] = [:]
        // Batches after a failed one of the same conversation fail without being written.
        let batch = state.withLock { state in
            if let first = pending.first?.number {
                // Entries whose reopened tickets are all behind us are done.
                state.failures = state.failures.filter { $0.value.reopened.map { $0 >= first } ?? true }
            }
            return pending.filter { item in
                guard state.blocked(item.number, Self.conversations(in: item.writes)) else { return true }
                results[item.number] = .failure(CommitError.earlierBatchFailed)
                return false
            }
        }
        if !batch.isEmpty {
            do {
                try await store.commit(batch.flatMap(\.writes))
                for item in batch { results[item.number] = .success(()) }
            } catch let error as any StoreUnreachable {
                // The database cannot be reached: retrying batch by batch would only wait longer.
                for item in batch { results[item.number] = .failure(error) }
                recordFailures(batch)
            } catch {
                // One bad batch must not fail the others: retry them one by one. But a batch
                // that follows a failed one of the same conversation fails too — its seqs
                // continue from messages that were not stored.
                var failedConversations = Set<String>()
                for item in batch {
                    let conversations = Self.conversations(in: item.writes)
                    if !conversations.isDisjoint(with: failedConversations) {
                        results[item.number] = .failure(error)
                        continue
                    }
                    do {
                        try await store.commit(item.writes)
                        results[item.number] = .success(())
                    } catch {
                        results[item.number] = .failure(error)
                        failedConversations.formUnion(conversations)
                    }
                }
                let failed = results.filter { if case .failure = $0.value { true } else { false } }.keys
                recordFailures(batch.filter { failed.contains($0.number) })
            }
        }
        let waiters = state.withLock { state in
            state.batches += 1
            state.results.merge(results) { $1 }
            state.leading = false
            let waiters = state.waiters
            state.waiters = []
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

extension CommitQueue {
    /// Marks the conversations of failed batches, so their later batches fail too.
    private func recordFailures(_ failed: [(number: Int, writes: [StoreWrite])]) {
        state.withLock { state in
            for item in failed {
                for conversation in Self.conversations(in: item.writes) {
                    // Keep the first failure, unless the conversation was reopened since.
                    if let old = state.failures[conversation], old.reopened.map({ item.number <= $0 }) ?? true { continue }
                    state.failures[conversation] = (item.number, nil)
                }
            }
        }
    }
}

/// Why a batch was not written.
public enum CommitError: Error, Sendable, Equatable {
    /// An earlier batch of the same conversation failed; this one continues from it.
    case earlierBatchFailed
}
