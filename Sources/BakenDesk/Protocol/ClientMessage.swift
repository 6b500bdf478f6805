import Foundation

/// A message from a resident's client. One JSON object per WebSocket text frame or TCP line.
public enum ClientMessage: Sendable, Hashable {
    /// Start a conversation.
    case hello(language: String?, location: String?)
    /// Continue a conversation after a reconnect; replay everything after `after`.
    case resume(session: String, after: Int)
    /// A resident's message; `id` is the client's id for idempotent retries.
    case say(id: String, text: String)
    /// A quick-reply button was pressed.
    case choose(id: String, option: String)
    /// "Was this helpful?" for the reply with `seq`.
    case feedback(seq: Int, helpful: Bool)
    /// Ask for a person.
    case handoff
    /// End the conversation.
    case bye
    /// Keep-alive.
    case ping
    /// Agree (or not) to a referral, giving the fields the resident fills in.
    case consent(id: String, referral: String, accept: Bool, firstName: String?, contact: String?)
    /// Leave a call-back request: a name and a phone number or e-mail address, with consent.
    case callback(id: String, name: String, contact: String, consent: Bool)

    /// The wire name of the message type.
    public var type: String {
        switch self {
        case .hello: "hello"
        case .resume: "resume"
        case .say: "say"
        case .choose: "choose"
        case .feedback: "feedback"
        case .handoff: "handoff"
        case .bye: "bye"
        case .ping: "ping"
        case .callback: "callback"
        case .consent: "consent"
        }
    }

    /// Decodes one frame, or throws a ``ProtocolError`` naming what is wrong.
    public static func decode(_ bytes: some Collection<UInt8>) throws(ProtocolError) -> ClientMessage {
        try decode(FieldReader.object(bytes))
    }

    static func decode(_ reader: FieldReader) throws(ProtocolError) -> ClientMessage {
        let type = try reader.type()
        switch type {
        case "hello":
            return .hello(language: try reader.optionalString("language", "lang"), location: try reader.optionalString("location"))
        case "resume":
            return .resume(session: try reader.string("session", in: type), after: try reader.int("after", in: type))
        case "say":
            let id = try reader.clientID(in: type)
            return .say(id: id, text: try reader.string("text", in: type, id: id))
        case "choose":
            let id = try reader.clientID(in: type)
            return .choose(id: id, option: try reader.string("option", in: type, id: id))
        case "feedback":
            return .feedback(seq: try reader.int("seq", in: type), helpful: try reader.bool("helpful", in: type))
        case "handoff": return .handoff
        case "bye": return .bye
        case "ping": return .ping
        case "callback":
            let id = try reader.clientID(in: type)
            return .callback(
                id: id, name: try reader.string("name", in: type, id: id), contact: try reader.string("contact", in: type, id: id),
                consent: try reader.bool("consent", in: type))
        case "consent":
            let id = try reader.clientID(in: type)
            return .consent(
                id: id, referral: try reader.string("referral", in: type, id: id), accept: try reader.bool("accept", in: type),
                firstName: try reader.optionalString("first_name"), contact: try reader.optionalString("contact"))
        default: throw .unknownType(type)
        }
    }
}

