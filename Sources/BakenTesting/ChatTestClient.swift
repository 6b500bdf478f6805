/// What the TCP and WebSocket test clients have in common, so one test can run over both.
public protocol ChatTestClient: Sendable {
    /// Sends one object as a JSON message.
    func send(_ json: [String: Any]) async throws
    /// Sends bytes as one message (a TCP line needs its own newline).
    func sendRaw(_ bytes: [UInt8])
    /// The next message as a JSON object; throws on timeout or close.
    func next(timeout: Duration?) async throws -> [String: Any]
    /// Closes the connection.
    func close() async
}

extension ChatTestClient {
    /// The next message with the client's default timeout.
    public func next() async throws -> [String: Any] { try await next(timeout: nil) }

    /// Sends `ping` and returns every message that came before the `pong`: proof that
    /// nothing else was pending.
    public func drain() async throws -> [[String: Any]] {
        try await send(["type": "ping"])
        var before: [[String: Any]] = []
        while true {
            let message = try await next()
            if message["type"] as? String == "pong" { return before }
            before.append(message)
        }
    }
}

extension LineTestClient: ChatTestClient {}
extension WebSocketTestClient: ChatTestClient {}
