import BakenDesk
import Foundation
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// Bridges a WebSocket to the desk: text frames in (assembled from fragments, size-checked),
/// lines out, one task each way.
enum WebSocketTransport {
    static func run(
        desk: Desk, address: String, kind: Connection.Kind, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, maxBytes: Int
    ) async throws {
        let connection = Connection(address: address, now: Date(), kind: kind)
        guard await desk.open(connection) else {
            try await write(connection, to: outbound)
            return
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await write(connection, to: outbound) }
            defer { group.cancelAll() }
            var pending: [UInt8] = []
            var pendingIsText = true
            var oversized = false
            do {
                for try await frame in inbound {
                    switch frame.opcode {
                    case .text, .binary:
                        pending = []
                        pendingIsText = frame.opcode == .text
                        oversized = false
                    case .continuation:
                        break
                    default:
                        continue
                    }
                    if !oversized {
                        if pending.count + frame.data.readableBytes > maxBytes {
                            oversized = true
                            pending = []
                        } else {
                            pending += frame.data.readableBytesView
                        }
                    }
                    guard frame.fin else { continue }
                    let incoming: Frame = oversized ? .tooLarge : (pendingIsText ? .text(pending) : .binary)
                    pending = []
                    await desk.receive(incoming, from: connection)
                    if oversized { break }
                }
            } catch {
                // The peer went away or broke the protocol; the library has closed the socket.
            }
            await desk.disconnect(connection)
            connection.close(reason: "ended")
            try await group.next()
        }
    }

    /// Writes the connection's lines until it is closed, then closes the socket with a reason.
    static func write(_ connection: Connection, to outbound: WebSocketOutboundWriter) async throws {
        for await item in connection.outbound {
            switch item {
            case .line(let line):
                try await outbound.write(.text(line))
            case .close(let reason):
                let code: WebSocketErrorCode =
                    switch reason {
                    case "too_large": .messageTooLarge
                    case "shutdown", "idle", "shutting_down", "idle_timeout": .goingAway
                    case "too_many_connections", "replaced", "unauthorized": .policyViolation
                    default: .normalClosure
                    }
                try? await outbound.close(code, reason: reason)
                return
            }
        }
    }
}
