/// A problem a curator must know about, with its place and what to do.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad a problem is.
    public enum Severity: String, Sendable, Hashable {
        /// The knowledge base cannot be used as is; `baken check` exits 1.
        case error
        /// Worth fixing; the knowledge base still loads.
        case warning
    }

    public var severity: Severity
    /// A stable code, e.g. `unknown_article`.
    public var code: String
    public var location: SourceLocation
    /// What is wrong.
    public var message: String
    /// What to do about it.
    public var hint: String

    /// Creates a diagnostic.
    public init(_ severity: Severity, _ code: String, at location: SourceLocation, _ message: String, hint: String = "") {
        self.severity = severity
        self.code = code
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// `file:line: error[code]: message — hint`
    public var description: String {
        var text = "\(location): \(severity.rawValue)[\(code)]: \(message)"
        if !hint.isEmpty { text += "\n    → \(hint)" }
        return text
    }
}

/// Thrown when the knowledge base has errors and cannot be used.
public struct KnowledgeError: Error, Sendable, CustomStringConvertible {
    /// All problems found, errors first.
    public var diagnostics: [Diagnostic]

    public var description: String {
        let errors = diagnostics.filter { $0.severity == .error }
        return "The knowledge base has \(errors.count) error(s):\n" + errors.map(\.description).joined(separator: "\n")
    }
}
