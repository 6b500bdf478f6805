@testable import BakenDesk
import Foundation
import Testing

/// The admission rules for sockets, without a desk or a socket.
@Suite struct ConnectionRegistryTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    var registry = ConnectionRegistry(limits: .init(maxPerAddress: 2, addressRate: 1, addressBurst: 3))

    @Test mutating func anAddressGetsItsLimitAndStaffCountApart() {
        let a = Connection(address: "203.0.113.1", now: start, kind: .resident)
        let b = Connection(address: "203.0.113.1", now: start, kind: .resident)
        let c = Connection(address: "203.0.113.1", now: start, kind: .resident)
        let staff = Connection(address: "203.0.113.1", now: start, kind: .staff)
        let first = registry.open(a), second = registry.open(b), third = registry.open(c)
        #expect(first == nil && second == nil)
        #expect(third?.kind == .tooManyConnections)
        let staffAdmission = registry.open(staff)
        #expect(staffAdmission == nil, "staff are not locked out by residents of the same address")
        let closed = registry.close(a), closedAgain = registry.close(a)
        #expect(closed && !closedAgain, "closing twice is harmless")
        let retry = registry.open(c)
        #expect(retry == nil, "a freed place can be taken")
    }

    @Test mutating func reconnectingDoesNotRefillTheBudget() {
        let first = Connection(address: "203.0.113.2", now: start, kind: .resident)
        _ = registry.open(first)
        var taken = 0
        for _ in 0..<4 where registry.take(first, at: start) { taken += 1 }
        #expect(taken == 3, "the burst, then nothing")
        _ = registry.close(first)
        registry.forgetRefilledBudgets(at: start)  // not refilled yet: kept
        let second = Connection(address: "203.0.113.2", now: start, kind: .resident)
        _ = registry.open(second)
        let now = registry.take(second, at: start), later = registry.take(second, at: start.addingTimeInterval(1))
        #expect(!now, "a new connection from the same address starts with the same empty budget")
        #expect(later, "one per second comes back")
    }

    @Test mutating func drainingRefusesNewConnectionsAndListsTheOpenOnes() {
        let open = Connection(address: "203.0.113.3", now: start, kind: .resident)
        _ = registry.open(open)
        let told = registry.drain().map(\.id)
        #expect(told == [open.id])
        let refused = registry.open(Connection(address: "203.0.113.4", now: start, kind: .resident))
        #expect(refused?.kind == .shuttingDown)
    }

    @Test mutating func idleConnectionsAreFoundByTheirLastFrame() {
        let quiet = Connection(address: "203.0.113.5", now: start, kind: .resident)
        let busy = Connection(address: "203.0.113.6", now: start, kind: .resident)
        _ = registry.open(quiet)
        _ = registry.open(busy)
        busy.touch(start.addingTimeInterval(250))
        #expect(registry.idle(at: start.addingTimeInterval(301), timeout: 300).map(\.id) == [quiet.id])
    }
}
