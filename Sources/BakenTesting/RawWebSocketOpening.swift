import Foundation
import NIOCore
import NIOPosix

/// What a server says right after a WebSocket upgrade, read from the raw bytes of the socket.
///
/// For the cases where the server speaks first (a refusal sent as soon as the socket is
/// upgraded). ``WebSocketTestClient`` (HummingbirdWSClient) now and then delivers nothing at all
/// when the first frames come in the same read as the `101` response — seen in about 1 run of
/// 8 as a 15-second wait with no message and no close, while a raw client received the frames
/// every time (110 of 110). This reader parses the bytes itself, so a test of what the server
/// sends does not depend on that.
public struct RawWebSocketOpening: Sendable {
    /// The status line of the response, e.g. `HTTP/1.1 101 Switching Protocols`.
    public var statusLine: String
    /// The payloads of the text frames before the close frame, in order.
    public var texts: [String]
    /// The close frame's status code, when one came.
    public var closeCode: UInt16?

    /// Sends an upgrade request for `path` and reads until the server's close frame, the end of
    /// the connection or `timeout`.
    public static func read(
        host: String = "127.0.0.1", port: Int, path: String = "/ws/chat", headers: [String: String] = [:],
        timeout: Duration = .seconds(10)
    ) async throws -> RawWebSocketOpening {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let extra = headers.map { "\($0.key): \($0.value)\r\n" }.joined()
        let request =
            "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(extra)\r\n"
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            return try await withThrowingTaskGroup(of: RawWebSocketOpening?.self) { group in
                group.addTask {
                    var bytes: [UInt8] = []
                    do {
                        for try await buffer in inbound {
                            bytes += buffer.readableBytesView
                            if let opening = parse(bytes), opening.closeCode != nil { return opening }
                        }
                    } catch {
                        // Reset: parse what came.
                    }
                    return parse(bytes) ?? RawWebSocketOpening(statusLine: String(decoding: bytes.prefix(80), as: UTF8.self), texts: [])
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                guard let first else { throw TestClientError.timeout(timeout) }
                return first
            }
        }
    }

    /// The head and the complete frames in `bytes`; nil before the head is complete.
    static func parse(_ bytes: [UInt8]) -> RawWebSocketOpening? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.dropLast(3).first(where: { bytes[$0..<$0 + 4].elementsEqual(separator) }) else { return nil }
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        var opening = RawWebSocketOpening(statusLine: head.components(separatedBy: "\r\n")[0], texts: [])
        var at = end + 4
        // Server frames are unmasked; lengths up to 64 KiB are enough for a refusal.
        while at + 2 <= bytes.count {
            let opcode = bytes[at] & 0x0F
            var length = Int(bytes[at + 1] & 0x7F)
            var start = at + 2
            if length == 126 {
                guard start + 2 <= bytes.count else { break }
                length = Int(bytes[start]) << 8 | Int(bytes[start + 1])
                start += 2
            } else if length == 127 {
                break
            }
            guard start + length <= bytes.count else { break }
            let payload = Array(bytes[start..<start + length])
            switch opcode {
            case 0x1: opening.texts.append(String(decoding: payload, as: UTF8.self))
            case 0x8: opening.closeCode = payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : 1005
            default: break
            }
            at = start + length
            if opcode == 0x8 { break }
        }
        return opening
    }
}
