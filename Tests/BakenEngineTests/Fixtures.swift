import BakenEngine
import Foundation

/// The repository's shipped knowledge base, loaded once for all engine tests.
enum Shipped {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let loaded: (KnowledgeBase, [Diagnostic]) = KnowledgeLoader(
        knowledge: root + "/knowledge", intents: root + "/intents"
    ).load()

    static let engine = Engine(knowledge: loaded.0)
}

/// A throw-away knowledge directory for loader tests, removed when the test lets go of it.
final class TemporaryKnowledge {
    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "baken-kb-" + UUID().uuidString
        for dir in ["knowledge/nl", "knowledge/en", "intents"] {
            try FileManager.default.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func write(_ path: String, _ text: String) throws {
        try text.write(toFile: root + "/" + path, atomically: true, encoding: .utf8)
    }

    func load() -> (KnowledgeBase, [Diagnostic]) {
        KnowledgeLoader(knowledge: root + "/knowledge", intents: root + "/intents").load()
    }

    static func article(_ id: String, _ language: String, link: String = "https://www.digid.nl") -> String {
        """
        ---
        id: \(id)
        language: \(language)
        title: Title \(id)
        intents: [\(id)]
        links:
          - title: Official
            url: \(link)
        ---
        1. Step one.
        2. Step two.
        """
    }
}
