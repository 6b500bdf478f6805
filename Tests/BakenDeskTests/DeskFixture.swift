import BakenDesk
import BakenTesting
import Foundation

/// A desk on the shipped engine with a memory store and a manual clock.
struct DeskFixture {
    let desk: Desk
    let store: MemoryStore
    let clock: ManualClock

    init(_ configuration: DeskConfiguration = .init()) {
        store = MemoryStore()
        clock = ManualClock()
        desk = Desk(engine: ShippedKnowledge.engine, store: store, configuration: configuration, now: clock.source)
    }

    /// Opens a connection at the clock's time.
    func connect(address: String = "192.0.2.1") async -> DeskTestClient {
        await DeskTestClient.open(desk, address: address, now: clock.now)
    }

    /// Opens a connection, says hello and reads the welcome and the greeting.
    func started(address: String = "192.0.2.1") async throws -> (client: DeskTestClient, welcome: [String: Any]) {
        let client = await connect(address: address)
        await client.send(["type": "hello"])
        let welcome = try await client.next()
        _ = try await client.next()
        return (client, welcome)
    }
}

extension [String: Any] {
    /// The `type` field.
    var type: String? { self["type"] as? String }
    /// The `seq` field.
    var seq: Int? { self["seq"] as? Int }
    /// The `code` field of an error.
    var code: String? { self["code"] as? String }
    /// The ids of the offered options of a reply.
    var optionIDs: [String] { (self["options"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
}
