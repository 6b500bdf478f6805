import BakenDesk
import BakenTesting
import Foundation
import Testing

/// "nee, van de bibliotheek": the resident keeps the question and switches the topic.
@Suite struct CorrectionTests {
    /// Sends a `say` and returns the reply that follows its ack.
    private func ask(_ client: DeskTestClient, _ id: String, _ text: String) async throws -> [String: Any] {
        await client.send(["type": "say", "id": id, "text": text])
        _ = try await client.next()  // ack
        return try await client.next()
    }

    @Test(arguments: [
        ("wachtwoord vergeten", "nee, van de bibliotheek"),
        ("wachtwoord vergeten", "ik bedoel van mijn bibliotheekaccount"),
    ])
    func aCorrectionKeepsTheQuestionAndSwitchesTheTopic(first: String, correction: String) async throws {
        let fixture = DeskFixture()
        let (client, _) = try await fixture.started()
        let answer = try await ask(client, "1", first)
        #expect(answer["intent"] as? String == "digid_inloggen")
        let corrected = try await ask(client, "2", correction)
        #expect(corrected["intent"] as? String == "bibliotheek_account", "\(corrected)")
        #expect(corrected["question"] as? String == "bibliotheek_account/inloggen", "\(corrected)")
    }

    @Test func aBareNoOrAPlainNoStatementIsNotACorrection() async throws {
        let fixture = DeskFixture()
        let (client, _) = try await fixture.started()
        _ = try await ask(client, "1", "wachtwoord vergeten")
        let bare = try await ask(client, "2", "nee")
        #expect(bare["intent"] as? String != "bibliotheek_account")
        // "no internet …" is a question of its own: answered as in a fresh conversation.
        let english = try await ask(client, "3", "no internet on my phone")
        let (fresh, _) = try await fixture.started()
        let alone = try await ask(fresh, "1", "no internet on my phone")
        #expect(english["intent"] as? String == alone["intent"] as? String)
        #expect(english["decision"] as? String == alone["decision"] as? String)
    }
}
