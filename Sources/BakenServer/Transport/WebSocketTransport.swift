import BakenDesk
import Foundation
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// Bridges a WebSocket to the desk: text frames in (assembled from fragments, size-checked),
/// lines out: the reader in a child task, the writer in the connection's own.
enum WebSocketTransport {
    static func run(
        desk: Desk, address: String, kind: Connection.Kind, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, maxBytes: Int
    ) async throws {
        let connection = Connection(address: address, now: desk.now(), kind: kind)
        guard await desk.open(connection) else {
            try await write(connection, to: outbound)
            return
        }
        // The reader is a child task; the writer runs in the handler's own task (one task less
        // per connection: an idle session's memory is mostly its tasks).
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await read(inbound, into: desk, connection: connection, maxBytes: maxBytes)
                await desk.disconnect(connection)
                connection.close(.ended)  // the client went away: the writer ends too
            }
            try? await write(connection, to: outbound)  // a write to a vanished peer fails: nothing to do
            // The desk closed the connection (writer done): stop reading, so the handler returns
            // and the socket is torn down.
            group.cancelAll()
            try await group.waitForAll()
        }
        await desk.disconnect(connection)
    }

    /// Feeds text frames (assembled from fragments, size-checked) to the desk, in order.
    private static func read(_ inbound: WebSocketInboundStream, into desk: Desk, connection: Connection, maxBytes: Int) async {
        var pending: [UInt8] = []
        var pendingIsText = true
        var oversized = false
        /// A message whose first frame came without FIN: only continuations may follow.
        var inMessage = false
        do {
            for try await frame in inbound {
                switch frame.opcode {
                case .text, .binary:
                    guard !inMessage else { return connection.close(.framingViolation) }
                    pending = []
                    pendingIsText = frame.opcode == .text
                    oversized = false
                case .continuation:
                    guard inMessage else { return connection.close(.framingViolation) }
                }
                inMessage = !frame.fin
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
            // The peer went away, broke the protocol, or we were cancelled after closing it.
        }
    }

    /// Writes the connection's lines until it is closed, then closes the socket with a reason.
    static func write(_ connection: Connection, to outbound: WebSocketOutboundWriter) async throws {
        for await item in connection.outbound {
            switch item {
            case .line(let line):
                try await outbound.write(.text(line))
            case .lines(let lines):
                for line in lines { try await outbound.write(.text(line)) }
            case .close(let reason):
                let code: WebSocketErrorCode =
                    switch reason {
                    case .ended: .normalClosure
                    case .framingViolation: .protocolError
                    case .error(let error):
                        switch error.closeClass {
                        case .tooLarge: .messageTooLarge
                        case .goingAway: .goingAway
                        case .policyViolation: .policyViolation
                        case .normal: .normalClosure
                        }
                    }
                try? await outbound.close(code, reason: reason.text)
                return
            }
        }
        // The stream ended without a close: the client read too slowly and its buffer overflowed.
        // Everything is stored, so close it and let it resume.
        try? await outbound.close(.policyViolation, reason: "too slow")
    }
}
