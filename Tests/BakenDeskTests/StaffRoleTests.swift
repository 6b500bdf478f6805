@testable import BakenDesk
import BakenTesting
import Foundation
import Testing

/// Who may take a chat: staff and volunteers, and only a resident who asked for a person.
@Suite struct StaffRoleTests {
    /// A desk during Den Helder's chat hours with one signed-in member of `role`.
    static func desk(role: StaffRecord.Role) async throws -> (Desk, DeskTestClient) {
        let clock = ManualClock(start: HandoffTests.amsterdam("2026-11-25 11:00"))
        let store = MemoryStore()
        let token = SessionToken.make()
        try await store.commit([
            .staff(StaffRecord(name: "Kim", role: role, locations: [], tokenHash: SessionToken.hash(token), createdAt: clock.now))
        ])
        let desk = Desk(engine: ShippedKnowledge.engine, store: store, now: clock.source)
        let member = await DeskTestClient.open(desk, address: "198.51.100.20")
        await member.send(["type": "auth", "token": token])
        #expect(try await member.next()["type"] as? String == "auth_ok")
        _ = try await member.next()  // queue
        return (desk, member)
    }

    /// The error that follows a claim, skipping queue updates.
    static func claim(_ member: DeskTestClient, _ conversation: String) async throws -> [String: Any] {
        await member.send(["type": "claim", "conversation": conversation])
        while true {
            let line = try await member.next()
            if line["type"] as? String != "queue" { return line }
        }
    }

    /// A resident in Den Helder and their conversation id.
    static func resident(_ desk: Desk) async throws -> (DeskTestClient, String) {
        let resident = await DeskTestClient.open(desk)
        await resident.send(["type": "hello", "lang": "nl", "location": "den_helder"])
        let id = try #require(try await resident.next()["conversation"] as? String)
        _ = try await resident.next()  // greeting
        return (resident, id)
    }

    @Test func aCuratorCannotTakeAChat() async throws {
        let (desk, curator) = try await Self.desk(role: .curator)
        #expect(await desk.staffAvailableCount == 0, "a curator is signed in, but cannot take chats")
        let (resident, id) = try await Self.resident(desk)
        await resident.send(["type": "handoff"])
        let answer = try await resident.next()
        #expect(answer["type"] as? String == "reply", "not queued for nobody: the walk-in hours and a call-back at once")
        let refused = try await Self.claim(curator, id)
        #expect(refused["code"] as? String == "not_permitted")
    }

    @Test func aVolunteerTakesAWaitingChatButNotOneThatDidNotAsk() async throws {
        let (desk, volunteer) = try await Self.desk(role: .volunteer)
        let (resident, id) = try await Self.resident(desk)
        await resident.send(["type": "say", "id": "1", "text": "digid kwijt"])
        _ = try await resident.next()  // ack
        _ = try await resident.next()  // answer
        let refused = try await Self.claim(volunteer, id)
        #expect(refused["code"] as? String == "not_waiting", "the resident never asked for a person")
        await resident.send(["type": "handoff"])
        #expect(try await resident.next()["type"] as? String == "queued")
        let claimed = try await Self.claim(volunteer, id)
        #expect(claimed["type"] as? String == "claimed")
    }

    /// Staff and resident ids live apart: a resident `say` with the id a staff message used is
    /// a new message, not a retry.
    @Test func aStaffIdDoesNotSwallowAResidentMessage() async throws {
        let (desk, member) = try await Self.desk(role: .staff)
        let (resident, id) = try await Self.resident(desk)
        await resident.send(["type": "handoff"])
        #expect(try await resident.next()["type"] as? String == "queued")
        #expect(try await Self.claim(member, id)["type"] as? String == "claimed")
        await member.send(["type": "say", "conversation": id, "id": "1", "text": "Hallo, ik ben Kim."])
        var staffAck: [String: Any] = [:]
        while staffAck["type"] as? String != "ack" { staffAck = try await member.next() }
        var line: [String: Any] = [:]
        while line["from"] as? String != "staff" { line = try await resident.next() }
        await resident.send(["type": "say", "id": "1", "text": "Dank u, mijn DigiD doet het niet"])
        let ack = try await resident.next()
        #expect(ack["type"] as? String == "ack")
        let staffSeq = try #require(staffAck["seq"] as? Int)
        #expect((ack["seq"] as? Int ?? 0) > staffSeq, "stored as a new message: \(ack)")
    }
}
