/// A message from a staff member's client (`/ws/staff`, or TCP starting with `auth`).
public enum StaffCommand: Sendable, Hashable {
    case auth(token: String)
    /// Ask for the queue now, optionally only conversations in one language.
    case queue(language: String?)
    case open(conversation: String)
    case claim(conversation: String)
    /// A message to the resident; with `article`, that knowledge article rendered as the bot would.
    case say(conversation: String, id: String, text: String?, article: String?)
    case typing(conversation: String)
    case transfer(conversation: String, to: String)
    case release(conversation: String)
    case close(conversation: String, outcome: String?, note: String?)
    case refer(conversation: String, partner: String)
    case presence(available: Bool)
    /// Open call-back requests of the staff member's locations.
    case tickets
    /// Marks a call-back request as handled (the resident was called or mailed back).
    case ticketHandled(ticket: Int)
    case ping

    /// The conversation the command is about, if any.
    public var conversation: String? {
        switch self {
        case .open(let id), .claim(let id), .say(let id, _, _, _), .typing(let id), .transfer(let id, _), .release(let id),
            .close(let id, _, _), .refer(let id, _):
            id
        case .auth, .queue, .presence, .tickets, .ticketHandled, .ping: nil
        }
    }

    /// The staff message types, to tell a staff connection's first message from a resident's.
    public static let types: Set<String> = [
        "auth", "queue", "open", "claim", "typing", "transfer", "release", "close", "refer", "presence", "tickets",
        "ticket_handled",
    ]

    /// Decodes one frame of a staff connection, or throws a ``ProtocolError`` naming what is wrong.
    public static func decode(_ bytes: some Collection<UInt8>) throws(ProtocolError) -> StaffCommand {
        try decode(FieldReader.object(bytes))
    }

    static func decode(_ reader: FieldReader) throws(ProtocolError) -> StaffCommand {
        let type = try reader.type()
        func conversation() throws(ProtocolError) -> String { try reader.string("conversation", in: type) }
        switch type {
        case "auth": return .auth(token: try reader.string("token", in: type))
        case "queue": return .queue(language: try reader.optionalString("language"))
        case "open": return .open(conversation: try conversation())
        case "claim": return .claim(conversation: try conversation())
        case "say":
            let conversation = try conversation()
            let id = try reader.clientID(in: type)
            let text = try reader.optionalString("text")
            let article = try reader.optionalString("article")
            if text == nil && article == nil { throw .missingField("text", type: type, id: id) }
            return .say(conversation: conversation, id: id, text: text, article: article)
        case "typing": return .typing(conversation: try conversation())
        case "transfer": return .transfer(conversation: try conversation(), to: try reader.string("to", in: type))
        case "release": return .release(conversation: try conversation())
        case "close":
            return .close(conversation: try conversation(), outcome: try reader.optionalString("outcome"), note: try reader.optionalString("note"))
        case "refer": return .refer(conversation: try conversation(), partner: try reader.string("partner", in: type))
        case "presence":
            let status = try reader.string("status", in: type)
            guard status == "available" || status == "away" else { throw .wrongType("status", expected: "\"available\" or \"away\"") }
            return .presence(available: status == "available")
        case "ping": return .ping
        case "tickets": return .tickets
        case "ticket_handled": return .ticketHandled(ticket: try reader.int("ticket", in: type))
        default: throw .unknownType(type)
        }
    }
}
