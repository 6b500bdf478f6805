import Foundation
import Synchronization

/// What a transport must do for the desk: write a line, or close with a reason.
public enum Outbound: Sendable, Hashable {
    /// One JSON object (without the newline; the transport frames it).
    case line(String)
    /// Several lines in order: a `resume`'s replay, which may be longer than the buffer for
    /// live lines, takes one place in it.
    case lines([String])
    /// Close the connection after the lines before it.
    case close(CloseReason)
}

/// Why a connection is closed: the client is done, or an error (already sent) ends it.
public enum CloseReason: Sendable, Hashable {
    /// The client or the transport ended it.
    case ended
    /// The error that was sent just before.
    case error(ProtocolError.Code)
    /// The client broke the WebSocket framing itself (a continuation with no message begun, a
    /// new message inside an unfinished one): closed with 1002, no JSON error (RFC 6455 §5.4).
    case framingViolation

    /// A short reason for the WebSocket close frame.
    public var text: String {
        switch self {
        case .ended: "ended"
        case .framingViolation: "fragmented frames out of order"
        case .error(let code): code.rawValue
        }
    }
}

/// A frame as the transport received it.
public enum Frame: Sendable {
    /// A text frame or a line, as raw bytes (UTF-8 is checked by the desk).
    case text([UInt8])
    /// A binary WebSocket frame.
    case binary
    /// A frame or line over the size limit.
    case tooLarge
}

/// One client connection, transport-neutral: WebSocket and TCP both make one, feed its frames
/// to the desk in order, and write what comes out of `outbound`.
public final class Connection: Sendable, Hashable {
    /// Who may use a connection: the WebSocket paths fix it, TCP decides by the first message.
    public enum Kind: Sendable, Hashable {
        case resident, staff, either
    }

    /// Unique within the process.
    public let id: Int
    /// Resident, staff, or either (TCP).
    public let kind: Kind
    /// The peer's IP address, for per-address limits.
    public let address: String
    /// The key of the per-address limits: staff connections have a budget of their own, so a
    /// flood of resident sockets from one address cannot lock the staff out.
    public var budgetKey: String { kind == .staff ? "staff " + address : address }
    /// What the transport writes, in order.
    public let outbound: AsyncStream<Outbound>
    private let continuation: AsyncStream<Outbound>.Continuation
    private let lastActivity: Mutex<Date>
    /// Where the lines go instead of `outbound`, for a connection that is not a socket (a
    /// console on another node: its lines go back by the bus, in the order they are sent).
    private let sink: (@Sendable (Outbound) -> Void)?

    private static let counter = Atomic<Int>(0)

    /// Creates a connection; at most `bufferLimit` unsent lines are queued for a slow reader.
    public init(address: String, now: Date, kind: Kind = .either, bufferLimit: Int = 1024) {
        id = Self.counter.wrappingAdd(1, ordering: .relaxed).newValue
        self.kind = kind
        self.address = address
        (outbound, continuation) = AsyncStream.makeStream(of: Outbound.self, bufferingPolicy: .bufferingOldest(bufferLimit))
        lastActivity = Mutex(now)
        sink = nil
    }

    /// A connection whose output is handed to `sink` as it is sent (`outbound` stays empty).
    public init(address: String, now: Date, kind: Kind, sink: @escaping @Sendable (Outbound) -> Void) {
        id = Self.counter.wrappingAdd(1, ordering: .relaxed).newValue
        self.kind = kind
        self.address = address
        (outbound, continuation) = AsyncStream.makeStream(of: Outbound.self, bufferingPolicy: .bufferingOldest(1))
        lastActivity = Mutex(now)
        self.sink = sink
    }

    /// Queues a line for the transport. A reader too slow to keep up is disconnected rather
    /// than silently skipped: everything is stored, so the client resumes where it was.
    public func send(_ line: String) {
        if let sink { return sink(.line(line)) }
        if case .dropped = continuation.yield(.line(line)) { continuation.finish() }
    }

    /// Queues the lines of a replay in one go.
    public func send(lines: [String]) {
        guard !lines.isEmpty else { return }
        if let sink { return sink(.lines(lines)) }
        if case .dropped = continuation.yield(.lines(lines)) { continuation.finish() }
    }

    /// Queues a server message.
    public func send(_ message: ServerMessage) { send(message.json()) }

    /// Asks the transport to close after what is queued, and ends the stream.
    public func close(_ reason: CloseReason) {
        sink?(.close(reason))
        continuation.yield(.close(reason))
        continuation.finish()
    }

    /// Records that the client sent something.
    public func touch(_ now: Date) { lastActivity.withLock { $0 = now } }

    /// When the client last sent something.
    public var lastSeen: Date { lastActivity.withLock { $0 } }

    public static func == (lhs: Connection, rhs: Connection) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
