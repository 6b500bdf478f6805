import BakenDesk
import BakenEngine
import BakenServer
import BakenTesting
import Foundation
import Logging
import Testing

/// Curators edit answers while residents chat: the next reply uses the new text, a broken edit
/// is refused and the old answers stay.
@Suite struct KnowledgeReloadTests {
    /// A copy of the shipped knowledge base that the test may edit.
    static func copy() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("baken-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for name in ["knowledge", "intents"] {
            try FileManager.default.copyItem(
                at: URL(fileURLWithPath: ShippedKnowledge.root + "/" + name), to: root.appendingPathComponent(name))
        }
        return root
    }

    private func ask(_ client: DeskTestClient, _ id: String, _ text: String) async throws -> String {
        await client.send(["type": "say", "id": id, "text": text])
        _ = try await client.next()  // ack
        return try await client.next()["text"] as? String ?? ""
    }

    @Test func anEditedAnswerIsUsedAtTheNextMessageAndABrokenEditIsRefused() async throws {
        let root = try Self.copy()
        defer { try? FileManager.default.removeItem(at: root) }
        defer { try? FileManager.default.removeItem(at: root) }
        let knowledge = root.appendingPathComponent("knowledge").path, intents = root.appendingPathComponent("intents").path
        let engine = Engine(knowledge: try KnowledgeLoader(knowledge: knowledge, intents: intents).loadValidated())
        let first = KnowledgeReloader.version(of: [knowledge, intents])
        let desk = Desk(engine: engine, store: MemoryStore(), knowledgeVersion: first)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let reloader = KnowledgeReloader(desk: desk, knowledge: knowledge, intents: intents, logger: logger)

        let resident = await DeskTestClient.open(desk)
        await resident.send(["type": "hello", "lang": "nl"])
        _ = try await resident.next()
        _ = try await resident.next()
        let before = try await ask(resident, "1", "digid wachtwoord vergeten")
        #expect(before.contains("Wachtwoord wijzigen"))

        // A curator changes a step of the answer.
        let article = root.appendingPathComponent("knowledge/nl/digid_inloggen/wachtwoord_vergeten.md")
        let text = try String(contentsOf: article, encoding: .utf8)
        try text.replacingOccurrences(of: "Wachtwoord wijzigen", with: "Nieuw wachtwoord kiezen").write(to: article, atomically: true, encoding: .utf8)
        reloader.reloadIfChanged()
        let second = desk.knowledgeVersion.version
        #expect(second != first, "the version in /health changes")
        let after = try await ask(resident, "2", "digid wachtwoord vergeten")
        #expect(after.contains("Nieuw wachtwoord kiezen") && !after.contains("Wachtwoord wijzigen"), "same conversation, new answer: \(after)")

        // A broken edit: an intent that points to an article that does not exist.
        let intentFile = root.appendingPathComponent("intents/digid.yaml")
        let yaml = try String(contentsOf: intentFile, encoding: .utf8)
        try (yaml + "\n  - id: kapot\n    article: bestaat_niet\n    keywords: [kapotwoord]\n").write(to: intentFile, atomically: true, encoding: .utf8)
        #expect(reloader.reload(reason: "test") == nil, "refused")
        #expect(desk.knowledgeVersion.version == second, "the old knowledge stays in use")
        let still = try await ask(resident, "3", "digid wachtwoord vergeten")
        #expect(still.contains("Nieuw wachtwoord kiezen"))
    }
}
