@testable import BakenDesk
import BakenEngine
import BakenTesting
import Foundation
import Testing

/// Business hours, out-of-hours fallbacks and queue timeouts, with a fixed clock.
@Suite struct HandoffTests {
    /// `YYYY-MM-DD HH:MM` in Amsterdam time.
    static func amsterdam(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Amsterdam")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    let hours = BusinessHours(knowledge: ShippedKnowledge.engine.knowledge)

    @Test(arguments: [
        ("2026-11-25 11:00", true),  // Wednesday morning
        ("2026-11-25 22:00", false),  // Wednesday night
        ("2026-11-29 11:00", false),  // Sunday
        ("2026-12-25 11:00", false),  // Christmas, a Friday
        ("2026-03-30 13:30", true),  // Monday after the switch to summer time (13:00-16:30)
        ("2026-03-30 12:30", false),
        ("2026-10-26 13:30", true),  // Monday after the switch back to winter time
        ("2026-10-26 12:59", false),
    ])
    func denHelderChatHoursInAmsterdamTime(moment: String, open: Bool) {
        #expect(hours.chatIsOpen("den_helder", at: Self.amsterdam(moment)) == open, "\(moment)")
    }

    @Test func dstIsRespected() {
        // 13:30 in Amsterdam is 11:30 UTC in summer and 12:30 UTC in winter.
        let summer = Date(timeIntervalSince1970: 1_774_870_200)  // 2026-03-30 11:30 UTC
        let winter = Date(timeIntervalSince1970: 1_793_017_800)  // 2026-10-26 12:30 UTC
        #expect(hours.local(summer).minute == 13 * 60 + 30)
        #expect(hours.local(winter).minute == 13 * 60 + 30)
    }

    /// A desk with one signed-in staff member for Den Helder.
    static func deskWithStaff(at moment: String) async throws -> (Desk, ManualClock, DeskTestClient) {
        let clock = ManualClock(start: amsterdam(moment))
        let store = MemoryStore()
        let token = SessionToken.make()
        try await store.commit([
            .staff(StaffRecord(name: "Anna", role: .staff, locations: ["den_helder"], tokenHash: SessionToken.hash(token), createdAt: clock.now))
        ])
        let desk = Desk(engine: ShippedKnowledge.engine, store: store, now: clock.source)
        let staff = await DeskTestClient.open(desk, address: "198.51.100.7")
        await staff.send(["type": "auth", "token": token])
        #expect(try await staff.next()["type"] as? String == "auth_ok")
        #expect(try await staff.next()["type"] as? String == "queue")
        return (desk, clock, staff)
    }

    static func resident(_ desk: Desk) async throws -> DeskTestClient {
        let resident = await DeskTestClient.open(desk)
        await resident.send(["type": "hello", "lang": "nl", "location": "den_helder"])
        _ = try await resident.next()  // welcome
        _ = try await resident.next()  // greeting
        return resident
    }

    @Test(arguments: ["2026-11-25 22:00", "2026-11-29 11:00"])
    func outOfHoursHandoffOffersTheFallbacksAtOnce(moment: String) async throws {
        let (desk, _, _) = try await Self.deskWithStaff(at: moment)
        let resident = try await Self.resident(desk)
        await resident.send(["type": "handoff"])
        let reply = try await resident.next()
        #expect(reply["type"] as? String == "reply")
        #expect(reply["decision"] as? String == "handoff")
        let options = (reply["options"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(options.contains("callback"))
        let text = reply["text"] as? String ?? ""
        #expect(text.contains("Bibliotheek Den Helder"), "the walk-in hours of the resident's branch")
        #expect(text.contains("dinsdag 10:00-12:00"))
    }

    @Test func inHoursHandoffQueuesAndTimesOutToTheFallbacks() async throws {
        let (desk, clock, _) = try await Self.deskWithStaff(at: "2026-11-25 11:00")
        let resident = try await Self.resident(desk)
        await resident.send(["type": "handoff"])
        let queued = try await resident.next()
        #expect(queued["type"] as? String == "queued")
        #expect(queued["position"] as? Int == 1)
        clock.advance(by: desk.configuration.maxQueueWait + 1)
        await desk.sweep()
        let told = try await resident.next()
        #expect(told["decision"] as? String == "handoff", "nobody claimed in time: the resident is told, never left silent")
        #expect((told["text"] as? String ?? "").contains("niemand"))
    }

    @Test func callbackRequestNeedsConsentAndBecomesATicket() async throws {
        let clock = ManualClock(start: Self.amsterdam("2026-11-25 22:00"))
        let store = MemoryStore()
        let desk = Desk(engine: ShippedKnowledge.engine, store: store, now: clock.source)
        let resident = try await Self.resident(desk)
        await resident.send(["type": "handoff"])
        _ = try await resident.next()
        await resident.send(["type": "callback", "id": "c1", "name": "Jan", "contact": "0612345678", "consent": false])
        #expect(try await resident.next()["code"] as? String == "consent_required")
        await resident.send(["type": "callback", "id": "c2", "name": "Jan", "contact": "0612345678", "consent": true])
        #expect(try await resident.next()["type"] as? String == "ack")
        #expect(try await resident.next()["decision"] as? String == "callback")
        let tickets = try await store.tickets()
        #expect(tickets.count == 1)
        #expect(tickets.first?.name == "Jan")
        #expect(tickets.first?.location == "den_helder")
    }

    @Test func queuedConversationOverflowsToOtherLocationsAfterTheWait() async throws {
        let clock = ManualClock(start: Self.amsterdam("2026-11-25 11:00"))
        let store = MemoryStore()
        let texel = SessionToken.make(), denHelder = SessionToken.make()
        try await store.commit([
            .staff(StaffRecord(name: "Tess", role: .volunteer, locations: ["den_burg"], tokenHash: SessionToken.hash(texel), createdAt: clock.now)),
            .staff(StaffRecord(name: "Anna", role: .staff, locations: ["den_helder"], tokenHash: SessionToken.hash(denHelder), createdAt: clock.now)),
        ])
        let desk = Desk(engine: ShippedKnowledge.engine, store: store, now: clock.source)
        let anna = await DeskTestClient.open(desk, address: "198.51.100.8")
        await anna.send(["type": "auth", "token": denHelder])
        _ = try await anna.next()
        _ = try await anna.next()
        let tess = await DeskTestClient.open(desk, address: "198.51.100.9")
        await tess.send(["type": "auth", "token": texel])
        _ = try await tess.next()
        _ = try await tess.next()
        let resident = try await Self.resident(desk)
        await resident.send(["type": "handoff"])
        _ = try await resident.next()
        await tess.send(["type": "queue"])
        var queue = try await lastQueue(tess)
        #expect((queue["items"] as? [Any])?.isEmpty == true, "Texel does not see a fresh Den Helder chat")
        clock.advance(by: desk.configuration.overflowAfter + 1)
        await tess.send(["type": "queue"])
        queue = try await lastQueue(tess)
        #expect((queue["items"] as? [Any])?.count == 1, "after the overflow wait, every location sees it")
    }

    private func lastQueue(_ client: DeskTestClient) async throws -> [String: Any] {
        let lines = try await client.drain()
        return lines.last { $0["type"] as? String == "queue" } ?? [:]
    }
}

/// Positions count within one location's queue; other queues' changes do not move them.
@Suite struct QueuePositionTests {
    @Test func positionsAreStableWhenAnotherLocationsQueueChanges() async throws {
        let (desk, _, _) = try await HandoffTests.deskWithStaff(at: "2026-11-25 11:00")
        let nowhere = await DeskTestClient.open(desk, address: "192.0.2.10")
        await nowhere.send(["type": "hello", "lang": "nl"])
        _ = try await nowhere.next()
        _ = try await nowhere.next()
        let denHelder = try await HandoffTests.resident(desk)
        await nowhere.send(["type": "handoff"])
        #expect(try await nowhere.next()["position"] as? Int == 1)
        await denHelder.send(["type": "handoff"])
        #expect(try await denHelder.next()["position"] as? Int == 1, "first in the Den Helder queue")
        for n in 0..<3 {
            await nowhere.send(["type": "say", "id": "x\(n)", "text": "hallo?"])
            _ = try await nowhere.next()  // ack
        }
        let extra = try await denHelder.drain()
        #expect(extra.isEmpty, "no position changes told while nothing changed in this queue: \(extra)")
    }
}

/// Findings of the hostile probe (issue 13) about call-backs, ids and staff text.
@Suite struct ProbeFindingTests {
    @Test func aCallbackThatWasNeverOfferedIsRefused() async throws {
        let fixture = DeskFixture()
        let (client, _) = try await fixture.started()
        await client.send(["type": "callback", "id": "c1", "name": "Jan", "contact": "0612345678", "consent": true])
        #expect(try await client.next().code == "callback_not_offered")
        #expect(try await fixture.store.tickets().isEmpty)
    }

    @Test(arguments: ["", String(repeating: "x", count: 101)])
    func emptyOrHugeIDsAreRefused(id: String) async throws {
        let fixture = DeskFixture()
        let (client, _) = try await fixture.started()
        await client.send(["type": "say", "id": id, "text": "digid"])
        #expect(try await client.next().code == "invalid_id")
    }

    @Test func aContactMustBeAPhoneNumberOrAnEmailAddress() {
        #expect(ConversationState.isContact("06 12 34 56 78"))
        #expect(ConversationState.isContact("+31 (0)6-12345678"))
        #expect(ConversationState.isContact("jan@example.nl"))
        #expect(!ConversationState.isContact("bel me maar"))
        #expect(!ConversationState.isContact("123"))
        #expect(!ConversationState.isContact("jan@"))
    }
}

extension HandoffTests {
    /// What the coordinators' figures are made of, as the desk stores it: the first question
    /// answered or not, the wait until a person came (by the desk's clock), a resident who left
    /// the queue, and the fallbacks when nobody could take the chat.
    @Test func theDeskRecordsTheFiguresCoordinatorsReportOn() async throws {
        let (desk, clock, staff) = try await Self.deskWithStaff(at: "2026-11-25 11:00")
        let resident = await DeskTestClient.open(desk)
        await resident.send(["type": "hello", "lang": "nl", "location": "den_helder"])
        let id = try #require(try await resident.next()["conversation"] as? String)
        _ = try await resident.next()  // greeting
        await resident.send(["type": "say", "id": "q1", "text": "ik ben mijn digid wachtwoord vergeten"])
        _ = try await resident.next()  // ack
        #expect(try await resident.next()["decision"] as? String == "answer")
        await resident.send(["type": "say", "id": "q2", "text": "qwzx blorp"])  // a later miss does not change the first reply
        _ = try await resident.next()
        _ = try await resident.next()
        await resident.send(["type": "handoff"])
        #expect(try await resident.next()["type"] as? String == "queued")
        clock.advance(by: 95)
        await staff.send(["type": "claim", "conversation": id])
        while try await staff.next()["type"] as? String != "claimed" {}
        var record = try #require(try await desk.store.conversation(id: id))
        #expect(record.firstAnswered == true && record.waitedSeconds == 95 && !record.leftQueue && !record.fallbackGiven)

        // Another resident asks, is not understood, queues and leaves before anyone comes.
        let leaver = await DeskTestClient.open(desk)
        await leaver.send(["type": "hello", "lang": "nl", "location": "den_helder"])
        let other = try #require(try await leaver.next()["conversation"] as? String)
        _ = try await leaver.next()
        await leaver.send(["type": "say", "id": "q1", "text": "qwzx blorp"])
        _ = try await leaver.next()
        #expect(try await leaver.next()["type"] as? String == "reply")
        await leaver.send(["type": "handoff"])
        #expect(try await leaver.next()["type"] as? String == "queued")
        await leaver.send(["type": "bye"])
        while try await leaver.next()["type"] as? String != "closed" {}
        record = try #require(try await desk.store.conversation(id: other))
        #expect(record.firstAnswered == false && record.leftQueue && record.waitedSeconds == nil)

        // Out of hours: the fallbacks.
        clock.advance(by: 12 * 3600)
        let late = await DeskTestClient.open(desk)
        await late.send(["type": "hello", "lang": "nl", "location": "den_helder"])
        let third = try #require(try await late.next()["conversation"] as? String)
        _ = try await late.next()
        await late.send(["type": "handoff"])
        #expect(try await late.next()["decision"] as? String == "handoff")
        record = try #require(try await desk.store.conversation(id: third))
        #expect(record.fallbackGiven && record.firstAnswered == nil, "asking for a person is not a question to the bot")
    }
}

extension HandoffTests {
    /// A call-back request reaches the staff of its branch at once, and one of them closes it
    /// after calling back: gone for everyone, stored as handled; other branches cannot touch it.
    @Test func staffSeeNewCallbackRequestsAndMarkThemHandled() async throws {
        let clock = ManualClock(start: Self.amsterdam("2026-11-25 22:00"))
        let store = MemoryStore()
        let anna = SessionToken.make(), tess = SessionToken.make()
        try await store.commit([
            .staff(StaffRecord(name: "Anna", role: .staff, locations: ["den_helder"], tokenHash: SessionToken.hash(anna), createdAt: clock.now)),
            .staff(StaffRecord(name: "Tess", role: .volunteer, locations: ["den_burg"], tokenHash: SessionToken.hash(tess), createdAt: clock.now)),
        ])
        let desk = Desk(engine: ShippedKnowledge.engine, store: store, now: clock.source)
        var consoles: [DeskTestClient] = []
        for (token, address) in [(anna, "198.51.100.8"), (tess, "198.51.100.9")] {
            let console = await DeskTestClient.open(desk, address: address)
            await console.send(["type": "auth", "token": token])
            _ = try await console.next()  // auth_ok
            _ = try await console.next()  // queue
            consoles.append(console)
        }
        let resident = try await Self.resident(desk)
        await resident.send(["type": "handoff"])
        _ = try await resident.next()
        await resident.send(["type": "callback", "id": "c1", "name": "Jan", "contact": "0612345678", "consent": true])
        _ = try await resident.next()
        _ = try await resident.next()

        func tickets(_ console: DeskTestClient) async throws -> [[String: Any]] {
            while true {
                let line = try await console.next()
                if line["type"] as? String == "tickets" { return line["items"] as? [[String: Any]] ?? [] }
                if line["type"] as? String == "error" { throw TestClientError.unexpectedMessage("\(line)") }
            }
        }
        let pushed = try await tickets(consoles[0])
        #expect(pushed.count == 1 && pushed.first?["name"] as? String == "Jan" && pushed.first?["contact"] as? String == "0612345678")
        let id = try #require(pushed.first?["id"] as? Int)
        #expect(try await tickets(consoles[1]).isEmpty, "Texel's volunteer does not see Den Helder's request")

        await consoles[1].send(["type": "ticket_handled", "ticket": id])
        #expect(try await consoles[1].next()["code"] as? String == "unknown_ticket")
        await consoles[0].send(["type": "ticket_handled", "ticket": id])
        #expect(try await tickets(consoles[0]).isEmpty)
        #expect(try await store.tickets().map(\.status) == ["handled"])
        await consoles[0].send(["type": "ticket_handled", "ticket": id])
        #expect(try await consoles[0].next()["code"] as? String == "unknown_ticket", "handled once")
    }
}
