import Foundation

/// How the stores keep arrays and objects in a text column: JSON with sorted keys and
/// unescaped slashes (what GRDB's Codable support wrote before, so existing databases read the
/// same). Shared by the SQLite and the PostgreSQL store, so a row copied between them is equal.
public enum StoredJSON {
    /// JSON text of a value.
    public static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The value in JSON `text`.
    public static func value<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    /// The option ids of the `offered` column ("[]" and unreadable text: none).
    public static func strings(_ text: String?) -> [String] {
        guard let text, text != "[]" else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
