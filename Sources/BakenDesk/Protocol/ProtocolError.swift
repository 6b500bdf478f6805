/// An error sent to a client as `{"type":"error","code":…,"message":…,"id"?:…}`.
///
/// Codes are stable strings listed in `docs/protocol.md`; the message is for people.
public struct ProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable wire code.
    public var code: String
    /// A human-readable explanation.
    public var message: String
    /// The client id of the message that caused it, if known.
    public var id: String?
    /// Whether the server closes the connection after sending it.
    public var closesConnection: Bool

    /// Creates an error.
    public init(code: String, message: String, id: String? = nil, closesConnection: Bool = false) {
        self.code = code
        self.message = message
        self.id = id
        self.closesConnection = closesConnection
    }

    public var description: String { "\(code): \(message)" }

    // MARK: - The codes

    public static func malformedJSON(_ detail: String) -> Self {
        .init(code: "malformed_json", message: "The message is not a JSON object: \(detail).")
    }
    public static func unknownType(_ type: String) -> Self {
        .init(code: "unknown_type", message: "Unknown message type '\(type)'. See docs/protocol.md.")
    }
    public static func missingField(_ field: String, type: String, id: String? = nil) -> Self {
        .init(code: "missing_field", message: "'\(type)' needs the field '\(field)'.", id: id)
    }
    public static func wrongType(_ field: String, expected: String, id: String? = nil) -> Self {
        .init(code: "wrong_type", message: "The field '\(field)' must be \(expected).", id: id)
    }
    public static let invalidID = Self(code: "invalid_id", message: "The id must be 1 to 100 characters.")
    public static let invalidUTF8 = Self(code: "invalid_utf8", message: "The message is not valid UTF-8 text.")
    public static func tooLarge(limit: Int) -> Self {
        .init(code: "too_large", message: "The message is larger than \(limit) bytes; the connection is closed.", closesConnection: true)
    }
    public static let binaryFrame = Self(code: "binary_frame", message: "Binary frames are not accepted; send JSON as text.")
    public static let unknownSession = Self(
        code: "unknown_session", message: "This session is unknown or has expired. Send 'hello' to start a new conversation.")
    public static let notStarted = Self(code: "not_started", message: "Send 'hello' or 'resume' first.")
    public static let alreadyStarted = Self(code: "already_started", message: "This connection already has a conversation.")
    public static func rateLimited(id: String? = nil) -> Self {
        .init(code: "rate_limited", message: "Too many messages. Wait a moment and try again.", id: id)
    }
    public static let tooManyConnections = Self(
        code: "too_many_connections", message: "Too many connections from your address.", closesConnection: true)
    public static let idleTimeout = Self(code: "idle_timeout", message: "The connection was idle too long and is closed.", closesConnection: true)
    public static let conversationClosed = Self(code: "conversation_closed", message: "This conversation has ended. Send 'hello' to start a new one.")
    public static func badOption(_ option: String, id: String? = nil) -> Self {
        .init(code: "unknown_option", message: "'\(option)' is not one of the options offered.", id: id)
    }
    public static func unknownSeq(_ seq: Int) -> Self {
        .init(code: "unknown_seq", message: "There is no reply with seq \(seq) in this conversation.")
    }
    public static func textTooLong(limit: Int, id: String?) -> Self {
        .init(code: "text_too_long", message: "The text is longer than \(limit) characters.", id: id)
    }
    public static let emptyText = Self(code: "empty_text", message: "The text is empty.")
    public static let replaced = Self(
        code: "replaced", message: "This conversation was resumed on another connection; this one is closed.", closesConnection: true)
    public static let shuttingDown = Self(
        code: "shutting_down", message: "The server is restarting. Reconnect in a moment and resume.", closesConnection: true)
    public static let storageFailure = Self(
        code: "storage_failure", message: "The message could not be saved. Please send it again.")
}
