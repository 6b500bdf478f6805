import BakenDesk
import Foundation

/// A client talking to a ``Desk`` directly, without a transport: frames go to
/// `desk.receive`, and what the desk sends is read from the connection's `outbound`.
///
/// `send` returns once the desk has handled the frame, so every line it caused is already
/// queued; ``next(timeout:)`` never has to wait for the desk.
public final class DeskTestClient: Sendable {
    /// The desk.
    public let desk: Desk
    /// The connection the desk sees.
    public let connection: Connection
    /// Whether the desk accepted the connection in `open`.
    public let accepted: Bool
    private let inbox = Inbox()
    private let pump: Task<Void, Never>
    /// How long ``next(timeout:)`` waits by default.
    public let defaultTimeout: Duration

    /// Opens a connection from `address` on `desk`.
    public static func open(
        _ desk: Desk, address: String = "192.0.2.1", now: Date = Date(), defaultTimeout: Duration = .seconds(5)
    ) async -> DeskTestClient {
        let connection = Connection(address: address, now: now)
        let client = DeskTestClient(desk: desk, connection: connection, accepted: await desk.open(connection), defaultTimeout: defaultTimeout)
        return client
    }

    private init(desk: Desk, connection: Connection, accepted: Bool, defaultTimeout: Duration) {
        self.desk = desk
        self.connection = connection
        self.accepted = accepted
        self.defaultTimeout = defaultTimeout
        let inbox = self.inbox
        pump = Task {
            for await item in connection.outbound {
                switch item {
                case .line(let line): inbox.push(.text(line))
                case .lines(let lines): for line in lines { inbox.push(.text(line)) }
                case .close: break
                }
            }
            inbox.finish()
        }
    }

    /// Sends one object as a text frame and waits until the desk has handled it.
    public func send(_ json: [String: Any]) async {
        await desk.receive(.text(JSONLine.encode(json)), from: connection)
    }

    /// Sends raw bytes as a text frame.
    public func sendRaw(_ bytes: [UInt8]) async {
        await desk.receive(.text(bytes), from: connection)
    }

    /// Sends any frame (binary, too large).
    public func send(frame: Frame) async {
        await desk.receive(frame, from: connection)
    }

    /// The next message the desk sent, as a JSON object; throws on timeout or close.
    public func next(timeout: Duration? = nil) async throws -> [String: Any] {
        try await JSONLine.next(from: inbox, timeout: timeout ?? defaultTimeout)
    }

    /// Waits until the desk closed the connection; throws if a message arrives first.
    public func waitForClose(timeout: Duration? = nil) async throws {
        try await JSONLine.waitForClose(inbox, timeout: timeout ?? defaultTimeout)
    }

    /// Tells the desk the connection went away (as a transport does when the socket closes).
    public func disconnect() async {
        await desk.disconnect(connection)
        connection.close(.ended)
        await pump.value
    }

    /// Sends `ping` and returns every message that came before the `pong`: proof that
    /// nothing else is queued.
    public func drain(timeout: Duration? = nil) async throws -> [[String: Any]] {
        await send(["type": "ping"])
        var before: [[String: Any]] = []
        while true {
            let message = try await next(timeout: timeout)
            if message["type"] as? String == "pong" { return before }
            before.append(message)
        }
    }
}
