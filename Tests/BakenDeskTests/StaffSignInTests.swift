import BakenTesting
import Foundation
import Testing

@testable import BakenDesk

/// Staff sign-in back-off: driven by the desk's clock, never by sleeping.
@Suite struct StaffSignInTests {
    static func desk() async throws -> (Desk, ManualClock, token: String) {
        let clock = ManualClock()
        let store = MemoryStore()
        let token = SessionToken.make()
        try await store.commit([
            .staff(StaffRecord(name: "Anna", role: .staff, locations: [], tokenHash: SessionToken.hash(token), createdAt: clock.now))
        ])
        return (Desk(engine: ShippedKnowledge.engine, store: store, now: clock.source), clock, token)
    }

    static func signIn(_ desk: Desk, _ token: String, address: String = "198.51.100.7") async throws -> [String: Any] {
        let client = await DeskTestClient.open(desk, address: address)
        await client.send(["type": "auth", "token": token])
        return try await client.next()
    }

    @Test func afterFiveFailuresWrongTokensAreAskedToWaitButAGoodOneGetsIn() async throws {
        let (desk, clock, token) = try await Self.desk()
        for attempt in 1...6 {
            #expect(try await Self.signIn(desk, "wrong \(attempt)").code == "unauthorized")
        }
        // The sixth failure blocked the address: the next wrong token is told to wait.
        let blocked = try await Self.signIn(desk, "wrong 7")
        #expect(blocked.code == "unauthorized")
        #expect((blocked["message"] as? String ?? "").contains("Try again in"), "\(blocked)")
        // A colleague at the same branch address is not locked out.
        #expect(try await Self.signIn(desk, token).type == "auth_ok")
        #expect((try await Self.signIn(desk, "wrong 8")["message"] as? String ?? "").contains("not valid"), "a good sign-in starts the count afresh")
        for attempt in 9...14 { _ = try await Self.signIn(desk, "wrong \(attempt)") }
        clock.advance(by: 120)
        #expect((try await Self.signIn(desk, "wrong 15")["message"] as? String ?? "").contains("not valid"), "the wait is over")
    }

    @Test func theDelayDoublesUpToAMinuteAndIsForgottenAfterAQuarter() {
        var failures = AuthFailures()
        let start = Date(timeIntervalSince1970: 0)
        for _ in 1...5 { failures.record(at: start) }
        #expect(failures.blockedUntil == nil)
        failures.record(at: start)
        #expect(failures.blockedUntil == start.addingTimeInterval(1))
        failures.record(at: start)
        #expect(failures.blockedUntil == start.addingTimeInterval(2))
        for _ in 1...10 { failures.record(at: start) }
        #expect(failures.blockedUntil == start.addingTimeInterval(60))
        #expect(failures.isStale(at: start.addingTimeInterval(15 * 60 + 1)))
        failures.record(at: start.addingTimeInterval(15 * 60 + 1))
        #expect(failures.count == 1)
    }
}
