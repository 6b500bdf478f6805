import Foundation

/// Encoding and decoding of the protocol's JSON objects for tests.
public enum JSONLine {
    /// The object as compact JSON bytes (no newline).
    public static func encode(_ object: [String: Any]) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Array(data)
    }

    /// Parses one line as a JSON object, or throws ``TestClientError/notJSON(_:)``.
    public static func decode(_ line: String) throws -> [String: Any] {
        guard let data = line.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any]
        else { throw TestClientError.notJSON(line) }
        return object
    }

    /// Reads items from an inbox until a JSON object arrives.
    static func next(from inbox: Inbox, timeout: Duration) async throws -> [String: Any] {
        switch try await inbox.next(timeout: timeout) {
        case .text(let line): return try decode(line)
        case .binary: throw TestClientError.binaryMessage
        case nil: throw TestClientError.closed
        }
    }

    /// Waits for the end of the stream; throws if a message arrives first.
    static func waitForClose(_ inbox: Inbox, timeout: Duration) async throws {
        switch try await inbox.next(timeout: timeout) {
        case nil: return
        case .text(let line): throw TestClientError.unexpectedMessage(line)
        case .binary: throw TestClientError.unexpectedMessage("(binary)")
        }
    }
}
