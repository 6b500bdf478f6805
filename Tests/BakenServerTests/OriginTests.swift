import BakenDesk
import BakenServer
import BakenTesting
import Testing

/// Issue 13: any page could drive chats from its visitors' browsers; /ws/echo and /metrics
/// were public.
@Suite struct OriginTests {
    func start(_ server: ServerConfiguration = .init()) async throws -> (TestServer, ServerFixture) {
        let fixture = ServerFixture()
        let running = try await TestServer.start(store: try fixture.store(), server: server)
        return (running, fixture)
    }

    @Test func aForeignOriginIsRefused() async throws {
        let (server, fixture) = try await start()
        defer { fixture.remove() }
        for path in ["/ws/chat", "/ws/staff"] {
            await #expect(throws: (any Error).self) {
                _ = try await server.webSocketClient(path: path, headers: ["Origin": "https://evil.example"])
            }
        }
        await server.stop()
    }

    @Test func theServersOwnOriginAndTheConfiguredSitesAreAccepted() async throws {
        var configuration = ServerConfiguration()
        configuration.allowedOrigins = ["https://www.kopgroepbibliotheken.nl"]
        let (server, fixture) = try await start(configuration)
        defer { fixture.remove() }
        let own = try await server.webSocketClient(headers: ["Origin": "http://127.0.0.1:\(server.httpPort)"])
        _ = try await own.hello()
        let library = try await server.webSocketClient(headers: ["Origin": "https://www.kopgroepbibliotheken.nl"])
        _ = try await library.hello()
        // A client that is not a browser page sends no Origin and is served.
        let plain = try await server.webSocketClient()
        _ = try await plain.hello()
        for client in [own, library, plain] { await client.close() }
        await server.stop()
    }

    @Test func theEchoRouteExistsOnlyForTheBenchmark() async throws {
        let (server, fixture) = try await start()
        defer { fixture.remove() }
        await #expect(throws: (any Error).self) { _ = try await server.webSocketClient(path: "/ws/echo") }
        await server.stop()
        var bench = ServerConfiguration()
        bench.bench = true
        let (benchServer, benchFixture) = try await start(bench)
        defer { benchFixture.remove() }
        let echo = try await benchServer.webSocketClient(path: "/ws/echo")
        try await echo.send(["type": "ping"])
        #expect(try await echo.next()["type"] as? String == "ping")
        await echo.close()
        await benchServer.stop()
    }
}

import AsyncHTTPClient

/// The chat page may be framed only by this server and the configured library sites; it
/// connects only to this server; HEAD answers like GET without a body.
@Suite struct PageHeaderTests {
    @Test func theChatIsFramedOnlyByTheLibrarySitesAndHeadWorks() async throws {
        var configuration = ServerConfiguration()
        configuration.allowedOrigins = ["https://www.kopgroepbibliotheken.nl"]
        let fixture = ServerFixture()
        defer { fixture.remove() }
        let server = try await TestServer.start(store: try fixture.store(), server: configuration)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(server.httpPort)/")
        let page = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let policy = page.headers["Content-Security-Policy"].first ?? ""
        #expect(policy.contains("frame-ancestors 'self' https://www.kopgroepbibliotheken.nl"), "\(policy)")
        #expect(policy.contains("connect-src 'self';") && !policy.contains("ws:"), "\(policy)")
        for path in ["/", "/staff", "/insight", "/health", "/static/chat.js"] {
            request = HTTPClientRequest(url: "http://127.0.0.1:\(server.httpPort)\(path)")
            request.method = .HEAD
            let head = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            #expect(head.status == .ok, "HEAD \(path)")
            #expect(head.headers["X-Content-Type-Options"].first == "nosniff", "HEAD \(path)")
        }
        await server.stop()
    }
}
