import Synchronization

/// A queue of received lines with one waiter at a time and a timeout, shared by the test
/// clients. A timed-out wait throws instead of hanging the test.
final class Inbox: Sendable {
    /// What a transport received.
    enum Item: Sendable {
        case text(String)
        case binary
    }

    private struct State {
        var items: [Item] = []
        var finished = false
        var waiter: (token: Int, continuation: CheckedContinuation<Item?, any Error>)?
        var lastToken = 0
        var expiredUpTo = 0
    }

    private let state = Mutex(State())

    /// Adds a received item, handing it to the waiter if there is one.
    func push(_ item: Item) {
        let waiter = state.withLock { state -> CheckedContinuation<Item?, any Error>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter.continuation
            }
            state.items.append(item)
            return nil
        }
        waiter?.resume(returning: item)
    }

    /// Marks the end of the stream: once the queue is empty, waits return nil.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Item?, any Error>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        waiter?.resume(returning: nil)
    }

    /// Whether the stream ended and everything was read.
    var isDrained: Bool { state.withLock { $0.finished && $0.items.isEmpty } }

    /// The next item, nil at the end of the stream; throws ``TestClientError/timeout(_:)``.
    func next(timeout: Duration) async throws -> Item? {
        let token = state.withLock { state in
            state.lastToken += 1
            return state.lastToken
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            self.expire(token, after: timeout)
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Item?, any Error>? in
                if !state.items.isEmpty { return .success(state.items.removeFirst()) }
                if state.finished { return .success(nil) }
                if token <= state.expiredUpTo { return .failure(TestClientError.timeout(timeout)) }
                state.waiter = (token, continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    private func expire(_ token: Int, after timeout: Duration) {
        let waiter = state.withLock { state -> CheckedContinuation<Item?, any Error>? in
            state.expiredUpTo = max(state.expiredUpTo, token)
            guard let waiter = state.waiter, waiter.token == token else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(throwing: TestClientError.timeout(timeout))
    }
}
