import BakenDesk
import BakenServer
import BakenStore
import BakenTesting
import Foundation
import Testing

/// The two resident transports.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case webSocket, tcp

    var testDescription: String { rawValue }
}

/// A temporary data directory with an SQLite database, and servers on it.
struct ServerFixture: Sendable {
    let directory: URL

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("baken-server-tests-\(UUID().uuidString)")
    }

    var databasePath: String { directory.appendingPathComponent("baken.sqlite").path }

    /// A new store on the fixture's database file.
    func store() throws -> SQLiteStore { try SQLiteStore(path: databasePath, synchronous: .normal) }

    /// Starts a server with a new desk and a new store on the database file.
    func start(_ configuration: DeskConfiguration = .init()) async throws -> (server: TestServer, store: SQLiteStore) {
        let store = try store()
        return (try await TestServer.start(store: store, configuration: configuration), store)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

extension TestServer {
    /// A new client over `transport`.
    func client(_ transport: Transport) async throws -> any ChatTestClient {
        switch transport {
        case .webSocket: try await webSocketClient()
        case .tcp: try await lineClient()
        }
    }
}

extension [String: Any] {
    var type: String? { self["type"] as? String }
    var seq: Int? { self["seq"] as? Int }
    var code: String? { self["code"] as? String }
    var optionIDs: [String] { (self["options"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
    /// The object as canonical JSON text, to compare messages.
    var canonical: String { String(decoding: JSONLine.encode(self), as: UTF8.self) }
}

extension ChatTestClient {
    /// Says hello and returns the welcome (the greeting is read and checked).
    func hello() async throws -> [String: Any] {
        try await send(["type": "hello"])
        let welcome = try await next()
        guard welcome.type == "welcome" else { throw TestClientError.unexpectedMessage(welcome.canonical) }
        let greeting = try await next()
        guard greeting.seq == 1 else { throw TestClientError.unexpectedMessage(greeting.canonical) }
        return welcome
    }
}
