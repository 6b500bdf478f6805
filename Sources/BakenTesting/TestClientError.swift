/// Why a test client could not give the next message.
public enum TestClientError: Error, Sendable, CustomStringConvertible {
    /// Nothing arrived within the timeout.
    case timeout(Duration)
    /// The server closed the connection (or the client was closed) before a message arrived.
    case closed
    /// A message arrived while the connection was expected to close.
    case unexpectedMessage(String)
    /// A message was not a JSON object.
    case notJSON(String)
    /// A binary WebSocket message arrived where JSON text was expected.
    case binaryMessage
    /// The client could not connect.
    case connectFailed(String)

    /// A short explanation for test failures.
    public var description: String {
        switch self {
        case .timeout(let duration): "no message within \(duration)"
        case .closed: "the connection is closed"
        case .unexpectedMessage(let line): "expected the connection to close, got \(line)"
        case .notJSON(let line): "not a JSON object: \(line)"
        case .binaryMessage: "a binary message arrived"
        case .connectFailed(let reason): "cannot connect: \(reason)"
        }
    }
}
