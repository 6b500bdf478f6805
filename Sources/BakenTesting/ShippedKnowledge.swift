import BakenEngine
import Foundation

/// The repository's own knowledge base (`knowledge/` and `intents/`), loaded once.
public enum ShippedKnowledge {
    /// The repository root, found from this file's path.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // BakenTesting, Sources, root
        return url.path
    }()

    /// The loaded knowledge base and the loader's diagnostics.
    public static let loaded: (KnowledgeBase, [Diagnostic]) = KnowledgeLoader(
        knowledge: root + "/knowledge", intents: root + "/intents"
    ).load()

    /// The shipped engine, shared by all tests.
    public static let engine = Engine(knowledge: loaded.0)
}
