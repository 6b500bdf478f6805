import BakenDesk
import BakenServer
import BakenTesting
import Foundation
import HTTPTypes
import Testing

/// Behind a reverse proxy, limits must count residents, not the proxy.
@Suite struct ClientAddressTests {
    func headers(_ pairs: [(String, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return fields
    }

    @Test func withoutTrustedProxiesTheHeadersAreIgnored() throws {
        let resolver = try ClientAddress(trustedProxies: [])
        #expect(resolver.resolve(peer: "127.0.0.1", headers: headers([("X-Forwarded-For", "203.0.113.7")])) == "127.0.0.1")
    }

    @Test func aTrustedProxyNamesTheClient() throws {
        let resolver = try ClientAddress(trustedProxies: ["127.0.0.1", "10.0.0.0/8"])
        #expect(resolver.resolve(peer: "127.0.0.1", headers: headers([("X-Forwarded-For", "203.0.113.7")])) == "203.0.113.7")
        // The client wrote the left part itself; the right-most untrusted hop is the client.
        #expect(resolver.resolve(peer: "10.1.2.3", headers: headers([("X-Forwarded-For", "1.1.1.1, 203.0.113.7, 10.0.0.5")])) == "203.0.113.7")
        #expect(resolver.resolve(peer: "127.0.0.1", headers: headers([("Forwarded", "for=\"[2001:db8::1]:4711\";proto=https")])) == "2001:db8::1")
        #expect(resolver.resolve(peer: "127.0.0.1", headers: headers([("Forwarded", "for=198.51.100.2:80, for=10.0.0.9")])) == "198.51.100.2")
    }

    @Test func anUntrustedPeerCannotClaimAnotherAddress() throws {
        let resolver = try ClientAddress(trustedProxies: ["10.0.0.0/8"])
        #expect(resolver.resolve(peer: "192.0.2.1", headers: headers([("X-Forwarded-For", "203.0.113.7")])) == "192.0.2.1")
    }

    @Test func garbageInTheChainFallsBackToThePeer() throws {
        let resolver = try ClientAddress(trustedProxies: ["127.0.0.1"])
        #expect(resolver.resolve(peer: "127.0.0.1", headers: headers([("X-Forwarded-For", "not-an-address")])) == "127.0.0.1")
    }

    @Test func badNetworksAreRefusedWithTheEntry() {
        #expect(throws: ClientAddress.InvalidNetwork.self) { try ClientAddress(trustedProxies: ["10.0.0.0/33"]) }
        #expect(throws: ClientAddress.InvalidNetwork.self) { try ClientAddress(trustedProxies: ["nginx"]) }
    }

    /// 60 residents behind one trusted proxy, each with its own forwarded address, with a limit of
    /// 5 connections per address: all are served. Without the proxy setting the sixth is refused.
    @Test func sixtyResidentsBehindOneProxyAreAllServed() async throws {
        let fixture = ServerFixture()
        defer { fixture.remove() }
        var desk = DeskConfiguration()
        desk.maxConnectionsPerAddress = 5
        var server = ServerConfiguration()
        server.trustedProxies = try ClientAddress(trustedProxies: ["127.0.0.1", "::1"])
        let store = try fixture.store()
        let running = try await TestServer.start(store: store, configuration: desk, server: server)
        var clients: [WebSocketTestClient] = []
        for i in 0..<60 {
            let client = try await running.webSocketClient(headers: ["X-Forwarded-For": "198.51.100.\(i + 1)"])
            _ = try await client.hello()
            clients.append(client)
        }
        #expect(clients.count == 60)
        #expect(await running.desk.connectionCount == 60)
        for client in clients { await client.close() }
        await running.stop()
    }

    @Test func withoutTheProxySettingTheProxyIsOneAddress() async throws {
        let fixture = ServerFixture()
        defer { fixture.remove() }
        var desk = DeskConfiguration()
        desk.maxConnectionsPerAddress = 5
        let (running, _) = try await fixture.start(desk)
        var clients: [WebSocketTestClient] = []
        for i in 0..<5 {
            let client = try await running.webSocketClient(headers: ["X-Forwarded-For": "198.51.100.\(i + 1)"])
            _ = try await client.hello()
            clients.append(client)
        }
        // The refusal is the server's first frame: read from the raw socket (see RawWebSocketOpening).
        let sixth = try await RawWebSocketOpening.read(port: running.httpPort, headers: ["X-Forwarded-For": "198.51.100.99"])
        #expect(sixth.statusLine.contains(" 101 "), "upgraded, then refused: \(sixth.statusLine)")
        let refusal = sixth.texts.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(sixth.texts.count == 1 && refusal?["code"] as? String == "too_many_connections", "\(sixth.texts)")
        #expect(sixth.closeCode == 1008, "closed as a policy violation")
        // Staff have a budget of their own: a flood of resident sockets does not lock them out.
        let staff = try await running.webSocketClient(path: "/ws/staff")
        try await staff.send(["type": "auth", "token": "wrong"])
        #expect(try await staff.next(timeout: .seconds(20)).code == "unauthorized", "refused for its token, not for the residents' connections")
        for client in clients { await client.close() }
        await running.stop()
    }
}
