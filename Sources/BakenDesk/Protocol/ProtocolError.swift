/// An error sent to a client as `{"type":"error","code":…,"message":…,"id"?:…}`.
///
/// Every wire code is declared once, in ``Code``; `docs/protocol.md` lists the same codes (a
/// test compares the two). The message is for people; the code is for programs.
public struct ProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable wire codes.
    public enum Code: String, CaseIterable, Sendable, Hashable {
        // Frames and fields
        case malformedJSON = "malformed_json"
        case unknownType = "unknown_type"
        case missingField = "missing_field"
        case wrongType = "wrong_type"
        case invalidID = "invalid_id"
        case invalidUTF8 = "invalid_utf8"
        case tooLarge = "too_large"
        case binaryFrame = "binary_frame"
        // Sessions and connections
        case notStarted = "not_started"
        case alreadyStarted = "already_started"
        case unknownSession = "unknown_session"
        case conversationClosed = "conversation_closed"
        case rateLimited = "rate_limited"
        case tooManyConnections = "too_many_connections"
        case idleTimeout = "idle_timeout"
        case replaced
        case shuttingDown = "shutting_down"
        case storageFailure = "storage_failure"
        // Resident messages
        case unknownOption = "unknown_option"
        case unknownSeq = "unknown_seq"
        case emptyText = "empty_text"
        case textTooLong = "text_too_long"
        case consentRequired = "consent_required"
        case callbackNotOffered = "callback_not_offered"
        case invalidCallback = "invalid_callback"
        case unknownReferral = "unknown_referral"
        // Staff channel
        case unauthorized
        case alreadyAuthenticated = "already_authenticated"
        case alreadyClaimed = "already_claimed"
        case notClaimed = "not_claimed"
        case notFound = "not_found"
        case unknownStaff = "unknown_staff"
        case unknownArticle = "unknown_article"
        case unknownPartner = "unknown_partner"
        case notAvailable = "not_available"
        case notPermitted = "not_permitted"
        case notWaiting = "not_waiting"
        case unknownTicket = "unknown_ticket"

        /// How a WebSocket close for this error is classed (the transport maps it to a close code).
        public var closeClass: CloseClass {
            switch self {
            case .tooLarge: .tooLarge
            case .idleTimeout, .shuttingDown: .goingAway
            case .tooManyConnections, .replaced, .unauthorized: .policyViolation
            default: .normal
            }
        }
    }

    /// The kinds of close a transport must tell apart.
    public enum CloseClass: Sendable, Hashable {
        case normal, tooLarge, goingAway, policyViolation
    }

    /// The error's code.
    public var kind: Code
    /// A human-readable explanation.
    public var message: String
    /// The client id of the message that caused it, if known.
    public var id: String?
    /// Whether the server closes the connection after sending it.
    public var closesConnection: Bool

    /// Creates an error.
    public init(_ kind: Code, _ message: String, id: String? = nil, closesConnection: Bool = false) {
        self.kind = kind
        self.message = message
        self.id = id
        self.closesConnection = closesConnection
    }

    /// The wire code.
    public var code: String { kind.rawValue }

    public var description: String { "\(code): \(message)" }

    /// The same error about the client message `id`.
    public func about(_ id: String?) -> Self {
        var copy = self
        copy.id = id
        return copy
    }

    /// The same error, closing the connection.
    public func closing() -> Self {
        var copy = self
        copy.closesConnection = true
        return copy
    }

    // MARK: - Frames and fields

    public static func malformedJSON(_ detail: String) -> Self {
        .init(.malformedJSON, "The message is not a JSON object: \(detail).")
    }
    public static func unknownType(_ type: String) -> Self {
        .init(.unknownType, "Unknown message type '\(type)'. See docs/protocol.md.")
    }
    public static func missingField(_ field: String, type: String, id: String? = nil) -> Self {
        .init(.missingField, "'\(type)' needs the field '\(field)'.", id: id)
    }
    public static func wrongType(_ field: String, expected: String, id: String? = nil) -> Self {
        .init(.wrongType, "The field '\(field)' must be \(expected).", id: id)
    }
    public static let invalidID = Self(.invalidID, "The id must be 1 to 100 characters.")
    public static let invalidUTF8 = Self(.invalidUTF8, "The message is not valid UTF-8 text.")
    public static func tooLarge(limit: Int) -> Self {
        .init(.tooLarge, "The message is larger than \(limit) bytes; the connection is closed.", closesConnection: true)
    }
    public static let binaryFrame = Self(.binaryFrame, "Binary frames are not accepted; send JSON as text.")

    // MARK: - Sessions and connections

    public static let unknownSession = Self(
        .unknownSession, "This session is unknown or has expired. Send 'hello' to start a new conversation.")
    public static let notStarted = Self(.notStarted, "Send 'hello' or 'resume' first.")
    public static let alreadyStarted = Self(.alreadyStarted, "This connection already has a conversation.")
    public static func rateLimited(id: String? = nil) -> Self {
        .init(.rateLimited, "Too many messages. Wait a moment and try again.", id: id)
    }
    public static let tooManyConnections = Self(
        .tooManyConnections, "Too many connections from your address.", closesConnection: true)
    public static let idleTimeout = Self(.idleTimeout, "The connection was idle too long and is closed.", closesConnection: true)
    public static let conversationClosed = Self(.conversationClosed, "This conversation has ended. Send 'hello' to start a new one.")
    public static let replaced = Self(
        .replaced, "This conversation was resumed on another connection; this one is closed.", closesConnection: true)
    public static let shuttingDown = Self(
        .shuttingDown, "The server is restarting. Reconnect in a moment and resume.", closesConnection: true)
    public static let storageFailure = Self(.storageFailure, "The message could not be saved. Please send it again.")

    // MARK: - Resident messages

    public static func badOption(_ option: String, id: String? = nil) -> Self {
        .init(.unknownOption, "'\(option)' is not one of the options offered.", id: id)
    }
    public static func unknownSeq(_ seq: Int) -> Self {
        .init(.unknownSeq, "There is no reply with seq \(seq) in this conversation.")
    }
    public static func textTooLong(limit: Int, id: String?) -> Self {
        .init(.textTooLong, "The text is longer than \(limit) characters.", id: id)
    }
    public static let emptyText = Self(.emptyText, "The text is empty.")
    public static let consentRequired = Self(.consentRequired, "A call-back needs your consent to store your name and contact.")
    public static let callbackNotOffered = Self(.callbackNotOffered, "A call-back can be asked for when it is offered.")
    public static let invalidCallback = Self(.invalidCallback, "Give a name and a phone number or e-mail address.")
    public static func unknownReferral(_ referral: String, id: String? = nil) -> Self {
        .init(.unknownReferral, "There is no open referral '\(referral)' to answer.", id: id)
    }

    // MARK: - Staff channel

    /// A wrong, missing or revoked staff token; always closes.
    public static func unauthorized(_ message: String) -> Self {
        .init(.unauthorized, message, closesConnection: true)
    }
    public static let alreadyAuthenticated = Self(.alreadyAuthenticated, "This connection is already signed in.")
    public static func alreadyClaimed(by name: String, closed: Bool) -> Self {
        .init(closed ? .conversationClosed : .alreadyClaimed, "Already taken by \(name).")
    }
    public static func notClaimed(_ conversation: String) -> Self {
        .init(.notClaimed, "Claim the conversation '\(conversation)' first.")
    }
    public static func notFound(_ conversation: String) -> Self {
        .init(.notFound, "There is no conversation '\(conversation)' for you.")
    }
    public static func unknownStaff(_ name: String) -> Self {
        .init(.unknownStaff, "'\(name)' is not signed in for this conversation's location.")
    }
    public static func unknownArticle(_ article: String, id: String? = nil) -> Self {
        .init(.unknownArticle, "There is no article '\(article)'.", id: id)
    }
    public static func unknownPartner(_ partner: String) -> Self {
        .init(.unknownPartner, "There is no partner '\(partner)'.")
    }
    public static let curatorsDoNotChat = Self(
        .notPermitted, "A curator account does not take chats; sign in with a staff or volunteer account.")
    public static func notWaiting(_ conversation: String) -> Self {
        .init(.notWaiting, "The resident of '\(conversation)' has not asked for a person.")
    }
    public static func unknownTicket(_ ticket: Int) -> Self {
        .init(.unknownTicket, "There is no open call-back request \(ticket) of your locations.")
    }
    public static func notAvailable(_ partner: String) -> Self {
        .init(.notAvailable, "No webhook is configured for '\(partner)': a referral could not be delivered.")
    }
}
