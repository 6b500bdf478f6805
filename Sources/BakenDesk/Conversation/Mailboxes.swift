/// One mailbox per conversation: a conversation's resident messages are stepped one at a time,
/// in the order they arrived, while the steps of different conversations overlap (their
/// answers are computed off the desk's executor, on every core).
///
/// A value with no I/O beyond resuming the waiter it hands the turn to; the desk holds it.
struct Mailboxes {
    /// Conversations with a step running, each with the steps waiting behind it, oldest first.
    private var busy: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Takes conversation `id`'s turn if no step of it runs; false if the caller must ``wait``.
    mutating func enter(_ id: String) -> Bool {
        guard busy[id] == nil else { return false }
        busy[id] = []
        return true
    }

    /// Queues a step behind the running one; it is resumed holding the turn.
    mutating func wait(_ id: String, _ continuation: CheckedContinuation<Void, Never>) {
        busy[id, default: []].append(continuation)
    }

    /// Ends the running step of `id`: returns the waiter that holds the turn now (resume it),
    /// or nil when none waits and the mailbox is free.
    mutating func leave(_ id: String) -> CheckedContinuation<Void, Never>? {
        guard var waiting = busy[id] else { return nil }
        guard !waiting.isEmpty else {
            busy[id] = nil
            return nil
        }
        let next = waiting.removeFirst()
        busy[id] = waiting
        return next
    }

    /// How many steps of `id` wait behind its running one.
    func waiting(_ id: String) -> Int { busy[id]?.count ?? 0 }
}
