import BakenDesk
import BakenServer
import BakenTesting
import Foundation
import NIOCore
import NIOWebSocket
import Testing

/// Every kind of bad input, over real sockets: an error with a stable code, and the server
/// keeps serving the connection (or, for over-size input, closes only that one).
@Suite struct ServerBadInputTests {
    /// Raw messages and the error code each must get; the connection stays open.
    static let badMessages: [(bytes: [UInt8], code: String)] = [
        (Array("{oops".utf8), "malformed_json"),
        (Array("[1,2,3]".utf8), "malformed_json"),
        (Array(#"{"type":"dance"}"#.utf8), "unknown_type"),
        (Array(#"{"text":"no type"}"#.utf8), "missing_field"),
        (Array(#"{"type":"say","id":"m1"}"#.utf8), "missing_field"),
        (Array(#"{"type":"resume","after":0}"#.utf8), "missing_field"),
        (Array(#"{"type":"resume","session":"x","after":"zero"}"#.utf8), "wrong_type"),
        (Array(#"{"type":"feedback","seq":1.5,"helpful":true}"#.utf8), "wrong_type"),
        (Array(#"{"type":"say","id":7,"text":"hallo"}"#.utf8), "wrong_type"),
        ([0x7B, 0x22, 0x74, 0xFF, 0x22, 0x7D], "invalid_utf8"),
        ([0xC3, 0x28], "invalid_utf8"),
        (Array(#"{"type":"resume","session":"not-a-session","after":0}"#.utf8), "unknown_session"),
        (Array(#"{"type":"say","id":"m1","text":"hallo"}"#.utf8), "not_started"),
    ]

    @Test(arguments: Transport.allCases)
    func badMessagesGetErrorsAndTheConnectionKeepsWorking(_ transport: Transport) async throws {
        let fixture = ServerFixture()
        defer { fixture.remove() }
        let (server, _) = try await fixture.start()
        let client = try await server.client(transport)
        for (bytes, code) in Self.badMessages {
            client.sendRaw(transport == .tcp ? bytes + [0x0A] : bytes)
            let error = try await client.next()
            #expect(error.type == "error", "\(String(decoding: bytes, as: UTF8.self))")
            #expect(error.code == code, "\(String(decoding: bytes, as: UTF8.self))")
            #expect((error["message"] as? String)?.isEmpty == false)
        }
        // Still the same, working connection.
        _ = try await client.hello()
        try await client.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
        #expect(try await client.next().seq == 2)
        await client.close()
        await server.stop()
    }

    @Test func blankLinesAndCRLFAreTolerated() async throws {
        let fixture = ServerFixture()
        defer { fixture.remove() }
        let (server, _) = try await fixture.start()
        let client = try await server.lineClient()
        client.sendRaw(Array("\n   \n\t\n".utf8))
        client.sendRaw(Array("{\"type\":\"ping\"}\r\n".utf8))
        #expect(try await client.next().type == "pong")
        await client.close()
        await server.stop()
    }

    /// A line one byte over the limit, and larger ones. Lines that arrive whole in one read
    /// are the interesting case: `ByteToMessageHandler`'s `maximumBufferSize` only applies
    /// while the decoder is still waiting for the newline.
    @Test(arguments: [16 * 1024 + 1, 20 * 1024, 64 * 1024, 1 << 20])
    func anOverSizeLineIsRefusedAndClosesTheConnection(_ size: Int) async throws {
        let fixture = ServerFixture()
        defer { fixture.remove() }
        let (server, _) = try await fixture.start()
        let client = try await server.lineClient()
        _ = try await client.hello()
        let overhead = JSONLine.encode(["type": "say", "id": "big", "text": ""]).count
        let line = JSONLine.encode(["type": "say", "id": "big", "text": String(repeating: "a", count: size - overhead)])
        #expect(line.count == size)
        client.sendRaw(line + [0x0A])
        let error = try await client.next()
        #expect(error.code == "too_large")
        try await client.waitForClose()
        await client.close()
        try await Self.serverStillServes(server)
        await server.stop()
    }

    @Test func anOverSizeWebSocketMessageIsRefusedAndClosesTheConnection() async throws {
        let fixture = ServerFixture()
        defer { fixture.remove() }
        let (server, _) = try await fixture.start()
        let client = try await server.webSocketClient()
        _ = try await client.hello()
        try await client.send(["type": "say", "id": "big", "text": String(repeating: "a", count: 20 * 1024)])
        #expect(try await client.next().code == "too_large")
        let close = try await client.waitForClose()
        #expect(close?.closeCode == .messageTooLarge)
        try await Self.serverStillServes(server)
        await server.stop()
    }

    @Test func anOverSizeFragmentedWebSocketMessageIsRefused() async throws {
        let fixture = ServerFixture()
        defer { fixture.remove() }
        let (server, _) = try await fixture.start()
        let client = try await server.webSocketClient()
        let chunk = ByteBuffer(bytes: [UInt8](repeating: 0x61, count: 6 * 1024))
        client.sendFrame(WebSocketFrame(fin: false, opcode: .text, data: chunk))
        client.sendFrame(WebSocketFrame(fin: false, opcode: .continuation, data: chunk))
        client.sendFrame(WebSocketFrame(fin: true, opcode: .continuation, data: chunk))
        #expect(try await client.next().code == "too_large")
        try await client.waitForClose()
        try await Self.serverStillServes(server)
        await server.stop()
    }

    @Test func aFragmentedWebSocketMessageIsAssembled() async throws {
        let fixture = ServerFixture()
        defer { fixture.remove() }
        let (server, _) = try await fixture.start()
        let client = try await server.webSocketClient()
        client.sendFrame(WebSocketFrame(fin: false, opcode: .text, data: ByteBuffer(string: #"{"type":"#)))
        client.sendFrame(WebSocketFrame(fin: true, opcode: .continuation, data: ByteBuffer(string: #""ping"}"#)))
        #expect(try await client.next().type == "pong")
        await client.close()
        await server.stop()
    }

    @Test func aBinaryWebSocketFrameIsRefused() async throws {
        let fixture = ServerFixture()
        defer { fixture.remove() }
        let (server, _) = try await fixture.start()
        let client = try await server.webSocketClient()
        client.sendBinary(Array(#"{"type":"ping"}"#.utf8))
        #expect(try await client.next().code == "binary_frame")
        try await client.send(["type": "ping"])
        #expect(try await client.next().type == "pong")
        await client.close()
        await server.stop()
    }

    /// Opens a new connection on each transport and has a short conversation.
    static func serverStillServes(_ server: TestServer) async throws {
        for transport in Transport.allCases {
            let client = try await server.client(transport)
            _ = try await client.hello()
            try await client.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
            #expect(try await client.next().type == "ack")
            #expect(try await client.next()["intent"] as? String == "digid_inloggen")
            await client.close()
        }
    }
}
