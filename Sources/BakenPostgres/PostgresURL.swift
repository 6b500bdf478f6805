import Foundation
import NIOSSL
import PostgresNIO

/// A database URL, `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]`
/// (or `postgresql://`), read into PostgresNIO's client configuration. `?host=/run/postgresql`
/// connects over a Unix socket in that directory instead of TCP. The password may also come
/// from the environment (`PGPASSWORD`), so it need not be written in a config file.
public struct PostgresURL: Sendable, CustomStringConvertible {
    /// Why a URL was refused.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public let configuration: PostgresClient.Configuration
    /// The URL without its password, for logs.
    public let redacted: String

    /// Whether `text` names a PostgreSQL database (and not a SQLite file).
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw Invalid(description: "not a PostgreSQL URL (postgres://user:password@host:5432/database): \(Self.redact(text))")
        }
        guard let user = components.user, !user.isEmpty else {
            throw Invalid(description: "the URL names no user (postgres://USER@host/database): \(Self.redact(text))")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw Invalid(description: "the URL names no database (postgres://user@host/DATABASE): \(Self.redact(text))")
        }
        let password = components.password ?? environment["PGPASSWORD"]
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let tls: PostgresClient.Configuration.TLS
        switch query["sslmode"] ?? "prefer" {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        case let other: throw Invalid(description: "unknown sslmode '\(other)' (disable, prefer or require)")
        }
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            let port = components.port ?? 5432
            configuration = .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            guard let host = components.host, !host.isEmpty else {
                throw Invalid(description: "the URL names no host (postgres://user@HOST/database): \(Self.redact(text))")
            }
            configuration = .init(host: host, port: components.port ?? 5432, username: user, password: password, database: database, tls: tls)
        }
        redacted = Self.redact(text)
    }

    /// A URL made of a configuration (tests, and callers that tune the pool).
    public init(configuration: PostgresClient.Configuration, redacted: String) {
        self.configuration = configuration
        self.redacted = redacted
    }

    public var description: String { redacted }

    /// `text` with the password replaced by `***`.
    static func redact(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}
