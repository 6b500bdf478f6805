@testable import BakenDesk
import BakenTesting
import Foundation
import Testing

/// A flood of malformed lines is limited like a flood of messages.
@Suite struct FloodTests {
    @Test func malformedLinesSpendTheAddressBudgetThenTheConnectionCloses() async throws {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_800_000_000))  // time stands still: no refill
        let desk = Desk(engine: ShippedKnowledge.engine, store: MemoryStore(), now: clock.source)
        let client = await DeskTestClient.open(desk, address: "203.0.113.9")
        for _ in 0..<100 { await client.sendRaw(Array("{not json".utf8)) }
        var malformed = 0
        var last: [String: Any] = [:]
        while true {
            last = try await client.next()
            guard last["code"] as? String == "malformed_json" else { break }
            malformed += 1
        }
        let burst = Int(DeskConfiguration().addressBurst)
        #expect(malformed == burst, "one error per line while the budget lasts")
        #expect(last["code"] as? String == "rate_limited")
        try await client.waitForClose()
    }
}
