import Foundation
import Testing

@testable import BakenDesk

/// The staff side's rules as a value, without sockets or a database: sign-in and back-off,
/// presence, who sees which conversation, revoked accounts.
@Suite struct StaffDeskTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let anna = StaffRecord(name: "Anna", role: .staff, locations: ["den_helder"], tokenHash: SessionToken.hash("anna-token"), createdAt: .init())
    let kees = StaffRecord(name: "Kees", role: .volunteer, locations: [], tokenHash: SessionToken.hash("kees-token"), createdAt: .init())

    func desk() -> StaffDesk {
        var desk = StaffDesk(overflowAfter: 120)
        desk.refreshAccounts([anna, kees])
        return desk
    }

    @Test func wrongTokensAreCountedPerAddressAndAValidOneAlwaysGetsIn() {
        var staff = desk()
        let connection = Connection(address: "198.51.100.1", now: start, kind: .staff)
        var messages: [String] = []
        for n in 0..<7 {
            guard case .refused(let message, let failures) = staff.signIn(tokenHash: SessionToken.hash("guess\(n)"), on: connection, at: start)
            else { Issue.record("a wrong token got in"); return }
            #expect(failures == n + 1)
            messages.append(message)
        }
        #expect(messages.prefix(6).allSatisfy { $0 == "This staff token is not valid." }, "five free, the sixth blocks")
        #expect(messages.last?.hasPrefix("Too many failed sign-ins") == true)
        guard case .signedIn(let member) = staff.signIn(tokenHash: anna.tokenHash, on: connection, at: start) else {
            Issue.record("a valid token was refused while the address was blocked")
            return
        }
        #expect(member.name == "Anna" && staff.session(connection.id)?.member.name == "Anna")
        let other = Connection(address: "198.51.100.1", now: start, kind: .staff)
        guard case .refused(let message, 1) = staff.signIn(tokenHash: SessionToken.hash("again"), on: other, at: start) else {
            Issue.record("a good sign-in should reset the count")
            return
        }
        #expect(message == "This staff token is not valid.")
    }

    @Test func membersSeeTheirLocationsAndOverflowAfterTheWait() {
        let staff = desk()
        #expect(staff.sees(anna, location: "den_helder", waitingSince: start, at: start))
        #expect(!staff.sees(anna, location: "den_burg", waitingSince: start, at: start.addingTimeInterval(119)))
        #expect(staff.sees(anna, location: "den_burg", waitingSince: start, at: start.addingTimeInterval(120)), "overflow")
        #expect(staff.sees(anna, location: nil, waitingSince: nil, at: start), "a conversation without a branch is for everyone")
        #expect(staff.sees(kees, location: "den_burg", waitingSince: nil, at: start), "no locations: all")
    }

    @Test func presenceDecidesWhetherSomeoneCanTakeAChat() {
        var staff = desk()
        let connection = Connection(address: "198.51.100.2", now: start, kind: .staff)
        #expect(!staff.someoneAvailable(for: "den_helder", at: start))
        _ = staff.signIn(tokenHash: anna.tokenHash, on: connection, at: start)
        #expect(staff.someoneAvailable(for: "den_helder", at: start) && !staff.someoneAvailable(for: "den_burg", at: start))
        staff.setAvailable(false, connection.id)
        #expect(!staff.someoneAvailable(for: "den_helder", at: start), "away staff do not count")
        #expect(staff.presentNames == ["Anna"], "but are still present for the chats they hold")
        #expect(staff.dropRevoked(["Anna"]).map(\.member.name) == ["Anna"] && staff.sessions.isEmpty)
    }
}
