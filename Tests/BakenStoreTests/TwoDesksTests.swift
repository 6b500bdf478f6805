import BakenDesk
import BakenTesting
import Foundation
import Testing

@testable import BakenPostgres

/// Two desks on one PostgreSQL database, linked as `baken serve` links them (``DeskBus``):
/// the parts of the cross-node path the end-to-end script does not reach.
@Suite(.enabled(if: StoreKind.postgresURL != nil, "set BAKEN_TEST_POSTGRES to test the PostgreSQL store"))
struct TwoDesksTests {
    /// Node B's delivery worker delivered a referral of a resident whose connection is on node
    /// A: node A tells the resident (node B cannot write A's conversation).
    @Test func aReferralDeliveredByAnotherNodeIsToldByTheOwner() async throws {
        try await TestDatabase.with { url in
            let a = try await PostgresStore.connect(url, node: "a", logger: PostgresStoreTests.logger)
            let b = try await PostgresStore.connect(url, node: "b", logger: PostgresStoreTests.logger)
            let deskA = Desk(engine: ShippedKnowledge.engine, store: a)
            let deskB = Desk(engine: ShippedKnowledge.engine, store: b)
            let links = [Self.link(deskA, a), Self.link(deskB, b)]
            await deskA.presenceChanged()
            await deskB.presenceChanged()

            let resident = await DeskTestClient.open(deskA)
            await resident.send(["type": "hello"])
            let welcome = try await resident.next()
            _ = try await resident.next()  // greeting
            let conversation = try #require(welcome["conversation"] as? String)
            let referral = ReferralRecord(
                id: "r_test", conversation: conversation, partner: "taalhuis", status: .delivered, requestedBy: "bot", createdAt: Date(), updatedAt: Date())
            try await b.commit([.referral(referral)])

            await deskB.referralChanged("r_test", status: .delivered)
            let told = try await resident.next(timeout: .seconds(10))
            #expect(told["type"] as? String == "referral" && told["status"] as? String == "delivered" && told["referral"] as? String == "r_test")
            #expect(told["seq"] as? Int == 2, "the next seq of the conversation, written by its owner")
            #expect(try await b.owner(of: conversation) == "a", "node B did not take the conversation from a live node")

            for link in links { link.cancel() }
            await a.close()
            await b.close()
        }
    }

    /// What `NodeLink` does in `baken serve`: posts the desk's mail, hands it the others'.
    static func link(_ desk: Desk, _ bus: PostgresStore) -> Task<Void, Never> {
        Task {
            await withDiscardingTaskGroup { group in
                group.addTask { for await mail in desk.outgoing { try? await bus.post(mail) } }
                group.addTask { for await mail in bus.mail() { await desk.receive(mail: mail) } }
            }
        }
    }
}
