import Synchronization

/// Group commit: batches enqueued in order are written together, in order, by whichever
/// caller gets there first; each caller waits until its own batch is durable.
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

    private func commit(_ batch: [(number: Int, writes: [StoreWrite])]) async {
        var results: [Int: Result<Void, any Error>] = [:]
        if !batch.isEmpty {
            do {
                try await store.commit(batch.flatMap(\.writes))
                for item in batch { results[item.number] = .success(()) }
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
